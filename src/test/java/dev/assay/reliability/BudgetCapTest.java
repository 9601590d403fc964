package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.bench.SmallRecipe;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token budget small enough to stop a run midway in both stages: the run exits 1 saying it stopped at the cap,
 * its manifest says {@code budget_exhausted}, every call the cap refused is a {@code BudgetExceededException} failure
 * with zero attempts (and the simulator saw exactly the calls that completed), and a resume with a larger cap sends
 * only what was not done and ends byte-identical to an uninterrupted run.
 */
@Timeout(60)
class BudgetCapTest {
  private static final int PROMPTS = 8;
  private static final int K = 2;
  private static final int N = 2;

  @TempDir Path tmp;

  private static long tokens(JsonNode manifest, String endpoint) {
    JsonNode u = manifest.path("usage").path(endpoint);
    return u.path("prompt_tokens").asLong() + u.path("completion_tokens").asLong();
  }

  private static long requests(JsonNode manifest) {
    long n = 0;
    for (JsonNode u : manifest.path("usage")) {
      n += u.path("requests").asLong();
    }
    return n;
  }

  @Test
  void stopsCleanlyAtTheCapAndAResumeWithALargerCapFinishesIdentically() throws Exception {
    List<String> promptIds = IntStream.range(0, PROMPTS).mapToObj(i -> "q" + i).toList();
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      // In flight 1: the cap is checked before each call, so only calls already sent can overshoot it.
      SmallRecipe r = SmallRecipe.in(tmp).prompts(PROMPTS).k(K).n(N).endpoint("max_in_flight", 1);
      Path recipe = r.write(sim.baseUrl());

      Path reference = tmp.resolve("reference");
      Cli.Result full = Cli.run(Cli.runArgs(recipe, reference, false));
      assertThat(full.toString(), full.exit(), is(0));
      RunFiles ref = RunFiles.read(reference);
      long policyTokens = tokens(ref.manifest, "policy");
      long judgeTokens = tokens(ref.manifest, "judge");
      int total = r.generations() + r.judgments();

      // Half of what generation needs, a quarter of what judging needs: both stages stop midway.
      Path capped = tmp.resolve("capped");
      String[] caps = {
        "endpoints.policy.budget_tokens=" + policyTokens / 2, "endpoints.judge.budget_tokens=" + judgeTokens / 4
      };
      long before = sim.servedCount("/v1/chat/completions");
      Cli.Result stopped = Cli.run(Cli.runArgs(recipe, capped, false, caps));
      long sentCapped = sim.servedCount("/v1/chat/completions") - before;
      assertThat(stopped.toString(), stopped.exit(), is(1));
      assertThat(stopped.out(), containsString("stopped at the budget cap"));
      RunFiles cut = RunFiles.read(capped);
      assertThat(cut.manifest.path("status").asText(), is("budget_exhausted"));
      cut.assertAccountedFor(promptIds, K, N);
      assertThat(cut.failures(RunFiles.GENERATE).size(), greaterThan(0));
      assertThat(cut.failures(RunFiles.JUDGE).size(), greaterThan(0));
      assertThat(
          cut.failures.stream().map(f -> f.path("error_class").asText()).toList(),
          everyItem(is("BudgetExceededException")));
      assertThat(cut.failures.stream().map(f -> f.path("attempts").asInt()).toList(), everyItem(is(0)));
      assertThat(cut.failures.get(0).path("message").asText(), containsString("budget"));
      // A call the cap refused is not a judgment: the judge never saw it, so it must not count against its parse rate.
      assertThat("no judgment stands for a refused call", cut.judgmentsWithStatus("failed"), is(0L));
      // What reached the simulator is exactly what completed: nothing was sent for the refused calls.
      long completed = cut.candidates.size() + cut.judgments.size();
      assertThat(sentCapped, is(completed));
      assertThat("the manifest counts only requests that were sent", requests(cut.manifest), is(completed));
      assertThat(completed + cut.failures.size(), lessThan((long) total + 1));
      assertThat(tokens(cut.manifest, "policy"), lessThan(policyTokens));

      // Resume with caps large enough: only the rest is sent, and the result equals the uninterrupted run.
      String[] raised = {
        "endpoints.policy.budget_tokens=" + policyTokens * 10, "endpoints.judge.budget_tokens=" + judgeTokens * 10
      };
      long mark = sim.servedCount("/v1/chat/completions");
      Cli.Result resumed = Cli.run(Cli.runArgs(recipe, capped, true, raised));
      long sentResume = sim.servedCount("/v1/chat/completions") - mark;
      assertThat(resumed.toString(), resumed.exit(), is(0));
      RunFiles done = RunFiles.read(capped);
      assertThat(done.manifest.path("status").asText(), is("complete"));
      done.assertAccountedFor(promptIds, K, N);
      assertThat("only what was not done is sent", sentResume, is(total - completed));
      for (String out : List.of("candidates/candidates.jsonl", "judgments/judgments.jsonl", "failures/failures.jsonl")) {
        assertThat(out, done.bytes(out), equalTo(ref.bytes(out)));
      }
      System.out.printf(
          "RELIABILITY budget: %d calls; caps policy %d of %d tokens, judge %d of %d; stopped run sent %d, refused %d "
              + "(generate %d, judge %d), exit %d, status budget_exhausted; resume sent %d, outputs identical: yes%n",
          total, policyTokens / 2, policyTokens, judgeTokens / 4, judgeTokens, sentCapped, cut.failures.size(),
          cut.failures(RunFiles.GENERATE).size(), cut.failures(RunFiles.JUDGE).size(), stopped.exit(), sentResume);
    }
  }

  @Test
  void aCapThatRefusesAWholeJudgeStillEndsAsABudgetStop() throws Exception {
    // The judge endpoint's cap of 1 token refuses nearly every call of the consensus primary's judge: most prompts
    // reach consensus without a primary reward (no_primary_pair), which once made the stage not balance (exit 70).
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Path run = tmp.resolve("judge-refused");
      String[] sets = {
        "input.limit=12", "endpoints.policy.base_url=" + sim.baseUrl(), "endpoints.judge.base_url=" + sim.baseUrl(),
        "endpoints.previous.base_url=" + sim.baseUrl(), "endpoints.judge.budget_tokens=1"
      };
      Cli.Result stopped = Cli.run(Cli.runArgs(Path.of("pipelines", "demo.yaml").toAbsolutePath(), run, false, sets));
      assertThat(stopped.toString(), stopped.exit(), is(1));
      assertThat(stopped.out(), containsString("stopped at the budget cap"));
      assertThat(dev.assay.testing.RunComparison.manifest(run).path("status").asText(), is("budget_exhausted"));
      dev.assay.testing.RunComparison.assertEveryStageBalances(run);
    }
  }
}
