package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

import dev.assay.config.ConfigException;
import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.Vote;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.RewardModelTypes;
import dev.assay.rewards.ShorterIsBetter;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reward-model type defined only in {@code src/test} ({@link ShorterIsBetter}), registered with one line, binds from
 * a recipe and votes in consensus end to end on the simulator, beside the built-in voters: its rewards are published
 * for every candidate, its votes are counted in every consensus decision, and the pairs it agreed with are kept.
 */
class RegisteredRewardModelTest {
  @TempDir Path tmp;

  @Test
  void theTestOnlyTypeIsRegistered() {
    assertThat(RewardModelTypes.all(), hasKey(ShorterIsBetter.TYPE));
    assertThat(RewardModelTypes.all().keySet().toString(), is("[implicit, judge, pairwise, shorter-is-better, trained, verifier]"));
  }

  @Test
  void anUnknownTypeNamesTheRegisteredOnes() throws Exception {
    Path recipe = recipe("  - {name: odd, type: shorter-is-bettr}\n");
    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class, () -> ConfigLoader.load(recipe, List.of(), List.of(), name -> null));
    assertThat(e.getMessage(), containsString("reward_models.3.type"));
    assertThat(e.getMessage(), containsString("shorter-is-better"));
  }

  @Test
  void votesInConsensusEndToEnd() throws Exception {
    Path recipe = recipe("  - {name: shorter, type: shorter-is-better, per_char: 0.02}\n");
    Path run = tmp.resolve("run");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      LoadedConfig loaded =
          ConfigLoader.load(recipe, List.of(), List.of("input.limit=12"), name -> name.equals("ASSAY_SIM_URL") ? sim.baseUrl() : null);
      RunResult result =
          RecipeRunner.run(
              loaded,
              new RecipeRunner.Options(run, false, true, "test", null, List.of("simulated"), null, false, RunnerChoice.direct()),
              new PrintStream(console, true, StandardCharsets.UTF_8));
      assertThat(console.toString(StandardCharsets.UTF_8), result.exitCode(), is(0));
    }
    RunDirectory dir = new RunDirectory(run);
    Map<String, Long> rewardsPerVoter =
        dir.read("rewards", "rewards.jsonl", CandidateReward.class).stream()
            .collect(Collectors.groupingBy(CandidateReward::rewardModel, Collectors.counting()));
    assertThat("the plugged-in voter rewards every candidate, as the judge voter does", rewardsPerVoter.get("shorter"), is(rewardsPerVoter.get("judge-self")));

    List<ConsensusPair> kept = dir.read("pairs", "consensus.jsonl", ConsensusPair.class);
    assertThat(kept.size(), greaterThan(0));
    for (ConsensusPair p : kept) {
      assertThat("every decision counts the plugged-in voter", p.votes().stream().map(Vote::rewardModel).toList(), hasItem("shorter"));
      assertThat(p.m(), is(4));
    }
    assertThat(
        "the plugged-in voter agreed with some kept pair",
        kept.stream().flatMap(p -> p.votes().stream()).anyMatch(v -> v.rewardModel().equals("shorter") && v.stance().equals(Vote.AGREE)),
        is(true));
  }

  /** The demo recipe with absolute paths and one more reward model entry after the built-in ones. */
  private Path recipe(String extraRewardModel) throws Exception {
    Path home = Path.of("").toAbsolutePath();
    String text = Files.readString(home.resolve("pipelines/demo.yaml"), StandardCharsets.UTF_8)
        .replace("../configs/", home.resolve("configs") + "/")
        .replace("path: data/", "path: " + home.resolve("pipelines/data") + "/")
        .replace("reference_endpoint: previous}\n", "reference_endpoint: previous}\n" + extraRewardModel);
    assertThat("the demo recipe still has the implicit voter this test appends after", text, containsString(extraRewardModel));
    Path recipe = tmp.resolve("recipe.yaml");
    Files.writeString(recipe, text, StandardCharsets.UTF_8);
    return recipe;
  }
}
