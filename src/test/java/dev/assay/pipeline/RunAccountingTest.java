package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.curation.rationalization.RationalizationMetrics;
import dev.assay.generation.Candidate;
import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.judging.JudgmentStatus;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.rewards.CandidateReward;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunAccounting} counts every stage from what it published: a reward model that was given candidates and
 * produced nothing has a line with its input rejected ({@code not_scored}) and stops the run as a silent voter, one
 * that scored some has its undefined rewards and failures with their reasons, and one that published more rewards than
 * it was given candidates does not balance.
 */
class RunAccountingTest {
  @TempDir Path tmp;

  @Test
  void aVoterThatProducedNothingIsCountedWithItsInputRejected() throws IOException {
    Recipe recipe = recipe();
    RunDirectory dir = new RunDirectory(tmp.resolve("run"));
    List<Candidate> candidates = List.of(candidate("p1", "a"), candidate("p1", "b"), candidate("p2", "a"), candidate("p2", "b"));
    write(dir.output("candidates", "candidates.jsonl"), candidates);
    // Voter "scored": two rewards, one undefined (no usable judgment), one candidate failed; voter "silent": nothing.
    write(dir.output("rewards", "rewards.jsonl"), List.of(
        new CandidateReward("scored", "p1", "p1/a", 7.0, 3, 3, 0.5),
        new CandidateReward("scored", "p1", "p1/b", 5.0, 3, 2, 0.0),
        new CandidateReward("scored", "p2", "p2/a", Double.NaN, 3, 0, 0.0)));
    write(dir.output("failures", "failures.jsonl"), List.of(
        new Failure("reward.scored", "p2/b", "{}", "UnusableLogprobsException", "no log-probs", 1)));

    Map<String, StageCount> stages = stages(recipe, dir);

    StageCount scored = stages.get("reward.scored");
    assertThat(scored.toString(), List.of(scored.in(), scored.out(), scored.rejected(), scored.failed()), is(List.of(4L, 2L, 1L, 1L)));
    assertThat(scored.reasons(), is(Map.of(RunAccounting.NO_USABLE_INPUT, 1L, "UnusableLogprobsException", 1L)));
    StageCount silent = stages.get("reward.silent");
    assertThat(silent.toString(), List.of(silent.in(), silent.out(), silent.rejected(), silent.failed()), is(List.of(4L, 0L, 4L, 0L)));
    assertThat(silent.reasons(), is(Map.of(RunAccounting.NOT_SCORED, 4L)));
    assertThat(stages.values().stream().allMatch(StageCount::balanced), is(true));
    assertThat(RunAccounting.silentVoters(recipe, stages), is(List.of("silent")));
  }

  @Test
  void moreRewardsThanCandidatesDoNotBalance() {
    StageCount invented = RunAccounting.rewardModel(2, new RunAccounting.RewardTally(3, 0), Map.of());
    assertThat(invented.toString(), invented.balanced(), is(false));
  }

  @Test
  void aJudgeCountsRefusedCallsAsFailedAndOtherStatusesAsRejected() {
    StageCount judge =
        RunAccounting.judge(
            10,
            Map.of(JudgmentStatus.OK, 6L, JudgmentStatus.UNPARSEABLE, 1L, JudgmentStatus.FAILED, 1L),
            Map.of(RunAccounting.BUDGET, 2L, "ServerErrorException", 1L));
    assertThat(judge.toString(), List.of(judge.in(), judge.out(), judge.rejected(), judge.failed()), is(List.of(10L, 6L, 1L, 3L)));
    assertThat(judge.balanced(), is(true));
  }

  private Map<String, StageCount> stages(Recipe recipe, RunDirectory dir) {
    RunInputs inputs = new RunInputs(RunInputs.Staged.NONE, RunInputs.Staged.NONE, Map.of(), RunInputs.Staged.NONE, List.of(), null);
    RationalizationMetrics.Tally tally = new RationalizationMetrics.Tally();
    return RunAccounting.stages(
        new RunAccounting.Scope(recipe, List.of(), null, 0, inputs), dir, RunAccounting.Published.read(recipe, dir, j -> {}), tally);
  }

  /** Two judge voters over one absolute judge; imported candidates, so no generation stage. */
  private Recipe recipe() throws IOException {
    Files.writeString(tmp.resolve("candidates.jsonl"), "{\"id\": \"p1/a\", \"prompt_id\": \"p1\", \"prompt\": \"q\", \"response\": \"r\"}\n");
    Files.writeString(
        tmp.resolve("r.yaml"),
        """
        name: accounting
        endpoints:
          judge: {base_url: "http://127.0.0.1:1/v1", model: "m"}
        input: {path: candidates.jsonl, format: candidates}
        judges:
          - {name: self, endpoint: judge, kind: absolute, n: 3, template: %s}
        reward_models:
          - {name: scored, type: judge, judge: self}
          - {name: silent, type: judge, judge: self}
        """.formatted(Path.of("configs/templates/absolute.yaml").toAbsolutePath()));
    return ConfigLoader.load(tmp.resolve("r.yaml"), List.of(), List.of(), name -> null).recipe();
  }

  private static Candidate candidate(String prompt, String id) {
    return new Candidate(prompt + "/" + id, prompt, "q", null, "r", "m", 0, "stop", null);
  }

  private static void write(Path file, List<?> records) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, records.stream().map(Json::line).collect(Collectors.joining("\n", "", "\n")));
  }
}
