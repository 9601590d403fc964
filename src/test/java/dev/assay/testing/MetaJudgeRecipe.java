package dev.assay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The self-rationalization recipe with an LLM meta-judge that the tests run on the simulator: 4 prompts x k = 4
 * responses from endpoint {@code policy}, judged by {@code self} (n = 5) on endpoint {@code judge}, pseudo-gold
 * pairs whose ties the judge {@code meta} (n = 1, same endpoint) breaks. The endpoints' {@code base_url}s are set
 * with {@code --set} to the simulator's.
 */
public final class MetaJudgeRecipe {
  /** Calls of the main pass: 16 generations and 16 x 5 judge samples. */
  public static final int MAIN_PASS_CALLS = 16 + 16 * 5;

  private MetaJudgeRecipe() {}

  /** Writes the recipe as {@code dir/name.yaml}, its paths resolved against the project folder, and returns it. */
  public static Path write(Path dir, String name) throws IOException {
    Path project = Path.of("").toAbsolutePath();
    String recipe =
        """
        name: %s
        seed: 7
        include: [%s]
        input: {path: %s, format: prompts, limit: 4}
        generation: {endpoint: policy, k: 4}
        judges:
          - {name: self, endpoint: judge, n: 5, template: %s, rubric: %s}
          - {name: meta, endpoint: judge, n: 1, template: %s, rubric: %s}
        rationalization: {judge: self, mode: pseudo-gold, tie_break: meta-judge, meta_judge: meta}
        """
            .formatted(
                name,
                project.resolve("configs/endpoints/simulator.yaml"),
                project.resolve("pipelines/data/demo-prompts.jsonl"),
                project.resolve("configs/templates/absolute.yaml"),
                project.resolve("configs/rubrics/helpfulness.yaml"),
                project.resolve("configs/templates/absolute.yaml"),
                project.resolve("configs/rubrics/helpfulness.yaml"));
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, recipe);
    return file;
  }
}
