package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.assay.judging.AdaptiveSampling;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Latency;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import dev.assay.testing.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive judge sampling end to end on the simulator: the rounds ask more samples only where the stopping rule says
 * so, a rerun sends nothing, and a run killed (SIGKILL) inside a later round resumes sending nothing twice and
 * publishes what an uninterrupted run publishes.
 */
@Timeout(240)
class AdaptiveSamplingRunTest {
  private static final long SEED = 20261206L;
  private static final AdaptiveSampling RULE = new AdaptiveSampling(2, 5, 1, 1.0, 0.5);
  private static final int PROMPTS = 12;
  private static final int K = 4;
  private static final double M0 = 0.5;
  private static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir Path tmp;

  @Test
  void roundsAskOnlyWhereUncertainAndARerunSendsNothing() throws Exception {
    // The judge's ranking feeds a consistency filter here, so the rounds follow rule 5 too (the plumbing from the
    // recipe to the rule is what the replay below checks).
    Path recipe = recipe(true);
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      String[] sets = sets(sim);
      Path run = runBalanced(recipe, "adaptive", sets);

      Map<String, Map<String, List<Judgment>>> byPrompt = new TreeMap<>();
      for (Judgment j : new RunDirectory(run).read("judgments", "judgments.jsonl", Judgment.class)) {
        if (!j.judge().equals("self")) {
          continue;
        }
        byPrompt.computeIfAbsent(j.itemId(), p -> new TreeMap<>()).computeIfAbsent(j.candidateA(), c -> new ArrayList<>()).add(j);
      }
      int judgments = 0;
      int moreThanMin = 0;
      int withoutRule5 = 0;
      for (var prompt : byPrompt.entrySet()) {
        // Replays the rounds from the published scores (sample i is the same draw in every run): the samples the rule
        // asks for, round by round, must be exactly the samples the run holds.
        Map<String, Integer> asked = replay(prompt.getValue(), true);
        withoutRule5 += replay(prompt.getValue(), false).values().stream().mapToInt(Integer::intValue).sum();
        for (var candidate : prompt.getValue().entrySet()) {
          TreeSet<Integer> samples = new TreeSet<>();
          candidate.getValue().forEach(j -> samples.add(j.sample()));
          int n = samples.size();
          assertThat(candidate.getKey() + ": samples 0..n-1, each once", samples.last() == n - 1 && n == candidate.getValue().size(), is(true));
          assertThat(candidate.getKey() + ": the samples the rule asked for", n, is(asked.get(candidate.getKey())));
          judgments += n;
          moreThanMin += n > 2 ? 1 : 0;
        }
      }
      assertThat("some candidates were asked again", moreThanMin, greaterThan(0));
      assertThat("rule 5 (the ranking feeds consistency) asked for more", judgments, greaterThan(withoutRule5));
      assertThat("fewer samples than n_max for all", judgments, lessThan(PROMPTS * K * 5));
      assertThat(RunComparison.manifest(run).at("/stages/judge.self/in").asInt(), is(judgments));

      int from = sim.requestLog().size();
      Cli.Result rerun = Cli.run(Cli.runArgs(recipe, run, true, sets));
      assertThat(rerun.toString(), rerun.exit(), is(0));
      assertThat("a rerun replays every round from the ledger", CrashProbe.servedOk(sim.requestLog(), from), is(empty()));
      System.out.printf("ADAPTIVE %d candidates: %d judge samples (without rule 5: %d; n_min 2: %d, n_max 5: %d); rerun: 0 requests%n",
          PROMPTS * K, judgments, withoutRule5, PROMPTS * K * 2, PROMPTS * K * 5);
    }
  }

  @Test
  void bothJudgesOfAConsistencyFilterAskInJointRoundsAndARerunSendsNothing() throws Exception {
    // Both the current judge and the previous judge are adaptive: their rounds read each other's scores (rule 6), so
    // each round's samples are replayed here from both judges' published scores with the rule itself.
    Path recipe = jointRecipe();
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      String[] sets = sets(sim);
      Path run = runBalanced(recipe, "joint", sets);

      Map<String, Map<String, Map<String, List<Judgment>>>> byJudge = new TreeMap<>();
      for (Judgment j : new RunDirectory(run).read("judgments", "judgments.jsonl", Judgment.class)) {
        if (j.judge().equals("self") || j.judge().equals("previous")) {
          byJudge.computeIfAbsent(j.judge(), x -> new TreeMap<>()).computeIfAbsent(j.itemId(), p -> new TreeMap<>())
              .computeIfAbsent(j.candidateA(), c -> new ArrayList<>()).add(j);
        }
      }
      int[] judgments = {0, 0};
      int askedByRule6Only = 0;
      for (String prompt : byJudge.get("self").keySet()) {
        Map<String, List<Judgment>> current = byJudge.get("self").get(prompt);
        Map<String, List<Judgment>> previous = byJudge.get("previous").get(prompt);
        Map<String, Integer> cur = new TreeMap<>();
        Map<String, Integer> prev = new TreeMap<>();
        current.keySet().forEach(c -> cur.put(c, 2));
        previous.keySet().forEach(c -> prev.put(c, 2));
        for (int round = 1; round <= RULE.rounds(); round++) {
          List<AdaptiveSampling.Known> kc = known(current, cur);
          List<AdaptiveSampling.Known> kp = known(previous, prev);
          AdaptiveSampling.Paired next = AdaptiveSampling.nextPair(RULE, kc, M0, RULE, kp, null, 0.6, false);
          askedByRule6Only += next.previous().size();
          next.current().forEach(m -> cur.put(m.candidateId(), m.to()));
          next.previous().forEach(m -> prev.put(m.candidateId(), m.to()));
        }
        for (int side = 0; side < 2; side++) {
          Map<String, List<Judgment>> published = side == 0 ? current : previous;
          Map<String, Integer> asked = side == 0 ? cur : prev;
          for (var candidate : published.entrySet()) {
            TreeSet<Integer> samples = new TreeSet<>();
            candidate.getValue().forEach(j -> samples.add(j.sample()));
            int n = samples.size();
            assertThat(candidate.getKey() + ": samples 0..n-1, each once", samples.last() == n - 1 && n == candidate.getValue().size(), is(true));
            assertThat(candidate.getKey() + ": the samples the joint rule asked for", n, is(asked.get(candidate.getKey())));
            judgments[side] += n;
          }
        }
      }
      // The previous judge has no margin to watch, so whatever it was asked again (beyond unparsed ones), rule 6 asked.
      assertThat("the previous judge was asked again where C(x) could cross the threshold", askedByRule6Only, greaterThan(0));
      assertThat(RunComparison.manifest(run).at("/stages/judge.self/in").asInt(), is(judgments[0]));
      assertThat(RunComparison.manifest(run).at("/stages/judge.previous/in").asInt(), is(judgments[1]));

      int from = sim.requestLog().size();
      Cli.Result rerun = Cli.run(Cli.runArgs(recipe, run, true, sets));
      assertThat(rerun.toString(), rerun.exit(), is(0));
      assertThat("a rerun replays every joint round from the ledger", CrashProbe.servedOk(sim.requestLog(), from), is(empty()));
      System.out.printf("ADAPTIVE joint %d candidates: self %d, previous %d judge samples (n_min 2: %d each, n_max 5: %d); rerun: 0 requests%n",
          PROMPTS * K, judgments[0], judgments[1], PROMPTS * K * 2, PROMPTS * K * 5);
    }
  }

  /** One run of the recipe in {@code tmp/name}; it must succeed with every stage balanced. */
  private Path runBalanced(Path recipe, String name, String[] sets) throws Exception {
    Path run = tmp.resolve(name);
    Cli.Result first = Cli.run(Cli.runArgs(recipe, run, false, sets));
    assertThat(first.toString(), first.exit(), is(0));
    RunComparison.assertEveryStageBalances(run);
    return run;
  }

  /** What one judge's published scores say of each candidate at the samples asked so far. */
  private static List<AdaptiveSampling.Known> known(Map<String, List<Judgment>> prompt, Map<String, Integer> asked) {
    List<AdaptiveSampling.Known> known = new ArrayList<>();
    for (var candidate : prompt.entrySet()) {
      int n = asked.get(candidate.getKey());
      List<Integer> scores = new ArrayList<>();
      for (Judgment j : candidate.getValue()) {
        if (j.sample() < n && j.status() == JudgmentStatus.OK) {
          scores.add(j.score());
        }
      }
      known.add(new AdaptiveSampling.Known(candidate.getKey(), n, scores));
    }
    return known;
  }

  @Test
  void killedInALaterRoundResumesSendingNothingTwice() throws Exception {
    // generations, then n_min samples of every candidate
    killInALaterRound(recipe(false), PROMPTS * K + PROMPTS * K * 2, "crash");
  }

  @Test
  void killedInALaterJointRoundResumesSendingNothingTwice() throws Exception {
    // generations, then n_min samples of every candidate by each of the two judges
    killInALaterRound(jointRecipe(), PROMPTS * K + 2 * PROMPTS * K * 2, "joint crash");
  }

  /** SIGKILL at a seeded ledger size after the first round; the resume must send nothing twice and publish the same. */
  private void killInALaterRound(Path recipe, int firstRound, String label) throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withLatency(Latency.parse("fixed:15")))) {
      String[] sets = sets(sim);
      Path reference = tmp.resolve("reference");
      Cli.Result uninterrupted = Cli.run(Cli.runArgs(recipe, reference, false, sets));
      assertThat(uninterrupted.toString(), uninterrupted.exit(), is(0));
      Set<String> referenceBodies = CrashProbe.ledgerBodies(reference.resolve("ledger"));
      int later = referenceBodies.size() - firstRound;
      assertThat("later rounds asked something", later, greaterThan(6));

      Path crashed = tmp.resolve("crashed");
      Path ledger = crashed.resolve("ledger");
      long point = firstRound + 3 + new Random(SEED).nextInt(later - 6);
      Path log = tmp.resolve("child.log");
      Process child = ChildJvm.start(tmp, log, CHILD_JVM, Map.of(), Cli.runArgs(recipe, crashed, false, sets));
      CrashProbe.killAt(child, ledger, point, log);
      Set<String> doneBeforeKill = CrashProbe.ledgerBodies(ledger);
      assertThat("the kill came inside a later round", doneBeforeKill.size(), greaterThan(firstRound));
      assertThat("the kill came inside a later round", doneBeforeKill.size(), lessThan(referenceBodies.size()));

      CrashProbe.resumeSendingNothingTwice(sim, Cli.runArgs(recipe, crashed, true, sets), doneBeforeKill);
      assertThat(CrashProbe.ledgerBodies(ledger), equalTo(referenceBodies));
      RunComparison.assertSamePublishedOutputs(reference, crashed, false);
      RunComparison.assertEveryStageBalances(crashed);
      System.out.printf("ADAPTIVE %s: %d calls (%d in round 0 with generation), killed at ledger size %d (seed %d);"
          + " resumed: 0 completed requests sent again, outputs identical%n", label, referenceBodies.size(), firstRound, point, SEED);
    }
  }

  /**
   * The rounds replayed from one prompt's published scores (sample i is the same draw in every run): the samples the
   * rule asks of each candidate, with or without rule 5.
   */
  private static Map<String, Integer> replay(Map<String, List<Judgment>> prompt, boolean ranking) {
    Map<String, Integer> asked = new TreeMap<>();
    prompt.keySet().forEach(c -> asked.put(c, 2));
    for (int round = 1; round <= RULE.rounds(); round++) {
      RULE.next(known(prompt, asked), M0, ranking).forEach(m -> asked.put(m.candidateId(), m.to()));
    }
    return asked;
  }

  /** {@link #recipe} with consistency, the previous judge adaptive too: the two judges ask in joint rounds. */
  private Path jointRecipe() throws Exception {
    Path recipe = recipe(true).resolveSibling("joint.yaml");
    Files.writeString(recipe, Files.readString(recipe(true))
        .replace("{name: previous, endpoint: previous, n: 2,", "{name: previous, endpoint: previous, adaptive: {n_min: 2, n_max: 5, step: 1, z: 1.0, sd_floor: 0.5},"));
    return recipe;
  }

  private static String[] sets(Simulator sim) {
    return new String[] {
      "endpoints.policy.base_url=" + sim.baseUrl(), "endpoints.judge.base_url=" + sim.baseUrl(), "endpoints.judge.max_in_flight=3",
      "endpoints.previous.base_url=" + sim.baseUrl()
    };
  }

  /**
   * Generation, one adaptive absolute judge whose reward model is the consensus primary (so rule 3 watches m0) and,
   * with {@code consistency}, the current side of a consistency filter against a fixed-n judge on the previous
   * model (so rule 5 watches the whole ranking).
   */
  private Path recipe(boolean consistency) throws Exception {
    Path project = Path.of("").toAbsolutePath();
    String template = project.resolve("configs/templates/absolute.yaml").toString();
    String rubric = project.resolve("configs/rubrics/helpfulness.yaml").toString();
    String yaml =
        """
        name: adaptive
        seed: 5
        include: [%s]
        input: {path: %s, format: prompts, limit: %d}
        generation: {endpoint: policy, k: %d}
        judges:
          - {name: self, endpoint: judge, template: %s, rubric: %s, adaptive: {n_min: 2, n_max: 5, step: 1, z: 1.0, sd_floor: 0.5}}
        reward_models:
          - {name: judge-self, type: judge, judge: self}
        consensus: {k: 1, c: 0.5, m0: %s, primary: judge-self}
        """
            .formatted(
                project.resolve("configs/endpoints/simulator.yaml"),
                project.resolve("pipelines/data/topics-80.jsonl"),
                PROMPTS,
                K,
                template,
                rubric,
                M0);
    if (consistency) {
      // The previous model judges too (another model than the judge's, so its draws are its own), at a fixed n.
      yaml = yaml.replace("judges:\n", "judges:\n  - {name: previous, endpoint: previous, n: 2, template: " + template + ", rubric: " + rubric + "}\n")
          + "endpoints: {previous: {model: sim-m1}}\n"
          + "consistency: {reward_model: judge-self, previous_judge: previous, mode: filter, threshold: 0.6}\n";
    }
    Path file = tmp.resolve("adaptive.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
