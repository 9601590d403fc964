package dev.assay.rewards;

import dev.assay.grouping.GroupIntoPromptShards;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Pairs the candidates of each prompt and turns their rewards into preferences with a {@link PreferenceRule}: the
 * pair step of reward models whose reward is a number per candidate ({@code verifier}, {@code trained}, and any other
 * voter that wants it, e.g. {@code implicit} with a Bradley-Terry rule).
 *
 * <p>Each unordered pair of candidates of one prompt appears once, first < second by id, with {@code votes} 1 and
 * {@code flips} 0. A pair where either reward is undefined ({@link CandidateReward#defined()} false) is skipped (no
 * preference is made up) and counted ({@code stage.reward.<name>.pairs_undefined}). Rewards are grouped by
 * {@link GroupIntoPromptShards} (a few shard keys); a {@link CandidateReward} is already small. Failure
 * mode: {@link IllegalStateException} if the rule returns a value outside [0, 1] (a broken rule, not bad data).
 */
public final class CompareRewards extends PTransform<PCollection<CandidateReward>, PCollection<PairPreference>> {
  private final String rewardModel;
  private final PreferenceRule rule;

  private CompareRewards(String rewardModel, PreferenceRule rule) {
    super("CompareRewards");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  /** @param rewardModel the voter's name, written on every preference (it must match the rewards' own) */
  public static CompareRewards with(String rewardModel, PreferenceRule rule) {
    return new CompareRewards(rewardModel, rule);
  }

  @Override
  public PCollection<PairPreference> expand(PCollection<CandidateReward> rewards) {
    return rewards
        .apply(GroupIntoPromptShards.of(CandidateReward::promptId))
        .apply("PairRewards", ParDo.of(new PairFn(rewardModel, rule)))
        .setCoder(PairPreferenceCoder.of());
  }

  /** One prompt's preferences, and how many pairs were skipped as undefined. Pure. */
  static List<PairPreference> pairs(String rewardModel, PreferenceRule rule, List<CandidateReward> prompt, long[] undefined) {
    List<CandidateReward> sorted = new ArrayList<>();
    // One reward per candidate (a repeated one, an upstream mistake, must not repeat its pairs); the lowest reward of
    // a repeated candidate is kept so the choice does not depend on arrival order.
    prompt.stream()
        .sorted(Comparator.comparing(CandidateReward::candidateId).thenComparingDouble(CandidateReward::reward))
        .forEach(r -> {
          if (sorted.isEmpty() || !sorted.get(sorted.size() - 1).candidateId().equals(r.candidateId())) {
            sorted.add(r);
          }
        });
    List<PairPreference> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      for (int j = i + 1; j < sorted.size(); j++) {
        CandidateReward a = sorted.get(i);
        CandidateReward b = sorted.get(j);
        if (!a.defined() || !b.defined()) {
          undefined[0]++;
          continue;
        }
        double p = rule.probabilityFirst(a.reward(), b.reward());
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalStateException("preference rule gave " + p + " for rewards " + a.reward() + ", " + b.reward());
        }
        out.add(new PairPreference(rewardModel, a.promptId(), a.candidateId(), b.candidateId(), p, 1, 0));
      }
    }
    return out;
  }

  private static final class PairFn extends DoFn<KV<Integer, Iterable<CandidateReward>>, PairPreference> {
    private final String rewardModel;
    private final PreferenceRule rule;
    private transient Counter pairs;
    private transient Counter pairsUndefined;
    private transient Counter shardGroups;

    PairFn(String rewardModel, PreferenceRule rule) {
      this.rewardModel = rewardModel;
      this.rule = rule;
    }

    @Setup
    public void setup() {
      pairs = VoterMetrics.counter(rewardModel, "pairs");
      pairsUndefined = VoterMetrics.counter(rewardModel, "pairs_undefined");
      shardGroups = VoterMetrics.counter(rewardModel, "shard_groups");
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<CandidateReward>> shard, OutputReceiver<PairPreference> out) {
      shardGroups.inc();
      long[] undefined = new long[1];
      for (List<CandidateReward> prompt : GroupIntoPromptShards.byPrompt(shard.getValue(), CandidateReward::promptId).values()) {
        List<PairPreference> prefs = pairs(rewardModel, rule, prompt, undefined);
        prefs.forEach(out::output);
        pairs.inc(prefs.size());
      }
      pairsUndefined.inc(undefined[0]);
    }
  }
}
