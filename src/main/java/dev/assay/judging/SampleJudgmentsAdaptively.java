package dev.assay.judging;

import dev.assay.generation.Candidate;
import dev.assay.grouping.GroupIntoPromptShards;
import dev.assay.io.Failure;
import dev.assay.io.JsonCoder;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Rounds of judging for an adaptive absolute judge ({@link AdaptiveSampling}): round 0 asks every candidate for
 * {@code n_min} samples; each later round groups the candidates with the judgments so far by prompt shard, applies
 * the stopping rule per prompt ({@link AdaptiveSampling#next}) and asks only the uncertain candidates for
 * {@code step} more samples. The graph is unrolled to {@link AdaptiveSampling#rounds()} rounds, so it stays one Beam
 * pipeline; a round with nothing uncertain is empty.
 *
 * <p>Every round's calls go through the same ledgered call step as fixed {@code n} ({@link SampleJudgments}), and
 * the rule reads only the judgments' scores, so a rerun replays every round from the ledger (0 requests) and a
 * resume after a kill sends only what the ledger lacks. Output: the judgments and failures of all rounds, as
 * {@link SampleJudgments} outputs them. Counters: {@code stage.judge.<name>.in} counts every sample asked (the
 * accounting's {@code in}); {@code adaptive.<name>.round_<r>} the candidates round {@code r} re-judged.
 */
final class SampleJudgmentsAdaptively {
  private SampleJudgmentsAdaptively() {}

  static PCollectionTuple rounds(
      JudgeDefinition judge,
      PCollection<Candidate> candidates,
      PCollection<JudgeRequest> first,
      Supplier<PTransform<PCollection<JudgeRequest>, PCollectionTuple>> ask,
      Double margin,
      boolean ranking) {
    AdaptiveSampling rule = Objects.requireNonNull(judge.adaptive(), "adaptive");
    PCollectionTuple round0 = first.apply("Round0", ask.get());
    List<PCollection<Judgment>> judgments = new ArrayList<>(List.of(round0.get(SampleJudgments.JUDGMENTS)));
    List<PCollection<Failure>> failures = new ArrayList<>(List.of(round0.get(SampleJudgments.FAILURES)));
    PCollection<RoundInput> known =
        candidates
            .apply("KnownCandidates", MapElements.into(TypeDescriptor.of(RoundInput.class)).via(RoundInput::of))
            .setCoder(JsonCoder.of(RoundInput.class));
    PCollection<Judgment> soFar = round0.get(SampleJudgments.JUDGMENTS);
    for (int r = 1; r <= rule.rounds(); r++) {
      String name = "Round" + r;
      PCollection<RoundInput> scores =
          soFar
              .apply(name + "-Scores", MapElements.into(TypeDescriptor.of(RoundInput.class)).via(RoundInput::of))
              .setCoder(JsonCoder.of(RoundInput.class));
      PCollection<JudgeRequest> more =
          PCollectionList.of(known).and(scores)
              .apply(name + "-Known", Flatten.pCollections())
              .apply(name + "-ByPrompt", GroupIntoPromptShards.of(RoundInput::promptId))
              .apply(name + "-Uncertain", ParDo.of(new NextRoundFn(judge.name(), rule, margin, ranking, r)))
              .setCoder(JsonCoder.of(JudgeRequest.class));
      PCollectionTuple asked = more.apply(name, ask.get());
      judgments.add(asked.get(SampleJudgments.JUDGMENTS));
      failures.add(asked.get(SampleJudgments.FAILURES));
      soFar =
          PCollectionList.of(soFar).and(asked.get(SampleJudgments.JUDGMENTS))
              .apply(name + "-SoFar", Flatten.pCollections());
    }
    PCollection<Judgment> allJudgments = PCollectionList.of(judgments).apply("AllRounds", Flatten.pCollections());
    PCollection<Failure> allFailures = PCollectionList.of(failures).apply("AllRoundFailures", Flatten.pCollections());
    allJudgments.setCoder(JudgmentCoder.of());
    allFailures.setCoder(JsonCoder.of(Failure.class));
    return PCollectionTuple.of(SampleJudgments.JUDGMENTS, allJudgments).and(SampleJudgments.FAILURES, allFailures);
  }

  /**
   * What one round groups by prompt: a candidate (to ask it again), or one judgment shrunk to its score.
   *
   * @param promptId the prompt
   * @param candidate the candidate, or null for a score
   * @param candidateId the candidate judged (null for a candidate record)
   * @param sample the judgment's sample index
   * @param status the judgment's status
   * @param score its score when ok
   */
  record RoundInput(String promptId, Candidate candidate, String candidateId, int sample, JudgmentStatus status, Integer score) {
    RoundInput {
      Objects.requireNonNull(promptId, "promptId");
    }

    static RoundInput of(Candidate c) {
      return new RoundInput(c.promptId(), c, null, 0, null, null);
    }

    static RoundInput of(Judgment j) {
      return new RoundInput(j.itemId(), null, j.candidateA(), j.sample(), j.status(), j.score());
    }
  }

  /** Applies the stopping rule to each prompt of a shard and asks for the next samples of the uncertain candidates. */
  private static final class NextRoundFn extends DoFn<KV<Integer, Iterable<RoundInput>>, JudgeRequest> {
    private final String judge;
    private final AdaptiveSampling rule;
    private final Double margin;
    private final boolean ranking;
    private final int round;
    private transient Counter rejudged;

    NextRoundFn(String judge, AdaptiveSampling rule, Double margin, boolean ranking, int round) {
      this.judge = judge;
      this.rule = rule;
      this.margin = margin;
      this.ranking = ranking;
      this.round = round;
    }

    @Setup
    public void setup() {
      rejudged = Metrics.counter(StageMetrics.NAMESPACE, counter(judge, round));
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RoundInput>> shard, OutputReceiver<JudgeRequest> out) {
      for (List<RoundInput> prompt : GroupIntoPromptShards.byPrompt(shard.getValue(), RoundInput::promptId).values()) {
        for (JudgeRequest r : next(prompt, rule, margin, ranking)) {
          rejudged.inc();
          out.output(r);
        }
      }
    }
  }

  /** The counter of the candidates round {@code round} asked {@code judge} about again. */
  static String counter(String judge, int round) {
    return "adaptive." + judge + ".round_" + round;
  }

  /** One prompt's next requests: the rule applied to what its records say. Pure. */
  static List<JudgeRequest> next(List<RoundInput> prompt, AdaptiveSampling rule, Double margin, boolean ranking) {
    Map<String, Candidate> candidates = new HashMap<>();
    Map<String, Integer> asked = new HashMap<>();
    Map<String, List<Integer>> scores = new HashMap<>();
    for (RoundInput in : prompt) {
      if (in.candidate() != null) {
        candidates.putIfAbsent(in.candidate().id(), in.candidate());
        continue;
      }
      asked.merge(in.candidateId(), in.sample() + 1, Math::max);
      List<Integer> s = scores.computeIfAbsent(in.candidateId(), k -> new ArrayList<>());
      if (in.status() == JudgmentStatus.OK && in.score() != null) {
        s.add(in.score());
      }
    }
    List<AdaptiveSampling.Known> known = new ArrayList<>();
    for (String id : candidates.keySet()) {
      // Score order does not change the mean or the spread, but sorting keeps the rule's input canonical.
      List<Integer> s = new ArrayList<>(scores.getOrDefault(id, List.of()));
      s.sort(null);
      known.add(new AdaptiveSampling.Known(id, asked.getOrDefault(id, 0), s));
    }
    List<JudgeRequest> out = new ArrayList<>();
    for (AdaptiveSampling.More m : rule.next(known, margin, ranking)) {
      out.add(new JudgeRequest(JudgeItem.single(candidates.get(m.candidateId())), m.from(), m.to()));
    }
    return out;
  }
}
