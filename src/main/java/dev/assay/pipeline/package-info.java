/** Turning a recipe into a Beam pipeline, running it into a run directory, and accounting for every stage. */
package dev.assay.pipeline;
