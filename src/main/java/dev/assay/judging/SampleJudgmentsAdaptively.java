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
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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
    PCollection<RoundInput> known = knownCandidates(candidates);
    PCollection<Judgment> soFar = round0.get(SampleJudgments.JUDGMENTS);
    for (int r = 1; r <= rule.rounds(); r++) {
      String name = "Round" + r;
      PCollection<JudgeRequest> more =
          byPrompt(name, known, soFar)
              .apply(name + "-Uncertain", ParDo.of(new NextRoundFn(judge.name(), rule, margin, ranking, r)))
              .setCoder(JsonCoder.of(JudgeRequest.class));
      PCollectionTuple asked = more.apply(name, ask.get());
      judgments.add(asked.get(SampleJudgments.JUDGMENTS));
      failures.add(asked.get(SampleJudgments.FAILURES));
      soFar =
          PCollectionList.of(soFar).and(asked.get(SampleJudgments.JUDGMENTS))
              .apply(name + "-SoFar", Flatten.pCollections());
    }
    return allRounds(judgments, failures);
  }

  /**
   * The two adaptive judges of a consistency filter, judged in joint rounds (rule 6 of {@link AdaptiveSampling}).
   *
   * @param current the judge of the consistency's {@code reward_model}
   * @param previous its {@code previous_judge}
   * @param margin rule 3's {@code m0} for the current judge, or null
   * @param previousMargin rule 3's {@code m0} for the previous judge, or null
   * @param threshold the filter's threshold on C(x)
   * @param keepUndefined whether the filter keeps a prompt whose C(x) is undefined
   */
  record Pair(
      JudgeDefinition current, JudgeDefinition previous, Double margin, Double previousMargin, double threshold,
      boolean keepUndefined) implements java.io.Serializable {
    Pair {
      Objects.requireNonNull(current.adaptive(), "current.adaptive");
      Objects.requireNonNull(previous.adaptive(), "previous.adaptive");
    }
  }

  /**
   * Rounds of both judges of a consistency filter together: as {@link #rounds}, but each round groups both judges'
   * scores by prompt and applies {@link AdaptiveSampling#nextPair}, so a pair's order is re-asked on either side
   * only where it could move C(x) across the threshold. Each judge's calls go through its own ledgered call step
   * ({@code askCurrent}, {@code askPrevious}), the same requests fixed {@code n} sends; round 0 is {@code
   * firstCurrent} and {@code firstPrevious}. Output: both judges' judgments and failures of all rounds.
   */
  static PCollectionTuple pairedRounds(
      Pair pair,
      PCollection<Candidate> candidates,
      PCollection<JudgeRequest> firstCurrent,
      PCollection<JudgeRequest> firstPrevious,
      Supplier<PTransform<PCollection<JudgeRequest>, PCollectionTuple>> askCurrent,
      Supplier<PTransform<PCollection<JudgeRequest>, PCollectionTuple>> askPrevious) {
    PCollectionTuple round0Current = firstCurrent.apply("Round0-" + pair.current().name(), askCurrent.get());
    PCollectionTuple round0Previous = firstPrevious.apply("Round0-" + pair.previous().name(), askPrevious.get());
    List<PCollection<Judgment>> judgments = new ArrayList<>(
        List.of(round0Current.get(SampleJudgments.JUDGMENTS), round0Previous.get(SampleJudgments.JUDGMENTS)));
    List<PCollection<Failure>> failures = new ArrayList<>(
        List.of(round0Current.get(SampleJudgments.FAILURES), round0Previous.get(SampleJudgments.FAILURES)));
    PCollection<Judgment> soFar = PCollectionList.of(judgments).apply("Round0-SoFar", Flatten.pCollections());
    PCollection<RoundInput> known = knownCandidates(candidates);
    int rounds = Math.max(pair.current().adaptive().rounds(), pair.previous().adaptive().rounds());
    for (int r = 1; r <= rounds; r++) {
      String name = "Round" + r;
      PCollectionTuple more =
          byPrompt(name, known, soFar)
              .apply(name + "-Uncertain",
                  ParDo.of(new NextPairFn(pair, r)).withOutputTags(CURRENT, TupleTagList.of(PREVIOUS)));
      PCollectionTuple askedCurrent =
          more.get(CURRENT).setCoder(JsonCoder.of(JudgeRequest.class)).apply(name + "-" + pair.current().name(), askCurrent.get());
      PCollectionTuple askedPrevious =
          more.get(PREVIOUS).setCoder(JsonCoder.of(JudgeRequest.class)).apply(name + "-" + pair.previous().name(), askPrevious.get());
      judgments.add(askedCurrent.get(SampleJudgments.JUDGMENTS));
      judgments.add(askedPrevious.get(SampleJudgments.JUDGMENTS));
      failures.add(askedCurrent.get(SampleJudgments.FAILURES));
      failures.add(askedPrevious.get(SampleJudgments.FAILURES));
      soFar =
          PCollectionList.of(soFar).and(askedCurrent.get(SampleJudgments.JUDGMENTS)).and(askedPrevious.get(SampleJudgments.JUDGMENTS))
              .apply(name + "-SoFar", Flatten.pCollections());
    }
    return allRounds(judgments, failures);
  }

  /** The candidates as round records: each round groups them with the scores so far, to ask them again. */
  private static PCollection<RoundInput> knownCandidates(PCollection<Candidate> candidates) {
    return candidates
        .apply("KnownCandidates", MapElements.into(TypeDescriptor.of(RoundInput.class)).via(RoundInput::of))
        .setCoder(JsonCoder.of(RoundInput.class));
  }

  /** One round's input: the candidates and every judgment so far, grouped by prompt shard. */
  private static PCollection<KV<Integer, Iterable<RoundInput>>> byPrompt(
      String name, PCollection<RoundInput> known, PCollection<Judgment> soFar) {
    PCollection<RoundInput> scores =
        soFar
            .apply(name + "-Scores", MapElements.into(TypeDescriptor.of(RoundInput.class)).via(RoundInput::of))
            .setCoder(JsonCoder.of(RoundInput.class));
    return PCollectionList.of(known).and(scores)
        .apply(name + "-Known", Flatten.pCollections())
        .apply(name + "-ByPrompt", GroupIntoPromptShards.of(RoundInput::promptId));
  }

  /** Every round's judgments and failures, as {@link SampleJudgments} outputs them. */
  private static PCollectionTuple allRounds(List<PCollection<Judgment>> judgments, List<PCollection<Failure>> failures) {
    PCollection<Judgment> allJudgments = PCollectionList.of(judgments).apply("AllRounds", Flatten.pCollections());
    PCollection<Failure> allFailures = PCollectionList.of(failures).apply("AllRoundFailures", Flatten.pCollections());
    allJudgments.setCoder(JudgmentCoder.of());
    allFailures.setCoder(JsonCoder.of(Failure.class));
    return PCollectionTuple.of(SampleJudgments.JUDGMENTS, allJudgments).and(SampleJudgments.FAILURES, allFailures);
  }

  private static final TupleTag<JudgeRequest> CURRENT = new TupleTag<>() {};
  private static final TupleTag<JudgeRequest> PREVIOUS = new TupleTag<>() {};

  /** Applies rule 6 (with rules 3 and 4) to each prompt of a shard and asks each judge for its uncertain candidates. */
  private static final class NextPairFn extends DoFn<KV<Integer, Iterable<RoundInput>>, JudgeRequest> {
    private final Pair pair;
    private final int round;
    private transient Counter rejudgedCurrent;
    private transient Counter rejudgedPrevious;

    NextPairFn(Pair pair, int round) {
      this.pair = pair;
      this.round = round;
    }

    @Setup
    public void setup() {
      rejudgedCurrent = Metrics.counter(StageMetrics.NAMESPACE, counter(pair.current().name(), round));
      rejudgedPrevious = Metrics.counter(StageMetrics.NAMESPACE, counter(pair.previous().name(), round));
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RoundInput>> shard, MultiOutputReceiver out) {
      for (List<RoundInput> prompt : GroupIntoPromptShards.byPrompt(shard.getValue(), RoundInput::promptId).values()) {
        Map<String, Candidate> candidates = candidates(prompt);
        AdaptiveSampling.Paired next = nextPair(prompt, pair);
        for (JudgeRequest r : requests(candidates, next.current())) {
          rejudgedCurrent.inc();
          out.get(CURRENT).output(r);
        }
        for (JudgeRequest r : requests(candidates, next.previous())) {
          rejudgedPrevious.inc();
          out.get(PREVIOUS).output(r);
        }
      }
    }
  }

  /**
   * What one round groups by prompt: a candidate (to ask it again), or one judgment shrunk to its score.
   *
   * @param promptId the prompt
   * @param judge the judge of a score (null for a candidate record); paired rounds read two judges' scores
   * @param candidate the candidate, or null for a score
   * @param candidateId the candidate judged (null for a candidate record)
   * @param sample the judgment's sample index
   * @param status the judgment's status
   * @param score its score when ok
   */
  record RoundInput(
      String promptId, String judge, Candidate candidate, String candidateId, int sample, JudgmentStatus status, Integer score) {
    RoundInput {
      Objects.requireNonNull(promptId, "promptId");
    }

    static RoundInput of(Candidate c) {
      return new RoundInput(c.promptId(), null, c, null, 0, null, null);
    }

    static RoundInput of(Judgment j) {
      return new RoundInput(j.itemId(), j.judge(), null, j.candidateA(), j.sample(), j.status(), j.score());
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
    Map<String, Candidate> candidates = candidates(prompt);
    return requests(candidates, rule.next(known(prompt, candidates, null), margin, ranking));
  }

  /** One prompt's next requests of both judges of a consistency filter (rule 6, {@link AdaptiveSampling#nextPair}). Pure. */
  static AdaptiveSampling.Paired nextPair(List<RoundInput> prompt, Pair pair) {
    Map<String, Candidate> candidates = candidates(prompt);
    return AdaptiveSampling.nextPair(
        pair.current().adaptive(), known(prompt, candidates, pair.current().name()), pair.margin(),
        pair.previous().adaptive(), known(prompt, candidates, pair.previous().name()), pair.previousMargin(),
        pair.threshold(), pair.keepUndefined());
  }

  private static Map<String, Candidate> candidates(List<RoundInput> prompt) {
    Map<String, Candidate> candidates = new HashMap<>();
    for (RoundInput in : prompt) {
      if (in.candidate() != null) {
        candidates.putIfAbsent(in.candidate().id(), in.candidate());
      }
    }
    return candidates;
  }

  /** What the records say of each candidate, counting only {@code judge}'s scores (null: every score). */
  private static List<AdaptiveSampling.Known> known(List<RoundInput> prompt, Map<String, Candidate> candidates, String judge) {
    Map<String, Integer> asked = new HashMap<>();
    Map<String, List<Integer>> scores = new HashMap<>();
    for (RoundInput in : prompt) {
      if (in.candidate() != null || (judge != null && !judge.equals(in.judge()))) {
        continue;
      }
      asked.merge(in.candidateId(), in.sample() + 1, Math::max);
      List<Integer> s = scores.computeIfAbsent(in.candidateId(), k -> new ArrayList<>());
      if (in.status() == JudgmentStatus.OK && in.score() != null) {
        s.add(in.score());
      }
    }
    List<AdaptiveSampling.Known> known = new ArrayList<>();
    for (String id : new java.util.TreeSet<>(candidates.keySet())) {
      // Score order does not change the mean or the spread, but sorting keeps the rule's input canonical.
      List<Integer> s = new ArrayList<>(scores.getOrDefault(id, List.of()));
      s.sort(null);
      known.add(new AdaptiveSampling.Known(id, asked.getOrDefault(id, 0), s));
    }
    return known;
  }

  private static List<JudgeRequest> requests(Map<String, Candidate> candidates, List<AdaptiveSampling.More> more) {
    List<JudgeRequest> out = new ArrayList<>();
    for (AdaptiveSampling.More m : more) {
      out.add(new JudgeRequest(JudgeItem.single(candidates.get(m.candidateId())), m.from(), m.to()));
    }
    return out;
  }
}
