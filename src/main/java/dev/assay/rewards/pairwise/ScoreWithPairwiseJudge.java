package dev.assay.rewards.pairwise;

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
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code pairwise} reward model: turns one pairwise judge's both-order verdicts (JudgeLM swap) into a preference
 * per pair and a reward per candidate, and measures the judge's flip rate.
 *
 * <p><b>Votes.</b> For each unordered pair x < y (by id) and sample index s, the verdicts of (x shown first, y second)
 * and (y first, x second) form one both-order comparison: if both prefer the same candidate it is a vote for that
 * candidate; if they prefer different ones (a <em>flip</em>: the verdict followed the position) or either is a tie,
 * it is a tie worth 0.5 to each. {@code P(x better) = (wins of x + 0.5 ties) / comparisons}, flips included in the
 * ties; {@code votes} = comparisons, {@code flips} = flips. A comparison needs both orders ok: a non-ok judgment
 * contributes nothing, and its ok partner is dropped too, because one order alone would bring back the position bias
 * the swap removes (counted as {@code incomplete}). A pair with no complete comparison gets no preference (counted as
 * {@code pairs_without_votes}).
 *
 * <p><b>Reward.</b> The mean of the candidate's win probabilities over its pairs that had votes; {@code samples} =
 * pairs it was judged in, {@code usable} = pairs with votes, {@code spread} = their sample standard deviation. A
 * candidate without any vote gets NaN and usable 0. Rewards are on [0, 1] and comparable only within a prompt.
 *
 * <p><b>Flip rate.</b> {@link #FLIP_RATES} holds one {@link FlipRate} for the judge over the whole input (a global
 * combine of per-shard counts); the same figure without a pipeline is {@link FlipRate#of}. Counters (namespace
 * {@value StageMetrics#NAMESPACE}, stage {@code reward.<name>}): {@code in}/{@code out}/{@code rejected} for
 * candidates with defined/undefined rewards, {@code comparisons}, {@code flips}, {@code ties}, {@code incomplete},
 * {@code judgments_not_ok}, {@code pairs}, {@code pairs_without_votes}, {@code duplicates}, {@code other_kind},
 * {@code shard_groups}.
 *
 * <p><b>Input.</b> The recipe's judgments; only pairwise judgments of the configured judge are read (its absolute
 * ones, a configuration mistake, are counted as {@code other_kind}). A repeated (first, second, sample) is counted as
 * a duplicate and dropped deterministically. Shrunk to ids and verdicts, grouped by {@link GroupIntoPromptShards}.
 */
public final class ScoreWithPairwiseJudge extends PTransform<PCollection<Judgment>, RewardModelOutput> {
  /** Exactly one {@link FlipRate} for the judge (comparisons 0 when there was nothing to compare). */
  public static final TupleTag<FlipRate> FLIP_RATES = new TupleTag<>("flip-rates") {};

  private static final TupleTag<FlipRate> SHARD_FLIPS = new TupleTag<>("shard-flips") {};

  private final String rewardModel;
  private final String judge;

  private ScoreWithPairwiseJudge(String rewardModel, String judge) {
    super("ScoreWithPairwiseJudge");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.judge = Objects.requireNonNull(judge, "judge");
  }

  /**
   * @param rewardModel the voter's name ({@link RewardModelSpec#name()}), written on every output
   * @param judge the configured pairwise judge whose verdicts are read
   */
  public static ScoreWithPairwiseJudge of(String rewardModel, String judge) {
    return new ScoreWithPairwiseJudge(rewardModel, judge);
  }

  /** From a {@code pairwise} spec. */
  public static ScoreWithPairwiseJudge of(RewardModelSpec.Pairwise spec) {
    return of(spec.name(), spec.judge());
  }

  @Override
  public RewardModelOutput expand(PCollection<Judgment> judgments) {
    PCollectionTuple voted =
        judgments
            .apply("ShrinkToVerdicts", ParDo.of(new ShrinkFn(rewardModel, judge)))
            .setCoder(JsonCoder.of(PairwiseVotes.Verdicts.class))
            .apply(GroupIntoPromptShards.of(PairwiseVotes.Verdicts::promptId))
            .apply(
                "VotePrompts",
                ParDo.of(new VoteFn(rewardModel, judge))
                    .withOutputTags(RewardModelOutput.REWARDS, TupleTagList.of(RewardModelOutput.PREFERENCES).and(SHARD_FLIPS)));
    voted.get(RewardModelOutput.REWARDS).setCoder(CandidateRewardCoder.of());
    voted.get(RewardModelOutput.PREFERENCES).setCoder(PairPreferenceCoder.of());
    voted.get(SHARD_FLIPS).setCoder(JsonCoder.of(FlipRate.class));
    PCollection<FlipRate> flipRate =
        voted.get(SHARD_FLIPS).apply("SumFlipRate", Combine.globally(new SumFlips(judge))).setCoder(JsonCoder.of(FlipRate.class));
    return RewardModelOutput.of(
        PCollectionTuple.of(RewardModelOutput.REWARDS, voted.get(RewardModelOutput.REWARDS))
            .and(RewardModelOutput.PREFERENCES, voted.get(RewardModelOutput.PREFERENCES))
            .and(FLIP_RATES, flipRate));
  }

  private static final class ShrinkFn extends DoFn<Judgment, PairwiseVotes.Verdicts> {
    private final String rewardModel;
    private final String judge;
    private transient Counter otherKind;

    ShrinkFn(String rewardModel, String judge) {
      this.rewardModel = rewardModel;
      this.judge = judge;
    }

    @Setup
    public void setup() {
      otherKind = VoterMetrics.counter(rewardModel, "other_kind");
    }

    @ProcessElement
    public void process(@Element Judgment j, OutputReceiver<PairwiseVotes.Verdicts> out) {
      if (!j.judge().equals(judge)) {
        return; // another voter's judgments
      }
      if (j.kind() != JudgmentKind.PAIRWISE) {
        otherKind.inc();
        return;
      }
      out.output(PairwiseVotes.Verdicts.of(j));
    }
  }

  private static final class VoteFn extends DoFn<KV<Integer, Iterable<PairwiseVotes.Verdicts>>, CandidateReward> {
    private final String rewardModel;
    private final String judge;
    private transient StageMetrics metrics;
    private transient Counter comparisons;
    private transient Counter flips;
    private transient Counter ties;
    private transient Counter incomplete;
    private transient Counter notOk;
    private transient Counter pairs;
    private transient Counter pairsWithoutVotes;
    private transient Counter duplicates;
    private transient Counter shardGroups;

    VoteFn(String rewardModel, String judge) {
      this.rewardModel = rewardModel;
      this.judge = judge;
    }

    @Setup
    public void setup() {
      metrics = new StageMetrics(VoterMetrics.stage(rewardModel), null);
      comparisons = VoterMetrics.counter(rewardModel, "comparisons");
      flips = VoterMetrics.counter(rewardModel, "flips");
      ties = VoterMetrics.counter(rewardModel, "ties");
      incomplete = VoterMetrics.counter(rewardModel, "incomplete");
      notOk = VoterMetrics.counter(rewardModel, "judgments_not_ok");
      pairs = VoterMetrics.counter(rewardModel, "pairs");
      pairsWithoutVotes = VoterMetrics.counter(rewardModel, "pairs_without_votes");
      duplicates = VoterMetrics.counter(rewardModel, "duplicates");
      shardGroups = VoterMetrics.counter(rewardModel, "shard_groups");
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<PairwiseVotes.Verdicts>> shard, MultiOutputReceiver out) {
      shardGroups.inc();
      FlipRate shardFlips = FlipRate.none(judge);
      for (List<PairwiseVotes.Verdicts> prompt :
          GroupIntoPromptShards.byPrompt(shard.getValue(), PairwiseVotes.Verdicts::promptId).values()) {
        PairwiseVotes.Result r = PairwiseVotes.vote(rewardModel, prompt);
        for (CandidateReward reward : r.rewards()) {
          metrics.in(1);
          if (reward.defined()) {
            metrics.out(1);
          } else {
            metrics.rejected(1);
          }
          out.get(RewardModelOutput.REWARDS).output(reward);
        }
        r.preferences().forEach(out.get(RewardModelOutput.PREFERENCES)::output);
        comparisons.inc(r.comparisons());
        flips.inc(r.flips());
        ties.inc(r.ties());
        incomplete.inc(r.incomplete());
        notOk.inc(r.notOk());
        pairs.inc(r.preferences().size());
        pairsWithoutVotes.inc(r.pairsWithoutVotes());
        duplicates.inc(r.duplicates());
        shardFlips = shardFlips.plus(new FlipRate(judge, r.comparisons(), r.flips(), r.ties()));
      }
      out.get(SHARD_FLIPS).output(shardFlips);
    }
  }

  /** Adds per-shard flip counts; the empty input gives the judge's zero count, so there is always one output. */
  private static final class SumFlips extends Combine.CombineFn<FlipRate, FlipRate, FlipRate> {
    private final String judge;

    SumFlips(String judge) {
      this.judge = judge;
    }

    @Override
    public FlipRate createAccumulator() {
      return FlipRate.none(judge);
    }

    @Override
    public FlipRate addInput(FlipRate acc, FlipRate input) {
      return acc.plus(input);
    }

    @Override
    public FlipRate mergeAccumulators(Iterable<FlipRate> accs) {
      FlipRate sum = createAccumulator();
      for (FlipRate a : accs) {
        sum = sum.plus(a);
      }
      return sum;
    }

    @Override
    public FlipRate extractOutput(FlipRate acc) {
      return acc;
    }

    @Override
    public Coder<FlipRate> getAccumulatorCoder(CoderRegistry registry, Coder<FlipRate> inputCoder)
        throws CannotProvideCoderException {
      return JsonCoder.of(FlipRate.class);
    }

    @Override
    public Coder<FlipRate> getDefaultOutputCoder(CoderRegistry registry, Coder<FlipRate> inputCoder)
        throws CannotProvideCoderException {
      return JsonCoder.of(FlipRate.class);
    }
  }
}
