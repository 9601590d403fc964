package dev.assay.rewards.judge;

import dev.assay.grouping.GroupIntoPromptShards;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.VoterMetrics;
import dev.assay.run.StageMetrics;
import java.util.List;
import java.util.Objects;
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
 * The {@code judge} reward model as a transform of its own: turns one absolute judge's N judgments per candidate into
 * a reward per candidate and a preference per pair of candidates of the same prompt, by {@link JudgeScoring#score}
 * (the rule, and its Javadoc) applied to each prompt. A self-rewarding run scores its judge voters inside the
 * pipeline's one grouping by prompt instead ({@code pipeline.ScoreAndCuratePairs}), with the same function and the
 * same {@link Counters}.
 *
 * <p><b>Input.</b> The recipe's judgments; only absolute judgments of the configured judge are read. The same
 * judge's pairwise judgments (a configuration mistake) are counted as {@code other_kind} and ignored. A candidate
 * appears iff this judge was asked about it at least once ({@code SampleJudgments} emits one judgment per request,
 * failures included).
 *
 * <p><b>Shuffle.</b> Judgments are shrunk to {@link ScoreSample}s and grouped by {@link GroupIntoPromptShards};
 * prompts are separated inside each shard. Counters: see {@link Counters}.
 */
public final class ScoreWithJudge extends PTransform<PCollection<Judgment>, RewardModelOutput> {
  /** Per-candidate score summaries (median, std, parse share, counts per status). */
  public static final TupleTag<JudgeScoreStats> SCORE_STATS = new TupleTag<>("score-stats") {};

  private final String rewardModel;
  private final String judge;

  private ScoreWithJudge(String rewardModel, String judge) {
    super("ScoreWithJudge");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.judge = Objects.requireNonNull(judge, "judge");
  }

  /**
   * @param rewardModel the voter's name ({@link RewardModelSpec#name()}), written on every output
   * @param judge the configured judge whose absolute judgments are read
   */
  public static ScoreWithJudge of(String rewardModel, String judge) {
    return new ScoreWithJudge(rewardModel, judge);
  }

  /** From a {@code judge} spec. */
  public static ScoreWithJudge of(RewardModelSpec.Judge spec) {
    return of(spec.name(), spec.judge());
  }

  @Override
  public RewardModelOutput expand(PCollection<Judgment> judgments) {
    PCollectionTuple out =
        judgments
            .apply("ShrinkToScores", ParDo.of(new ShrinkFn(new Counters(rewardModel, judge))))
            .setCoder(ScoreSampleCoder.INSTANCE)
            .apply(GroupIntoPromptShards.of(ScoreSample::promptId))
            .apply(
                "ScorePrompts",
                ParDo.of(new ScoreFn(new Counters(rewardModel, judge)))
                    .withOutputTags(RewardModelOutput.REWARDS, TupleTagList.of(RewardModelOutput.PREFERENCES).and(SCORE_STATS)));
    out.get(RewardModelOutput.REWARDS).setCoder(CandidateRewardCoder.of());
    out.get(RewardModelOutput.PREFERENCES).setCoder(PairPreferenceCoder.of());
    out.get(SCORE_STATS).setCoder(JsonCoder.of(JudgeScoreStats.class));
    return RewardModelOutput.of(out);
  }

  /**
   * One judge voter's Beam counters (namespace {@value StageMetrics#NAMESPACE}, stage {@code reward.<name>}): {@code
   * in} candidates, {@code out} defined rewards, {@code rejected} undefined ones, plus {@code pairs}, {@code
   * pairs_undefined}, {@code judgments_not_ok}, {@code other_kind}, {@code duplicates}, {@code shard_groups}. Shared
   * by every wiring that applies {@link JudgeScoring#score}, so the counts cannot differ between them. Call {@link
   * #setup} on the worker (a DoFn's {@code @Setup}) before counting.
   */
  public static final class Counters implements java.io.Serializable {
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

    public Counters(String rewardModel, String judge) {
      this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
      this.judge = Objects.requireNonNull(judge, "judge");
    }

    /** The voter's name. */
    public String rewardModel() {
      return rewardModel;
    }

    /** The configured judge whose absolute judgments this voter reads. */
    public String judge() {
      return judge;
    }

    public void setup() {
      metrics = new StageMetrics(VoterMetrics.stage(rewardModel), null);
      pairs = VoterMetrics.counter(rewardModel, "pairs");
      pairsUndefined = VoterMetrics.counter(rewardModel, "pairs_undefined");
      notOk = VoterMetrics.counter(rewardModel, "judgments_not_ok");
      duplicates = VoterMetrics.counter(rewardModel, "duplicates");
      shardGroups = VoterMetrics.counter(rewardModel, "shard_groups");
      otherKind = VoterMetrics.counter(rewardModel, "other_kind");
    }

    /** Counts one shard group holding this voter's samples. */
    public void countShard() {
      shardGroups.inc();
    }

    /** Counts a judgment of this voter's judge that is not absolute (not read, not lost). */
    public void countOtherKind() {
      otherKind.inc();
    }

    /** Counts one prompt's scores: each candidate in, and out (defined) or rejected (undefined). */
    public void count(JudgeScoring.Result r) {
      for (CandidateReward reward : r.rewards()) {
        metrics.in(1);
        if (reward.defined()) {
          metrics.out(1);
        } else {
          metrics.rejected(1);
        }
      }
      for (JudgeScoreStats s : r.stats()) {
        notOk.inc(s.requested() - s.ok());
      }
      pairs.inc(r.preferences().size());
      pairsUndefined.inc(r.pairsUndefined());
      duplicates.inc(r.duplicates());
    }
  }

  private static final class ShrinkFn extends DoFn<Judgment, ScoreSample> {
    private final Counters counters;

    ShrinkFn(Counters counters) {
      this.counters = counters;
    }

    @Setup
    public void setup() {
      counters.setup();
    }

    @ProcessElement
    public void process(@Element Judgment j, OutputReceiver<ScoreSample> out) {
      if (!j.judge().equals(counters.judge())) {
        return; // another voter's judgments: not ours to read, not lost
      }
      if (j.kind() != JudgmentKind.ABSOLUTE) {
        counters.countOtherKind();
        return;
      }
      out.output(ScoreSample.of(j));
    }
  }

  private static final class ScoreFn extends DoFn<KV<Integer, Iterable<ScoreSample>>, CandidateReward> {
    private final Counters counters;

    ScoreFn(Counters counters) {
      this.counters = counters;
    }

    @Setup
    public void setup() {
      counters.setup();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ScoreSample>> shard, MultiOutputReceiver out) {
      counters.countShard();
      for (List<ScoreSample> prompt : GroupIntoPromptShards.byPrompt(shard.getValue(), ScoreSample::promptId).values()) {
        JudgeScoring.Result r = JudgeScoring.score(counters.rewardModel(), counters.judge(), prompt);
        counters.count(r);
        r.stats().forEach(out.get(SCORE_STATS)::output);
        r.rewards().forEach(out.get(RewardModelOutput.REWARDS)::output);
        r.preferences().forEach(out.get(RewardModelOutput.PREFERENCES)::output);
      }
    }
  }
}
