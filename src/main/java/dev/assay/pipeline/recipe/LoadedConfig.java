package dev.assay.pipeline.recipe;

import dev.assay.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A recipe as loaded: the bound {@link Recipe}, and what the run manifest records about where it came from.
 *
 * <p>{@link #config()} is the merged tree (includes, recipe, {@code --config} files, {@code --set}) with every
 * {@code ${...}} left as written, so a secret passed through the environment is never recorded and the hash does
 * not change with the environment. Files are listed in the order they were read, each once.
 *
 * @param recipe the bound recipe, with environment values expanded and defaults applied
 * @param config the merged, unexpanded tree as plain Java: maps sorted by key, lists, strings, numbers, booleans,
 *     nulls; unmodifiable
 * @param files every file read (recipe, includes, {@code --config} files) with the SHA-256 of its bytes
 * @param recipeDir the recipe's folder, absolute; relative paths in the recipe resolve against it
 */
public record LoadedConfig(Recipe recipe, Map<String, Object> config, List<SourceFile> files, Path recipeDir) {

  /**
   * One file that went into the configuration.
   *
   * @param path the path as the loader opened it (relative when the recipe was given relative)
   * @param sha256 lower-case hex SHA-256 of the file's bytes
   */
  public record SourceFile(Path path, String sha256) {
    public SourceFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  public LoadedConfig {
    Objects.requireNonNull(recipe, "recipe");
    // Shallow copy: the loader builds the nested levels unmodifiable; TreeMap because YAML nulls are kept.
    config = Collections.unmodifiableMap(new TreeMap<>(config));
    files = List.copyOf(files);
    recipeDir = recipeDir.toAbsolutePath().normalize();
  }

  /**
   * The merged, unexpanded config as one line of JSON with keys sorted at every level: the same configuration
   * written with keys in another order, or loaded under another environment, gives the same text.
   */
  public String canonicalJson() {
    return Json.line(config);
  }

  /** Lower-case hex SHA-256 of {@link #canonicalJson()} in UTF-8: the config hash in the manifest. */
  public String configHash() {
    return sha256(canonicalJson().getBytes(StandardCharsets.UTF_8));
  }

  /** A path from the recipe ({@code input.path}, a judge's template) resolved against {@link #recipeDir()}. */
  public Path resolve(String path) {
    return recipeDir.resolve(path).normalize();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
