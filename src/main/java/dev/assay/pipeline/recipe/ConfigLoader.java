package dev.assay.pipeline.recipe;

import dev.assay.config.ConfigException;
import dev.assay.config.ConfigNode;
import dev.assay.config.ConfigProblem;
import dev.assay.config.Interpolator;
import dev.assay.config.Overrides;
import dev.assay.config.RecordBinder;
import dev.assay.config.YamlTreeReader;
import dev.assay.config.ConfigNode.ListNode;
import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.Origin;
import dev.assay.config.ConfigNode.ScalarNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads a pipeline recipe with its includes, {@code --config} files, {@code ${ENV}} values and {@code --set}
 * overrides, binds it to a {@link Recipe} and checks it.
 *
 * <p><b>Precedence</b>, lowest first: a file's {@code include:} list (in list order, paths relative to that file)
 * &lt; the file itself; the recipe (with its includes) &lt; each {@code --config} file (with its own includes) in
 * command-line order &lt; {@code --set} overrides in order. Maps merge deeply; lists, scalars and nulls replace
 * (an explicit {@code null} resets a field to its default; {@code generation: null} turns generation off).
 *
 * <p><b>Interpolation</b>: {@code ${VAR}} and {@code ${VAR:-default}} in string values, after merging and
 * overrides, from the given environment function. Include paths are not interpolated. The manifest form
 * ({@link LoadedConfig#config()}) keeps the {@code ${...}} text.
 *
 * <p><b>Overrides</b>: {@code --set a.b.c=value}, list items by index ({@code judges.0.n=5}); the value is read as a
 * YAML scalar, so {@code 5} is a number and {@code true} a boolean; an empty value is null.
 *
 * <p><b>Checks</b>: YAML syntax, duplicate keys, unknown keys (with a suggestion), types, the records' own
 * validation, endpoint references, unique judge names, and that template, rubric and input files exist; paths in
 * the recipe are relative to the recipe's folder, whichever file they were written in.
 *
 * <p><b>Failure</b>: every problem found is collected, and {@link #load} throws one {@link ConfigException} with all
 * of them, sorted by file and line. When a file cannot be read or parsed, binding and file checks are skipped
 * (they would only report the consequences). A null argument is a programming error ({@link NullPointerException}).
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads, binds and checks a recipe.
   *
   * @param recipe the pipeline YAML
   * @param extraConfigs {@code --config} files, applied over the recipe in order
   * @param setOverrides {@code --set} arguments, {@code key.path=value}, applied last in order
   * @param env environment lookup returning null for an unset variable ({@code System::getenv} in the CLI)
   * @throws ConfigException listing every problem found
   */
  public static LoadedConfig load(
      Path recipe, List<Path> extraConfigs, List<String> setOverrides, Function<String, String> env) {
    Outcome outcome = collect(recipe, extraConfigs, setOverrides, env);
    if (!outcome.problems().isEmpty()) {
      throw new ConfigException(outcome.problems());
    }
    return outcome.loaded();
  }

  /**
   * What a load found, without throwing: for {@link Validator}, which adds its own input checks to the same list.
   *
   * @param loaded the result, or null when there were problems
   * @param expanded the merged tree after interpolation, or null when a file could not be read or parsed
   * @param displayDir the recipe's folder as the user named it (relative when the recipe path was), for messages
   * @param skip nodes already reported by interpolation
   */
  record Outcome(
      LoadedConfig loaded,
      MapNode expanded,
      Path displayDir,
      Set<ConfigNode> skip,
      List<ConfigProblem> problems,
      int filesRead) {}

  static Outcome collect(
      Path recipe, List<Path> extraConfigs, List<String> setOverrides, Function<String, String> env) {
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(extraConfigs, "extraConfigs");
    Objects.requireNonNull(setOverrides, "setOverrides");
    Objects.requireNonNull(env, "env");
    Session session = new Session();
    MapNode merged = session.expand(recipe, null, null, true);
    for (Path config : extraConfigs) {
      MapNode over = session.expand(config, null, null, false);
      if (merged != null && over != null) {
        merged = (MapNode) merge(merged, over);
      }
    }
    List<ConfigProblem> problems = session.problems;
    Path displayDir = parentOf(recipe);
    if (merged == null) {
      return new Outcome(null, null, displayDir, Set.of(), sorted(problems), session.files.size());
    }
    merged = Overrides.apply(merged, setOverrides, problems);
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) merged.toPlain();
    Interpolator.Result expanded = Interpolator.expand(merged, env, problems);
    LoadedConfig loaded = null;
    if (!session.unusable) {
      Optional<Recipe> bound = RecordBinder.bind(expanded.tree(), Recipe.class, expanded.failed(), problems, Recipe.variants());
      CrossChecks.check(expanded.tree(), displayDir, expanded.failed(), problems);
      if (problems.isEmpty() && bound.isPresent()) {
        Path recipeDir = recipe.toAbsolutePath().normalize().getParent();
        loaded = new LoadedConfig(bound.get(), plain, List.copyOf(session.files.values()), recipeDir);
      }
    }
    return new Outcome(
        loaded,
        session.unusable ? null : expanded.tree(),
        displayDir,
        expanded.failed(),
        sorted(problems),
        session.files.size());
  }

  /** Deep merge: maps merge key by key, anything else in {@code over} replaces {@code base}. */
  static ConfigNode merge(ConfigNode base, ConfigNode over) {
    if (base instanceof MapNode b && over instanceof MapNode o) {
      Map<String, ConfigNode> out = new LinkedHashMap<>(b.entries());
      o.entries().forEach((k, v) -> out.merge(k, v, ConfigLoader::merge));
      return new MapNode(out, b.origin());
    }
    return over;
  }

  private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
    // Stable: problems on one line keep the order they were found in.
    List<ConfigProblem> out = new ArrayList<>(problems);
    out.sort(Comparator.comparing(ConfigProblem::file).thenComparingLong(ConfigProblem::line));
    return List.copyOf(out);
  }

  private static Path parentOf(Path file) {
    Path parent = file.getParent();
    return parent == null ? Path.of("") : parent;
  }

  /** State of one load: problems, files read, and the include chain for cycle detection. */
  private static final class Session {
    final List<ConfigProblem> problems = new ArrayList<>();
    final Map<Path, LoadedConfig.SourceFile> files = new LinkedHashMap<>();
    final List<Path> chain = new ArrayList<>();
    final List<String> chainNames = new ArrayList<>();
    /** A file could not be read or parsed: the tree is incomplete, so binding would only report consequences. */
    boolean unusable;

    /**
     * The file merged over its includes, or null when it could not be read or parsed.
     *
     * @param includedAt the include entry that named this file, or null for the recipe and {@code --config} files
     * @param keepInclude whether to keep the file's own {@code include:} list in the result (the recipe's is bound
     *     to {@link Recipe#include()}; any other file's would overwrite it)
     */
    MapNode expand(Path file, ConfigNode includedAt, String includePath, boolean keepInclude) {
      Path key = file.toAbsolutePath().normalize();
      String name = file.normalize().toString();
      String text = read(file, name, includedAt, includePath);
      if (text == null) {
        unusable = true;
        return null;
      }
      MapNode doc = YamlTreeReader.readDocument(text, name, problems);
      if (doc == null) {
        unusable = true;
        return null;
      }
      chain.add(key);
      chainNames.add(name);
      MapNode base = MapNode.empty(doc.origin());
      ConfigNode include = doc.get("include");
      boolean includeValid = true;
      if (include instanceof ListNode list) {
        for (int i = 0; i < list.items().size(); i++) {
          ConfigNode item = list.items().get(i);
          String itemPath = "include." + i;
          if (!(item instanceof ScalarNode s) || !(s.value() instanceof String target) || target.isBlank()) {
            problem(item.origin(), itemPath, "expected a file path, got " + item.describe());
            includeValid = false;
            continue;
          }
          Path next = parentOf(file).resolve(target).normalize();
          if (chain.contains(next.toAbsolutePath().normalize())) {
            problem(item.origin(), itemPath, "include cycle: " + String.join(" -> ", chainNames) + " -> " + next);
            includeValid = false;
            continue;
          }
          MapNode included = expand(next, item, itemPath, false);
          if (included != null) {
            base = (MapNode) merge(base, included);
          }
        }
      } else if (include != null && !(include instanceof ScalarNode s && s.isNull())) {
        problem(include.origin(), "include", "expected a list of file paths, got " + include.describe());
        includeValid = false;
      }
      chain.remove(chain.size() - 1);
      chainNames.remove(chainNames.size() - 1);
      MapNode own = keepInclude && includeValid ? doc : doc.without("include");
      return (MapNode) merge(base, own);
    }

    private String read(Path file, String name, ConfigNode includedAt, String includePath) {
      Origin at = includedAt == null ? new Origin(name, 0) : includedAt.origin();
      String field = includedAt == null ? null : includePath;
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        problem(at, field, "file not found: " + name);
        return null;
      } catch (IOException e) {
        problem(at, field, "cannot read " + name + ": " + e.getMessage());
        return null;
      }
      files.putIfAbsent(file.toAbsolutePath().normalize(), new LoadedConfig.SourceFile(file.normalize(), LoadedConfig.sha256(bytes)));
      try {
        String text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
      } catch (CharacterCodingException e) {
        problem(new Origin(name, 0), null, "not valid UTF-8");
        return null;
      }
    }

    private void problem(Origin at, String field, String message) {
      problems.add(new ConfigProblem(at.file(), at.line(), field, message));
    }
  }
}
