package dev.assay.curation.pairs;

import dev.assay.grouping.PromptShards;
import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.Vote;
import dev.assay.consistency.PromptConsistency;
import dev.assay.generation.Candidate;
import dev.assay.io.Hashing;
import dev.assay.io.JsonCoder;
import dev.assay.rewards.CandidateReward;
import dev.assay.grouping.GroupIntoPromptShards;
import dev.assay.grouping.JoinPromptShards;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.generation.CandidateCoder;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Turns the consensus pairs of a self-rewarding run into {@link PreferencePair}s (kind {@code policy}) with their
 * texts and evidence, and the policy SFT set.
 *
 * <p>Inputs (tags): {@link #CONSENSUS} kept pairs, {@link #CANDIDATES}, optionally {@link #CONSISTENCY} (per-prompt
 * C(x); with {@code consistencyFilter} only prompts present there keep their pair) and {@link #PRIMARY_REWARDS}
 * (for the SFT set). Outputs: {@link #PAIRS}, {@link #SFT}, {@link #REJECTED} ({@link RejectedPreference} with a
 * reason). Checks, in order: the candidates exist, the prompt passed the consistency filter, the chosen response
 * does not game the judge ({@link RewardHackingGuard}), and length control. Accounting (stage {@value #STAGE}):
 * in = consensus pairs = pairs + rejected. SFT: the primary's best response of each prompt whose reward reaches the
 * threshold and that the guard does not flag.
 *
 * <p>Records are joined per prompt inside coarse shards of the prompt id (few keys cross the shuffle), read in one
 * pass ({@link JoinPromptShards}) so that the transform runs on Flink at any size.
 */
public final class BuildPreferencePairs extends PTransform<PCollectionTuple, PCollectionTuple> {
  public static final String STAGE = "pairs";
  public static final TupleTag<ConsensusPair> CONSENSUS = new TupleTag<>() {};
  public static final TupleTag<Candidate> CANDIDATES = new TupleTag<>() {};
  public static final TupleTag<PromptConsistency> CONSISTENCY = new TupleTag<>() {};
  public static final TupleTag<CandidateReward> PRIMARY_REWARDS = new TupleTag<>() {};
  public static final TupleTag<PreferencePair> PAIRS = new TupleTag<>() {};
  public static final TupleTag<SftExample> SFT = new TupleTag<>() {};
  public static final TupleTag<RejectedPreference> REJECTED = new TupleTag<>() {};

  private final PairSpec spec;
  private final boolean consistencyFilter;
  private final String runId;
  private final int iteration;
  private final int shards;

  private BuildPreferencePairs(PairSpec spec, boolean consistencyFilter, String runId, int iteration, int shards) {
    super("BuildPreferencePairs");
    this.spec = Objects.requireNonNull(spec);
    this.consistencyFilter = consistencyFilter;
    this.runId = Objects.requireNonNull(runId);
    this.iteration = iteration;
    this.shards = shards;
  }

  /**
   * @param consistencyFilter whether prompts absent from {@link #CONSISTENCY} (rejected by the CREAM filter) lose
   *     their pair; when false, consistency is only attached
   */
  public static BuildPreferencePairs with(PairSpec spec, boolean consistencyFilter, String runId, int iteration) {
    return new BuildPreferencePairs(spec, consistencyFilter, runId, iteration, GroupIntoPromptShards.DEFAULT_SHARDS);
  }

  /**
   * The same transform grouping into {@code shards} shards of the prompt id (default {@link
   * GroupIntoPromptShards#DEFAULT_SHARDS}): fewer suit the direct runner, which pays per key.
   */
  public BuildPreferencePairs withShards(int shards) {
    PromptShards.requireCount(shards);
    return new BuildPreferencePairs(spec, consistencyFilter, runId, iteration, shards);
  }

  /** The id of the pair for a prompt's chosen and rejected candidates. */
  public static String pairId(String promptId, String chosen, String rejected) {
    return promptId + "/" + Hashing.sha256(chosen + "\u0000" + rejected).substring(0, 12);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple in) {
    // Input order = union tag, read back by BuildFn: consensus, candidates, then the optional ones when present.
    List<JoinPromptShards.Input<?>> inputs = new ArrayList<>();
    inputs.add(new JoinPromptShards.Input<>("KeyConsensus", in.get(CONSENSUS), ConsensusPair::promptId, JsonCoder.of(ConsensusPair.class)));
    inputs.add(new JoinPromptShards.Input<>("KeyCandidates", in.get(CANDIDATES), Candidate::promptId, CandidateCoder.of()));
    int consistencyTag = -1;
    int rewardsTag = -1;
    if (in.has(CONSISTENCY)) {
      consistencyTag = inputs.size();
      inputs.add(new JoinPromptShards.Input<>("KeyConsistency", in.get(CONSISTENCY), PromptConsistency::promptId, JsonCoder.of(PromptConsistency.class)));
    }
    if (in.has(PRIMARY_REWARDS)) {
      rewardsTag = inputs.size();
      inputs.add(new JoinPromptShards.Input<>("KeyPrimaryRewards", in.get(PRIMARY_REWARDS), CandidateReward::promptId, CandidateRewardCoder.of()));
    }
    PCollectionTuple out =
        JoinPromptShards.join("JoinShard", shards, inputs)
            .apply(
                "BuildWithinPrompt",
                ParDo.of(new BuildFn(new PromptPairs(spec, consistencyFilter && in.has(CONSISTENCY), runId, iteration), inputs.size(), consistencyTag, rewardsTag))
                    .withOutputTags(PAIRS, TupleTagList.of(SFT).and(REJECTED)));
    out.get(PAIRS).setCoder(JsonCoder.of(PreferencePair.class));
    out.get(SFT).setCoder(JsonCoder.of(SftExample.class));
    out.get(REJECTED).setCoder(JsonCoder.of(RejectedPreference.class));
    return out;
  }

  /**
   * The per-prompt rules of this transform with their counters (stages {@value #STAGE} and {@code sft.policy}): the
   * checks and record building for a kept consensus pair, and the SFT pick, shared with wirings that build pairs
   * inside a wider pass over the same shuffle, so outputs and counts cannot differ between them. Call {@link #setup}
   * on the worker first.
   */
  public static final class PromptPairs implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final PairSpec spec;
    private final boolean filter;
    private final String runId;
    private final int iteration;
    private transient StageMetrics metrics;
    private transient StageMetrics sftMetrics;

    /**
     * @param filter whether a prompt without a kept consistency measurement loses its pair ({@code low_consistency})
     */
    public PromptPairs(PairSpec spec, boolean filter, String runId, int iteration) {
      this.spec = Objects.requireNonNull(spec, "spec");
      this.filter = filter;
      this.runId = Objects.requireNonNull(runId, "runId");
      this.iteration = iteration;
    }

    public void setup() {
      metrics = new StageMetrics(STAGE, null);
      sftMetrics = new StageMetrics("sft.policy", null);
    }

    /**
     * Checks a kept consensus pair and builds its record, counting it as in and as out or rejected.
     *
     * @param candidates the prompt's candidates by id (at least; more do no harm)
     * @param consistency the prompt's kept consistency measurement, or null (rejected, or not measured)
     */
    public Built pair(ConsensusPair p, Map<String, Candidate> candidates, PromptConsistency consistency) {
      metrics.in(1);
      RejectedPreference rejected = check(p, candidates, consistency != null);
      if (rejected != null) {
        metrics.rejected(1);
        return new Built(null, rejected);
      }
      metrics.out(1);
      return new Built(build(p, candidates.get(p.chosen()), candidates.get(p.rejected()), consistency), null);
    }

    /**
     * The SFT example of one prompt: its best-rewarded candidate by the primary (ties to the smaller id), when the
     * reward reaches the threshold and the guard passes; null otherwise or when no threshold is set.
     *
     * @param primary the primary's rewards of one prompt
     */
    public SftExample sft(List<CandidateReward> primary, Map<String, Candidate> candidates) {
      if (spec.sftThreshold() == null) {
        return null;
      }
      CandidateReward best = null;
      for (CandidateReward cr : primary) {
        if (cr.defined() && (best == null || cr.reward() > best.reward()
            || (cr.reward() == best.reward() && cr.candidateId().compareTo(best.candidateId()) < 0))) {
          best = cr;
        }
      }
      if (best == null) {
        return null;
      }
      Candidate c = candidates.get(best.candidateId());
      if (c == null || best.reward() < spec.sftThreshold() || (spec.guard() && RewardHackingGuard.flagged(c.response()))) {
        return null;
      }
      sftMetrics.out(1);
      return new SftExample(c.id(), "policy", c.promptId(), c.prompt(), null, c.response(), best.reward(), iteration, runId);
    }

    private RejectedPreference check(ConsensusPair p, Map<String, Candidate> candidates, boolean consistent) {
      Candidate chosen = candidates.get(p.chosen());
      Candidate rejected = candidates.get(p.rejected());
      if (chosen == null || rejected == null) {
        return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "missing_candidate", "no candidate record for "
            + (chosen == null ? p.chosen() : p.rejected()));
      }
      if (filter && !consistent) {
        return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "low_consistency", "the prompt failed the consistency filter");
      }
      if (spec.guard()) {
        var flags = RewardHackingGuard.check(chosen.response());
        if (!flags.isEmpty()) {
          return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "reward_hacking",
              flags.get(0).reason() + ": " + flags.get(0).match());
        }
      }
      if (spec.maxLengthRatio() != null) {
        double ratio = (double) words(chosen.response()) / Math.max(1, words(rejected.response()));
        if (ratio > spec.maxLengthRatio()) {
          return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "length",
              String.format(java.util.Locale.ROOT, "chosen has %.2fx the words of rejected (max %.2f)", ratio, spec.maxLengthRatio()));
        }
      }
      return null;
    }

    private PreferencePair build(ConsensusPair p, Candidate chosen, Candidate rejected, PromptConsistency pc) {
      Map<String, Double> agreement = new TreeMap<>();
      for (Vote v : p.votes()) {
        if (v.agrees()) {
          agreement.put(v.rewardModel(), v.probabilityChosen());
        }
      }
      return new PreferencePair(
          pairId(p.promptId(), chosen.id(), rejected.id()),
          "policy",
          p.promptId(),
          chosen.prompt(),
          null,
          chosen.response(),
          rejected.response(),
          chosen.id(),
          rejected.id(),
          p.chosenReward(),
          p.rejectedReward(),
          p.margin(),
          pc == null ? null : pc.consistency(),
          p.agreed(),
          agreement,
          iteration,
          runId);
    }

    private static int words(String text) {
      String t = text.strip();
      return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
  }

  /** A consensus pair's outcome: exactly one of the pair and its rejection is set. */
  public record Built(PreferencePair pair, RejectedPreference rejected) {
    /** Sends the outcome to the transform's tags. */
    public void emit(DoFn.MultiOutputReceiver out) {
      if (pair != null) {
        out.get(PAIRS).output(pair);
      } else {
        out.get(REJECTED).output(rejected);
      }
    }
  }

  private static final class BuildFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, PreferencePair> {
    private final PromptPairs rules;
    private final int inputs;
    private final int consistencyTag;
    private final int rewardsTag;

    /** Tags: 0 consensus, 1 candidates, then consistency and primary rewards at their tags (-1 when absent). */
    BuildFn(PromptPairs rules, int inputs, int consistencyTag, int rewardsTag) {
      this.rules = rules;
      this.inputs = inputs;
      this.consistencyTag = consistencyTag;
      this.rewardsTag = rewardsTag;
    }

    @Setup
    public void setup() {
      rules.setup();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, MultiOutputReceiver out) {
      JoinPromptShards.Parts r = JoinPromptShards.Parts.of(shard.getValue(), inputs);
      Map<String, Candidate> candidates = new HashMap<>();
      for (Candidate c : r.<Candidate>get(1)) {
        candidates.put(c.id(), c);
      }
      Map<String, PromptConsistency> consistency = new HashMap<>();
      if (consistencyTag >= 0) {
        for (PromptConsistency pc : r.<PromptConsistency>get(consistencyTag)) {
          consistency.put(pc.promptId(), pc);
        }
      }
      for (ConsensusPair p : r.<ConsensusPair>get(0)) {
        rules.pair(p, candidates, consistency.get(p.promptId())).emit(out);
      }
      if (rewardsTag >= 0) {
        Map<String, List<CandidateReward>> byPrompt = new HashMap<>();
        for (CandidateReward cr : r.<CandidateReward>get(rewardsTag)) {
          byPrompt.computeIfAbsent(cr.promptId(), k -> new ArrayList<>()).add(cr);
        }
        for (List<CandidateReward> primary : byPrompt.values()) {
          SftExample sft = rules.sft(primary, candidates);
          if (sft != null) {
            out.get(SFT).output(sft);
          }
        }
      }
    }
  }
}
