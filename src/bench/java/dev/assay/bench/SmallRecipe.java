package dev.assay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A generate-then-judge recipe written into a folder: {@code prompts} prompts, {@code k} responses per prompt, one
 * absolute judge with {@code n} samples, both endpoints on one base URL (the simulator) with the given endpoint
 * settings. Uses the project's own template and rubric, so the judge prompt is the one users get. The reliability
 * tests write small ones; {@code ./assay bench crash} writes one of 100,000 calls.
 *
 * <p>The endpoint settings are written literally into the YAML flow map (e.g. {@code max_retries: 0}), so a test
 * states every limit it relies on instead of inheriting production defaults (a 500 ms first backoff, a 120 s read
 * timeout) that would make a fault run slow.
 */
public final class SmallRecipe {
  private final Path dir;
  private int prompts = 8;
  private int k = 2;
  private int n = 2;
  private long seed = 11;
  private String model = "sim-m0";
  private final Map<String, Object> endpoint = new LinkedHashMap<>();
  private String extra = "";
  private Path project = Path.of("").toAbsolutePath();
  private boolean oneEndpoint;

  private SmallRecipe(Path dir) {
    this.dir = dir;
    // Fast defaults for tests: a fault costs milliseconds, not seconds.
    endpoint.put("max_in_flight", 4);
    endpoint.put("initial_backoff_ms", 5);
    endpoint.put("max_backoff_ms", 50);
    endpoint.put("read_timeout_ms", 5000);
  }

  public static SmallRecipe in(Path dir) {
    return new SmallRecipe(dir);
  }

  public SmallRecipe prompts(int v) {
    prompts = v;
    return this;
  }

  public SmallRecipe k(int v) {
    k = v;
    return this;
  }

  public SmallRecipe n(int v) {
    n = v;
    return this;
  }

  public SmallRecipe seed(long v) {
    seed = v;
    return this;
  }

  public SmallRecipe model(String v) {
    model = v;
    return this;
  }

  /** An endpoint setting applied to both endpoints, e.g. {@code set("max_retries", 0)}. */
  public SmallRecipe endpoint(String key, Object value) {
    endpoint.put(key, value);
    return this;
  }

  /** YAML sections appended to the recipe as written (e.g. {@code reward_models:} and {@code consensus:}). */
  public SmallRecipe append(String yaml) {
    extra = extra + yaml;
    return this;
  }

  /** The project folder whose template and rubric the judge uses (default: the working directory). */
  public SmallRecipe project(Path v) {
    project = v.toAbsolutePath();
    return this;
  }

  /**
   * Generation and the judge share one endpoint, {@code policy}, so its {@code max_in_flight} bounds every request of
   * the run (two endpoints have a bound each, and a runner that overlaps the stages may fill both).
   */
  public SmallRecipe oneEndpoint() {
    oneEndpoint = true;
    return this;
  }

  public int generations() {
    return prompts * k;
  }

  public int judgments() {
    return prompts * k * n;
  }

  /** Writes {@code prompts.jsonl} and {@code recipe.yaml} into the folder and returns the recipe. */
  public Path write(String baseUrl) throws IOException {
    Files.createDirectories(dir);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < prompts; i++) {
      lines.append("{\"id\":\"q").append(i).append("\",\"prompt\":\"Explain briefly how item ").append(i)
          .append(" of the catalogue is used.\"}\n");
    }
    Files.writeString(dir.resolve("prompts.jsonl"), lines);
    String settings =
        endpoint.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    String yaml =
        """
        name: reliability
        seed: %d
        endpoints:
          policy: {base_url: "%s", model: %s, %s}
          %s
        input: {path: prompts.jsonl}
        generation: {endpoint: policy, k: %d}
        judges:
          - {name: self, endpoint: %s, n: %d, template: "%s", rubric: "%s"}
        """
            .formatted(
                seed, baseUrl, model, settings,
                oneEndpoint ? "" : "judge: {base_url: \"%s\", model: %s, %s}".formatted(baseUrl, model, settings), k,
                oneEndpoint ? "policy" : "judge", n,
                project.resolve("configs/templates/absolute.yaml"), project.resolve("configs/rubrics/helpfulness.yaml"));
    Path recipe = dir.resolve("recipe.yaml");
    Files.writeString(recipe, yaml + extra);
    return recipe;
  }
}
