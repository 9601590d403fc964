/**
 * Turning a recipe into a Beam pipeline ({@code RunPlan}), running it into a run directory ({@code RunLifecycle},
 * behind the command line's {@code RecipeRunner}), and accounting for every stage from what it published
 * ({@code RunAccounting}).
 */
package dev.assay.pipeline;
