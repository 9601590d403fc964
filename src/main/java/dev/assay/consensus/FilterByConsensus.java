package dev.assay.consensus;

import dev.assay.grouping.PromptShards;
import dev.assay.io.Failure;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.io.KeptRejectedFailed;
import dev.assay.rewards.CandidateReward;
import dev.assay.grouping.JoinPromptShards;
import dev.assay.rewards.PairPreference;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps one preference pair per prompt when the reward models agree on it (SCIR, PRM-lessons): a tuple with {@link
 * #REWARDS} ({@link CandidateReward}) and {@link #PREFERENCES} ({@link PairPreference}) in, a tuple of {@link #KEPT}
 * ({@link ConsensusPair}), {@link #REJECTED} ({@link RejectedPair}) and {@link #FAILURES} out. Build the input with
 * {@link #inputs}; a tuple without both tags fails at construction.
 *
 * <p>Per prompt: the pair is (highest, lowest) by the primary reward model's defined rewards, ties broken by the
 * smaller candidate id; each of the m voters' preference for that pair is a vote (agree, against, or an abstention:
 * weak, no preference, missing; see {@link Vote}). The pair is kept when the primary's margin is at least {@code m0},
 * at least {@code k} voters agree with probability at least {@code c}, and fewer than {@code k} are confidently
 * against. Otherwise it is rejected with one reason code ({@link RejectedPair}) and all the votes. Rewards of other
 * reward models are ignored (their preferences are what votes); preferences of models that are not voters are
 * ignored.
 *
 * <p>Failures: a prompt with two primary rewards for one candidate ({@value #DUPLICATE_REWARD}) or two preferences of
 * one voter for one pair ({@value #DUPLICATE_PREFERENCE}) is not decided, because either could be the right one; it
 * goes to {@link #FAILURES} with its primary rewards and voter preferences. Accounting (stage {@value #STAGE}, Beam
 * counters via {@link StageMetrics}): every prompt id seen in either input is one unit in and ends up in exactly one
 * of kept, rejected (also counted per reason: {@code stage.consensus.rejected.<reason>}) or failed.
 *
 * <p>With {@code models} unset, the voters are every reward model that emitted a preference anywhere in the input
 * (a side input of a handful of names), so a voter that is silent on one prompt counts as missing there rather than
 * shrinking m. Inputs are grouped by a shard of the prompt id, not by prompt (the direct runner pays per key), and
 * read in one pass ({@link JoinPromptShards}), so the transform runs on Flink at any size.
 */
public final class FilterByConsensus extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** Every reward model's rewards; only the primary's are read. */
  public static final TupleTag<CandidateReward> REWARDS = new TupleTag<>() {};
  /** Every reward model's pair preferences; the voters' are read. */
  public static final TupleTag<PairPreference> PREFERENCES = new TupleTag<>() {};
  /** Pairs the voters agree on, one per prompt at most. */
  public static final TupleTag<ConsensusPair> KEPT = new TupleTag<>() {};
  /** Prompts whose pair was not kept, with the reason and the votes. */
  public static final TupleTag<RejectedPair> REJECTED = new TupleTag<>() {};
  /** Prompts that could not be decided. */
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  public static final String STAGE = "consensus";
  public static final String DUPLICATE_REWARD = "DuplicateReward";
  public static final String DUPLICATE_PREFERENCE = "DuplicatePreference";

  private final ConsensusSpec spec;
  private final int shards;

  private FilterByConsensus(ConsensusSpec spec, int shards) {
    super("FilterByConsensus");
    this.spec = Objects.requireNonNull(spec, "spec");
    PromptShards.requireCount(shards);
    this.shards = shards;
  }

  /** As the recipe's {@code consensus:} section says. */
  public static FilterByConsensus with(ConsensusSpec spec) {
    return new FilterByConsensus(spec, 16);
  }

  /** The input tuple: every reward model's rewards and pair preferences. */
  public static PCollectionTuple inputs(PCollection<CandidateReward> rewards, PCollection<PairPreference> preferences) {
    return PCollectionTuple.of(REWARDS, rewards).and(PREFERENCES, preferences);
  }

  /** The same transform grouping by {@code shards} shards of the prompt id (default 16). */
  public FilterByConsensus inShards(int shards) {
    return new FilterByConsensus(spec, shards);
  }

  /** The counter name of one rejection reason, {@code stage.consensus.rejected.<reason>}. */
  public static String reasonCounter(String reason) {
    return StageMetrics.stageCounter(STAGE, "rejected." + reason);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PCollection<PairPreference> preferences = input.get(PREFERENCES);
    PCollectionView<List<String>> allVoters = null;
    if (spec.models() == null) {
      allVoters =
          preferences
              .apply("VoterNames", MapElements.into(TypeDescriptors.strings()).via(PairPreference::rewardModel))
              .setCoder(StringUtf8Coder.of())
              .apply("DistinctVoters", Distinct.create())
              .apply("VotersView", View.asList());
    }
    DecideFn fn = new DecideFn(spec, allVoters);
    ParDo.MultiOutput<KV<Integer, Iterable<RawUnionValue>>, ConsensusPair> decide =
        ParDo.of(fn).withOutputTags(KEPT, TupleTagList.of(REJECTED).and(FAILURES));
    if (allVoters != null) {
      decide = decide.withSideInputs(allVoters);
    }
    PCollectionTuple out =
        JoinPromptShards.join(
                "GroupShards",
                shards,
                List.of(
                    new JoinPromptShards.Input<>("KeyRewardsByShard", input.get(REWARDS), CandidateReward::promptId, CandidateRewardCoder.of()),
                    new JoinPromptShards.Input<>("KeyPreferencesByShard", preferences, PairPreference::promptId, PairPreferenceCoder.of())))
            .apply("DecidePrompts", decide);
    out.get(KEPT).setCoder(JsonCoder.of(ConsensusPair.class));
    out.get(REJECTED).setCoder(JsonCoder.of(RejectedPair.class));
    out.get(FAILURES).setCoder(JsonCoder.of(Failure.class));
    return out;
  }

  /**
   * The per-prompt rule of this transform with its counters (stage {@value #STAGE} and one counter per rejection
   * reason): what the shard step does for each prompt, shared with wirings that decide consensus inside a wider pass
   * over the same shuffle, so decisions and counts cannot differ between them. Call {@link #setup} on the worker
   * before {@link #decide}.
   */
  public static final class PromptDecider implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final ConsensusSpec spec;
    private transient StageMetrics metrics;
    private transient Map<String, Counter> perReason;

    public PromptDecider(ConsensusSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
    }

    public ConsensusSpec spec() {
      return spec;
    }

    public void setup() {
      metrics = new StageMetrics(STAGE, null);
      perReason = new TreeMap<>();
      for (String reason : RejectedPair.REASONS) {
        perReason.put(reason, Metrics.counter(StageMetrics.NAMESPACE, reasonCounter(reason)));
      }
    }

    /**
     * Decides one prompt that had a reward or a preference of any reward model, and counts it as in and as kept,
     * rejected or failed.
     *
     * @param primary the primary's rewards of the prompt (any order)
     * @param preferences the voters' preferences of the prompt (any order; other models' already left out)
     * @param voters the voters' names, sorted and distinct
     */
    public Decided decide(String promptId, List<CandidateReward> primary, List<PairPreference> preferences, List<String> voters) {
      metrics.in(1);
      List<CandidateReward> rewards = sorted(primary, Comparator.comparing(CandidateReward::candidateId));
      List<PairPreference> prefs = sorted(preferences,
          Comparator.comparing(PairPreference::rewardModel).thenComparing(PairPreference::first)
              .thenComparing(PairPreference::second));
      Failure failure = duplicates(promptId, rewards, prefs);
      if (failure != null) {
        metrics.failed(1);
        return new Decided(null, null, failure);
      }
      ConsensusDecision d = ConsensusDecision.decide(promptId, rewards, prefs, voters, spec);
      if (d.kept() != null) {
        metrics.out(1);
        return new Decided(d.kept(), null, null);
      }
      metrics.rejected(1);
      perReason.get(d.rejected().reason()).inc();
      return new Decided(null, d.rejected(), null);
    }

    private Failure duplicates(String promptId, List<CandidateReward> primary, List<PairPreference> prefs) {
      String problem = null;
      String errorClass = null;
      for (int i = 1; i < primary.size() && problem == null; i++) {
        if (primary.get(i).candidateId().equals(primary.get(i - 1).candidateId())) {
          errorClass = DUPLICATE_REWARD;
          problem = "two " + spec.primary() + " rewards for candidate " + primary.get(i).candidateId();
        }
      }
      for (int i = 1; i < prefs.size() && problem == null; i++) {
        PairPreference a = prefs.get(i - 1);
        PairPreference b = prefs.get(i);
        if (a.rewardModel().equals(b.rewardModel()) && a.first().equals(b.first()) && a.second().equals(b.second())) {
          errorClass = DUPLICATE_PREFERENCE;
          problem = "two " + b.rewardModel() + " preferences for " + b.first() + " vs " + b.second();
        }
      }
      if (problem == null) {
        return null;
      }
      Map<String, Object> evidence = new TreeMap<>();
      evidence.put("primary_rewards", primary);
      evidence.put("preferences", prefs);
      return new Failure(STAGE, promptId, Json.line(evidence), errorClass, problem, 0);
    }

    private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
      List<T> out = new ArrayList<>(list);
      // Then by the whole record, so equal keys still come out in one order and the evidence is the same bytes.
      out.sort(order.thenComparing(Json::line));
      return out;
    }
  }

  /** One prompt's decision: exactly one of kept, rejected or failure is set. */
  public record Decided(ConsensusPair kept, RejectedPair rejected, Failure failure)
      implements KeptRejectedFailed<ConsensusPair, RejectedPair> {
    /** Sends the decision to the transform's tags. */
    public void emit(DoFn.MultiOutputReceiver out) {
      emitTo(out, KEPT, REJECTED, FAILURES);
    }
  }

  private static final class DecideFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, ConsensusPair> {
    private final PromptDecider decider;
    private final PCollectionView<List<String>> allVoters;

    DecideFn(ConsensusSpec spec, PCollectionView<List<String>> allVoters) {
      this.decider = new PromptDecider(spec);
      this.allVoters = allVoters;
    }

    @Setup
    public void setup() {
      decider.setup();
    }

    @ProcessElement
    public void process(ProcessContext context, MultiOutputReceiver out) {
      ConsensusSpec spec = decider.spec();
      List<String> voters =
          new ArrayList<>(new TreeSet<>(allVoters == null ? spec.models() : context.sideInput(allVoters)));
      Set<String> voterSet = new HashSet<>(voters);
      JoinPromptShards.Parts shard = JoinPromptShards.Parts.of(context.element().getValue(), 2);
      Map<String, List<CandidateReward>> rewards = new TreeMap<>();
      Map<String, List<PairPreference>> preferences = new TreeMap<>();
      TreeSet<String> prompts = new TreeSet<>();
      for (CandidateReward r : shard.<CandidateReward>get(0)) {
        prompts.add(r.promptId());
        if (r.rewardModel().equals(spec.primary())) {
          rewards.computeIfAbsent(r.promptId(), k -> new ArrayList<>()).add(r);
        }
      }
      for (PairPreference p : shard.<PairPreference>get(1)) {
        prompts.add(p.promptId());
        if (voterSet.contains(p.rewardModel())) {
          preferences.computeIfAbsent(p.promptId(), k -> new ArrayList<>()).add(p);
        }
      }
      for (String promptId : prompts) {
        decider
            .decide(promptId, rewards.getOrDefault(promptId, List.of()), preferences.getOrDefault(promptId, List.of()), voters)
            .emit(out);
      }
    }
  }
}
