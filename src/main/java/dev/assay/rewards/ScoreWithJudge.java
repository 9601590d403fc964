package dev.assay.rewards;

import dev.assay.grouping.GroupIntoPromptShards;
import dev.assay.grouping.PromptShards;
import dev.assay.io.BinaryFields;
import dev.assay.io.BinaryRecordCoder;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.run.StageMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code judge} reward model: turns one absolute judge's N judgments per candidate into a reward per candidate
 * and a preference per pair of candidates of the same prompt.
 *
 * <p><b>Reward.</b> The mean of the candidate's ok scores; {@code samples} = judgments of it by this judge (any
 * status), {@code usable} = ok ones, {@code spread} = their sample standard deviation. A candidate without an ok
 * judgment gets reward NaN and usable 0: a failed or unparseable judgment is never turned into a score. Median, min,
 * max, the share that parsed and the count per status are in {@link #SCORE_STATS} ({@link JudgeScoreStats}).
 *
 * <p><b>Pair probability.</b> For candidates x < y (by id) with ok scores {@code X} and {@code Y}:
 * {@code P(x better) = (#{(a, b) in X x Y : a > b} + 0.5 #{a = b}) / (|X| |Y|)}: the chance that a random ok score
 * of x beats a random ok score of y, ties counted half (the Mann-Whitney probability of superiority). All sample
 * pairs are compared, not only equal sample indices, because samples of different candidates are independent draws
 * and pairing by index would throw away evidence. {@code votes} = {@code |X| |Y|}. A pair where either side has no ok
 * score is skipped (no preference is made up) and counted ({@code stage.reward.<name>.pairs_undefined}).
 *
 * <p><b>Input.</b> The recipe's judgments; only absolute judgments of the configured judge are read. The same
 * judge's pairwise judgments (a configuration mistake) are counted as {@code other_kind} and ignored. A second
 * judgment for the same candidate and sample index (a duplicated import) is counted as {@code duplicates} and
 * dropped, keeping the first in (status, score) order so the result does not depend on arrival order. A candidate
 * appears iff this judge was asked about it at least once ({@code SampleJudgments} emits one judgment per request,
 * failures included).
 *
 * <p><b>Shuffle.</b> Judgments are shrunk to (prompt, candidate, sample, status, score) and grouped by
 * {@link GroupIntoPromptShards} (at most {@code shards} keys); prompts are separated inside each shard. Counters
 * (namespace {@value StageMetrics#NAMESPACE}, stage {@code reward.<name>}): {@code in} candidates, {@code out}
 * defined rewards, {@code rejected} undefined ones, plus {@code pairs}, {@code pairs_undefined},
 * {@code judgments_not_ok}, {@code other_kind}, {@code duplicates}, {@code shard_groups}.
 */
public final class ScoreWithJudge extends PTransform<PCollection<Judgment>, RewardModelOutput> {
  /** Per-candidate score summaries (median, std, parse share, counts per status). */
  public static final TupleTag<JudgeScoreStats> SCORE_STATS = new TupleTag<>("score-stats") {};

  private final String rewardModel;
  private final String judge;
  private final int shards;

  private ScoreWithJudge(String rewardModel, String judge, int shards) {
    super("ScoreWithJudge");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.judge = Objects.requireNonNull(judge, "judge");
    PromptShards.requireCount(shards);
    this.shards = shards;
  }

  /**
   * @param rewardModel the voter's name ({@link RewardModelSpec#name()}), written on every output
   * @param judge the configured judge whose absolute judgments are read
   */
  public static ScoreWithJudge of(String rewardModel, String judge) {
    return new ScoreWithJudge(rewardModel, judge, GroupIntoPromptShards.DEFAULT_SHARDS);
  }

  /** From a {@code judge} spec. */
  public static ScoreWithJudge of(RewardModelSpec.Judge spec) {
    return of(spec.name(), spec.judge());
  }

  /** The same transform grouping into {@code shards} keys. */
  public ScoreWithJudge withShards(int shards) {
    return new ScoreWithJudge(rewardModel, judge, shards);
  }

  @Override
  public RewardModelOutput expand(PCollection<Judgment> judgments) {
    PCollectionTuple out =
        judgments
            .apply("ShrinkToScores", ParDo.of(new ShrinkFn(new PromptScorer(rewardModel, judge))))
            .setCoder(ScoreSampleCoder.INSTANCE)
            .apply(GroupIntoPromptShards.of(ScoreSample::promptId, shards))
            .apply(
                "ScorePrompts",
                ParDo.of(new ScoreFn(new PromptScorer(rewardModel, judge)))
                    .withOutputTags(RewardModelOutput.REWARDS, TupleTagList.of(RewardModelOutput.PREFERENCES).and(SCORE_STATS)));
    out.get(RewardModelOutput.REWARDS).setCoder(CandidateRewardCoder.of());
    out.get(RewardModelOutput.PREFERENCES).setCoder(PairPreferenceCoder.of());
    out.get(SCORE_STATS).setCoder(JsonCoder.of(JudgeScoreStats.class));
    return RewardModelOutput.of(out);
  }

  /** What crosses the shuffle for one judgment: the judge, ids and the score, no rationale. */
  public record ScoreSample(String judge, String promptId, String candidateId, int sample, JudgmentStatus status, Integer score) {
    public ScoreSample {
      Objects.requireNonNull(judge, "judge");
      Objects.requireNonNull(promptId, "promptId");
      Objects.requireNonNull(candidateId, "candidateId");
      Objects.requireNonNull(status, "status");
    }

    /** The sample of an absolute judgment (the caller has checked its kind). */
    public static ScoreSample of(Judgment j) {
      return new ScoreSample(j.judge(), j.itemId(), j.candidateA(), j.sample(), j.status(), j.score());
    }
  }

  /**
   * Binary coder of {@link ScoreSample}: one per judgment crosses the shard shuffle, the largest stream of the curation,
   * so it is compact (three strings, three varints) rather than JSON. Exact and deterministic.
   */
  public static final class ScoreSampleCoder extends BinaryRecordCoder<ScoreSample> {
    public static final ScoreSampleCoder INSTANCE = new ScoreSampleCoder();
    private static final JudgmentStatus[] STATUSES = JudgmentStatus.values();

    private ScoreSampleCoder() {}

    @Override
    protected void write(ScoreSample s, OutputStream out) throws IOException {
      BinaryFields.writeString(s.judge(), out);
      BinaryFields.writeString(s.promptId(), out);
      BinaryFields.writeString(s.candidateId(), out);
      BinaryFields.writeInt(s.sample(), out);
      BinaryFields.writeInt(s.status().ordinal(), out);
      BinaryFields.writeInt(s.score() == null ? 0 : 1, out);
      if (s.score() != null) {
        BinaryFields.writeInt(s.score(), out);
      }
    }

    @Override
    protected ScoreSample read(InputStream in) throws IOException {
      String judge = BinaryFields.readString(in);
      String promptId = BinaryFields.readString(in);
      String candidateId = BinaryFields.readString(in);
      int sample = BinaryFields.readInt(in);
      int status = BinaryFields.readInt(in);
      if (status < 0 || status >= STATUSES.length) {
        throw new CoderException("no judgment status with ordinal " + status);
      }
      Integer score = BinaryFields.readInt(in) == 0 ? null : BinaryFields.readInt(in);
      return new ScoreSample(judge, promptId, candidateId, sample, STATUSES[status], score);
    }
  }

  /** One prompt's outputs. */
  record PromptResult(
      List<JudgeScoreStats> stats, List<PairPreference> preferences, long pairsUndefined, long duplicates) {}

  /** One prompt's rewards (one per candidate judged) and pair preferences by one judge voter. */
  public record Scored(List<JudgeScoreStats> stats, List<CandidateReward> rewards, List<PairPreference> preferences) {}

  /**
   * One judge voter's per-prompt scoring with the voter's counters ({@code stage.reward.<name>.*}): what this
   * transform's shard step does for each prompt, shared with wirings that score several voters in one pass over the
   * same shuffle, so the rewards and the counts cannot differ between them. Call {@link #setup} on the worker (in a
   * DoFn's {@code @Setup}) before {@link #score}.
   */
  public static final class PromptScorer implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String rewardModel;
    private final String judge;
    private transient StageMetrics metrics;
    private transient Counter pairs;
    private transient Counter pairsUndefined;
    private transient Counter notOk;
    private transient Counter duplicates;
    private transient Counter shardGroups;
    private transient Counter otherKind;

    public PromptScorer(String rewardModel, String judge) {
      this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
      this.judge = Objects.requireNonNull(judge, "judge");
    }

    public String rewardModel() {
      return rewardModel;
    }

    /** The configured judge whose absolute judgments this voter reads. */
    public String judge() {
      return judge;
    }

    public void setup() {
      metrics = new StageMetrics(RewardModels.stage(rewardModel), null);
      pairs = RewardModels.counter(rewardModel, "pairs");
      pairsUndefined = RewardModels.counter(rewardModel, "pairs_undefined");
      notOk = RewardModels.counter(rewardModel, "judgments_not_ok");
      duplicates = RewardModels.counter(rewardModel, "duplicates");
      shardGroups = RewardModels.counter(rewardModel, "shard_groups");
      otherKind = RewardModels.counter(rewardModel, "other_kind");
    }

    /** Counts one shard group holding this voter's samples. */
    public void countShard() {
      shardGroups.inc();
    }

    /** Counts a judgment of this voter's judge that is not absolute (not read, not lost). */
    public void countOtherKind() {
      otherKind.inc();
    }

    /** Scores one prompt's samples (this voter's judge only, at least one) and counts them. */
    public Scored score(List<ScoreSample> prompt) {
      PromptResult r = scorePrompt(rewardModel, judge, prompt);
      List<CandidateReward> rewards = new ArrayList<>(r.stats().size());
      for (JudgeScoreStats s : r.stats()) {
        CandidateReward reward = s.toReward();
        metrics.in(1);
        if (reward.defined()) {
          metrics.out(1);
        } else {
          metrics.rejected(1);
        }
        notOk.inc(s.requested() - s.ok());
        rewards.add(reward);
      }
      pairs.inc(r.preferences().size());
      pairsUndefined.inc(r.pairsUndefined());
      duplicates.inc(r.duplicates());
      return new Scored(r.stats(), rewards, r.preferences());
    }
  }

  private static final Comparator<ScoreSample> KEEP_FIRST =
      Comparator.comparing(ScoreSample::status)
          .thenComparing(s -> s.score() == null ? Integer.MIN_VALUE : s.score());

  /** The reward model for one prompt's samples; pure, so the DoFn and unit tests share it. */
  static PromptResult scorePrompt(String rewardModel, String judge, List<ScoreSample> samples) {
    // candidate -> sample index -> the kept sample
    Map<String, Map<Integer, ScoreSample>> byCandidate = new TreeMap<>();
    long duplicates = 0;
    for (ScoreSample s : samples) {
      Map<Integer, ScoreSample> bySample = byCandidate.computeIfAbsent(s.candidateId(), k -> new TreeMap<>());
      ScoreSample before = bySample.get(s.sample());
      if (before != null) {
        duplicates++;
        if (KEEP_FIRST.compare(s, before) >= 0) {
          continue;
        }
      }
      bySample.put(s.sample(), s);
    }
    String promptId = samples.get(0).promptId();
    List<JudgeScoreStats> stats = new ArrayList<>();
    List<double[]> okScores = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, ScoreSample>> e : byCandidate.entrySet()) {
      long[] byStatus = new long[JudgmentStatus.values().length];
      List<Double> ok = new ArrayList<>();
      for (ScoreSample s : e.getValue().values()) {
        byStatus[s.status().ordinal()]++;
        if (s.status() == JudgmentStatus.OK) {
          ok.add(s.score().doubleValue());
        }
      }
      double[] v = ok.stream().mapToDouble(Double::doubleValue).toArray();
      okScores.add(v);
      stats.add(
          new JudgeScoreStats(
              rewardModel, judge, promptId, e.getKey(), e.getValue().size(),
              byStatus[JudgmentStatus.OK.ordinal()], byStatus[JudgmentStatus.UNPARSEABLE.ordinal()],
              byStatus[JudgmentStatus.REFUSED.ordinal()], byStatus[JudgmentStatus.TRUNCATED.ordinal()],
              byStatus[JudgmentStatus.FAILED.ordinal()], Descriptive.mean(v), Descriptive.median(v),
              v.length == 0 ? Double.NaN : Descriptive.sampleStd(v),
              v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).min().getAsDouble(),
              v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).max().getAsDouble()));
    }
    List<PairPreference> prefs = new ArrayList<>();
    long undefined = 0;
    for (int i = 0; i < stats.size(); i++) {
      for (int j = i + 1; j < stats.size(); j++) {
        double[] x = okScores.get(i);
        double[] y = okScores.get(j);
        if (x.length == 0 || y.length == 0) {
          undefined++;
          continue;
        }
        prefs.add(
            new PairPreference(
                rewardModel, promptId, stats.get(i).candidateId(), stats.get(j).candidateId(),
                probabilityOfSuperiority(x, y), (long) x.length * y.length, 0));
      }
    }
    return new PromptResult(stats, prefs, undefined, duplicates);
  }

  /** {@code (#{a > b} + 0.5 #{a = b}) / (|x| |y|)} over all a in x, b in y; both non-empty. */
  static double probabilityOfSuperiority(double[] x, double[] y) {
    double wins = 0;
    for (double a : x) {
      for (double b : y) {
        wins += a > b ? 1 : (a == b ? 0.5 : 0);
      }
    }
    return wins / ((double) x.length * y.length);
  }

  private static final class ShrinkFn extends DoFn<Judgment, ScoreSample> {
    private final PromptScorer scorer;

    ShrinkFn(PromptScorer scorer) {
      this.scorer = scorer;
    }

    @Setup
    public void setup() {
      scorer.setup();
    }

    @ProcessElement
    public void process(@Element Judgment j, OutputReceiver<ScoreSample> out) {
      if (!j.judge().equals(scorer.judge())) {
        return; // another voter's judgments: not ours to read, not lost
      }
      if (j.kind() != JudgmentKind.ABSOLUTE) {
        scorer.countOtherKind();
        return;
      }
      out.output(ScoreSample.of(j));
    }
  }

  private static final class ScoreFn extends DoFn<KV<Integer, Iterable<ScoreSample>>, CandidateReward> {
    private final PromptScorer scorer;

    ScoreFn(PromptScorer scorer) {
      this.scorer = scorer;
    }

    @Setup
    public void setup() {
      scorer.setup();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ScoreSample>> shard, MultiOutputReceiver out) {
      scorer.countShard();
      for (List<ScoreSample> prompt : GroupIntoPromptShards.byPrompt(shard.getValue(), ScoreSample::promptId).values()) {
        Scored r = scorer.score(prompt);
        r.stats().forEach(out.get(SCORE_STATS)::output);
        r.rewards().forEach(out.get(RewardModelOutput.REWARDS)::output);
        r.preferences().forEach(out.get(RewardModelOutput.PREFERENCES)::output);
      }
    }
  }
}
