/**
 * The recipe schema and its loading: what a {@code pipelines/*.yaml} file may say, and the checks behind {@code assay
 * validate}.
 *
 * <p>{@link dev.assay.pipeline.recipe.ConfigLoader} turns a recipe, its includes, {@code --config} files and {@code
 * --set} overrides into a {@link dev.assay.pipeline.recipe.LoadedConfig} (precedence, lowest first: includes &lt;
 * recipe &lt; {@code --config} files &lt; {@code --set}), or a {@link dev.assay.config.ConfigException} listing every
 * problem with its file and line. {@link dev.assay.pipeline.recipe.Validator} adds the input-file checks. Each
 * section's spec record lives with the stage that reads it ({@code GenerationSpec} in {@code generation}, {@code
 * JudgeSpec} in {@code judging}, ...); the recipe only names them. The YAML binding itself is generic and lives in
 * {@link dev.assay.config}. Example files: {@code pipelines/demo.yaml}, {@code configs/endpoints/}.
 */
package dev.assay.pipeline.recipe;
