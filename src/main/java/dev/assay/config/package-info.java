/**
 * Recipes and reusable configs: YAML with includes, {@code ${ENV}} interpolation, overrides and validation.
 *
 * <p>{@link dev.assay.config.ConfigLoader} turns a recipe, its includes, {@code --config} files and {@code --set}
 * overrides into a {@link dev.assay.config.LoadedConfig} (precedence, lowest first: includes &lt; recipe &lt;
 * {@code --config} files &lt; {@code --set}), or a {@link dev.assay.config.ConfigException} listing every problem
 * with its file and line. {@link dev.assay.config.Validator} adds the input-file checks behind {@code assay
 * validate}. Example files: {@code pipelines/demo.yaml}, {@code configs/endpoints/}.
 */
package dev.assay.config;
