/** Prompts, candidate responses and the {@code GenerateResponses} transform. */
package dev.assay.generation;
