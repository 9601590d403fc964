package dev.assay.pipeline;

import dev.assay.llm.EndpointConfig;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.run.RunCosts;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifest's {@code costs} from a finished run: each stage's fresh requests and tokens per endpoint (the
 * workers' {@code usage:} counters, {@link StageMetrics#usageCounter}), priced at that endpoint's prices, and the
 * pairs the run published. Online prices: requests sent in batch mode would be priced with
 * {@link EndpointConfig#batchCost}.
 */
final class RunCostsTally {
  private RunCostsTally() {}

  static RunCosts of(Recipe recipe, Map<String, Long> counters, RunDirectory dir) {
    List<RunCosts.StageCost> stages = new ArrayList<>();
    StageMetrics.stageUsage(counters).forEach((stage, byEndpoint) -> byEndpoint.forEach((endpoint, u) -> {
      EndpointConfig ep = recipe.endpoints().get(endpoint);
      Double cost = ep == null || !ep.priced() ? null : ep.billedCost(u[1], u[2]);
      stages.add(new RunCosts.StageCost(stage, endpoint, u[0], u[1], u[2], cost));
    }));
    return RunCosts.of(stages, keptPairs(dir.output("pairs", "pairs.jsonl")));
  }

  private static long keptPairs(Path pairs) {
    if (!Files.isRegularFile(pairs)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(pairs)) {
      return lines.filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count the kept pairs in " + pairs, e);
    }
  }
}
