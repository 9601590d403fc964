package dev.assay.rewards.verifier;

import dev.assay.generation.Candidate;
import dev.assay.grouping.GroupIntoPromptShards;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.CompareRewards;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.PreferenceRule;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.VoterMetrics;
import dev.assay.run.StageMetrics;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code verifier} reward model: a rule check of each candidate's response against its prompt's reference answer
 * ({@link MatchMode}: exact, normalised or numeric).
 *
 * <p><b>Reward.</b> 1 for a match, 0 for no match ({@code samples} 1, {@code usable} 1, {@code spread} 0). A candidate
 * without a reference answer (null or blank) cannot be verified: reward NaN, samples 0, usable 0, counted as
 * {@code no_reference}. In numeric mode a reference without a number cannot be checked either: reward NaN, samples 1,
 * usable 0, counted as {@code reference_without_number}. A response without a number simply does not match.
 *
 * <p><b>Pair probability.</b> From the reward difference ({@link PreferenceRule#byDifference()}): 1 if only the first
 * matches, 0 if only the second, 0.5 if both or neither; pairs with an unverifiable side are skipped and counted
 * ({@link CompareRewards}). Rewards need no shuffle; only the pairing groups by {@link GroupIntoPromptShards}.
 * Counters (stage {@code reward.<name>}): {@code in}, {@code out} (verified), {@code rejected} (not verifiable),
 * {@code matches}, {@code no_reference}, {@code reference_without_number}, {@code pairs}, {@code pairs_undefined}.
 */
public final class VerifyAgainstReference extends PTransform<PCollection<Candidate>, RewardModelOutput> {
  private final String rewardModel;
  private final MatchMode mode;

  private VerifyAgainstReference(String rewardModel, MatchMode mode) {
    super("VerifyAgainstReference");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** @param rewardModel the voter's name, written on every output */
  public static VerifyAgainstReference of(String rewardModel, MatchMode mode) {
    return new VerifyAgainstReference(rewardModel, mode);
  }

  /** From a {@code verifier} spec (its {@code match}). */
  public static VerifyAgainstReference of(RewardModelSpec.Verifier spec) {
    return of(spec.name(), MatchMode.parse(spec.match()));
  }

  @Override
  public RewardModelOutput expand(PCollection<Candidate> candidates) {
    PCollection<CandidateReward> rewards =
        candidates
            .apply("CheckReference", ParDo.of(new CheckFn(rewardModel, mode)))
            .setCoder(CandidateRewardCoder.of());
    PCollection<PairPreference> preferences =
        rewards.apply(CompareRewards.with(rewardModel, PreferenceRule.byDifference()));
    return RewardModelOutput.of(rewards, preferences);
  }

  /** The verifier's reward for one candidate; pure. */
  static CandidateReward verify(String rewardModel, MatchMode mode, Candidate c) {
    String ref = c.reference();
    if (ref == null || ref.isBlank()) {
      return new CandidateReward(rewardModel, c.promptId(), c.id(), Double.NaN, 0, 0, 0);
    }
    return switch (mode.check(c.response(), ref)) {
      case MATCH -> new CandidateReward(rewardModel, c.promptId(), c.id(), 1.0, 1, 1, 0);
      case NO_MATCH -> new CandidateReward(rewardModel, c.promptId(), c.id(), 0.0, 1, 1, 0);
      case UNCHECKABLE -> new CandidateReward(rewardModel, c.promptId(), c.id(), Double.NaN, 1, 0, 0);
    };
  }

  private static final class CheckFn extends DoFn<Candidate, CandidateReward> {
    private final String rewardModel;
    private final MatchMode mode;
    private transient StageMetrics metrics;
    private transient Counter matches;
    private transient Counter noReference;
    private transient Counter referenceWithoutNumber;

    CheckFn(String rewardModel, MatchMode mode) {
      this.rewardModel = rewardModel;
      this.mode = mode;
    }

    @Setup
    public void setup() {
      metrics = new StageMetrics(VoterMetrics.stage(rewardModel), null);
      matches = VoterMetrics.counter(rewardModel, "matches");
      noReference = VoterMetrics.counter(rewardModel, "no_reference");
      referenceWithoutNumber = VoterMetrics.counter(rewardModel, "reference_without_number");
    }

    @ProcessElement
    public void process(@Element Candidate c, OutputReceiver<CandidateReward> out) {
      CandidateReward r = verify(rewardModel, mode, c);
      metrics.in(1);
      if (r.defined()) {
        metrics.out(1);
        matches.inc(r.reward() == 1.0 ? 1 : 0);
      } else {
        metrics.rejected(1);
        if (r.samples() == 0) {
          noReference.inc();
        } else {
          referenceWithoutNumber.inc();
        }
      }
      out.output(r);
    }
  }
}
