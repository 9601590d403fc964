/**
 * Strict YAML binding, at the bottom of the house: it knows YAML, records and where each value was written, and
 * nothing of Assay's domain (an architecture test forbids imports from any stage).
 *
 * <p>{@link dev.assay.config.YamlTreeReader} reads YAML into {@link dev.assay.config.ConfigNode}s that remember file
 * and line; {@link dev.assay.config.Interpolator} fills {@code ${ENV}} references; {@link
 * dev.assay.config.Overrides} applies {@code --set key=value}; {@link dev.assay.config.RecordBinder} binds a tree to
 * a record, naming every unknown key, wrong type and missing field as a {@link dev.assay.config.ConfigProblem} with a
 * suggestion. The recipe schema that uses it lives in {@code dev.assay.pipeline.recipe}.
 */
package dev.assay.config;
