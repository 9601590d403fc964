package dev.assay.pipeline;

import dev.assay.consensus.ConsensusSpec;
import dev.assay.consensus.FilterByConsensus;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.consistency.ConsistencyTally;
import dev.assay.consistency.MeasureConsistency;
import dev.assay.consistency.PromptConsistency;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.curation.pairs.SftExample;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.io.Failure;
import dev.assay.grouping.ShardLines;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.grouping.JoinPromptShards;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.ScoreWithJudge;
import dev.assay.rewards.ScoreWithJudge.PromptScorer;
import dev.assay.rewards.ScoreWithJudge.ScoreSample;
import dev.assay.grouping.PromptShards;
import dev.assay.run.RunDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The self-rewarding scoring and curation in <b>one shuffle</b>: the {@code judge} voters' rewards and preferences, CREAM consistency,
 * consensus, pairs and SFT, computed per prompt inside each prompt shard from the judgments' scores, the candidates,
 * the previous iteration's rewards and the other voters' outputs, all joined once by {@link JoinPromptShards}.
 *
 * <p>Why one pass: composed, the stages shuffle the same records again and again (each judge voter its own scores,
 * consistency its rewards, consensus every reward and preference, pairs the candidates' texts). Every stage decides
 * one prompt at a time from that prompt's records alone, so after one join by prompt shard they can run back to back
 * in memory. {@code assay bench cpu} measures what that saves. The rules and counters are the stages' own ({@link
 * PromptScorer}, {@link MeasureConsistency.PromptMeasure}, {@link FilterByConsensus.PromptDecider}, {@link
 * BuildPreferencePairs.PromptPairs}), so the outputs and the accounting are the composed transforms' (a test runs
 * both on the same inputs and compares every output).
 *
 * <p>Inputs ({@link #inputs}): {@link #JUDGMENTS} and {@link #CANDIDATES}; optionally {@link #PREVIOUS_REWARDS} (the
 * previous iteration's published rewards, every model; only the consistency model's are read) and {@link
 * #OTHER_REWARDS} / {@link #OTHER_PREFERENCES} (the outputs of voters that are not of type {@code judge}, computed by
 * their own transforms). Outputs: {@link RewardModelOutput#REWARDS} and {@link RewardModelOutput#PREFERENCES} (every
 * voter's, the other voters' passed through), and, when configured, the tags of {@link MeasureConsistency} ({@code
 * KEPT, REJECTED, FAILURES, SUMMARY}), {@link FilterByConsensus} ({@code KEPT, REJECTED, FAILURES}) and {@link
 * BuildPreferencePairs} ({@code PAIRS, SFT, REJECTED}).
 *
 * <p>Consensus voters are given explicitly ({@link Settings#voters}): a run passes {@code consensus.models} or, when
 * it is not set, every configured reward model (DESIGN: "k of the m configured reward models"). Memory: a shard holds
 * its share of the judgments' scores (ids and a score, no rationale) and of the candidates while it is processed.
 * Failure modes: {@link IllegalArgumentException} at construction for an inconsistent configuration (a missing
 * previous input for consistency); records that the stages cannot
 * decide go to their {@code FAILURES} outputs, as in the composed transforms.
 */
public final class ScoreAndCuratePairs extends PTransform<PCollectionTuple, PCollectionTuple> {
  public static final TupleTag<Judgment> JUDGMENTS = new TupleTag<>("judgments") {};
  public static final TupleTag<Candidate> CANDIDATES = new TupleTag<>("candidates") {};
  public static final TupleTag<CandidateReward> PREVIOUS_REWARDS = new TupleTag<>("previous-rewards") {};
  public static final TupleTag<CandidateReward> OTHER_REWARDS = new TupleTag<>("other-rewards") {};
  public static final TupleTag<PairPreference> OTHER_PREFERENCES = new TupleTag<>("other-preferences") {};

  /**
   * What the curation computes.
   *
   * @param judgeVoters the voters of type {@code judge} (their rewards are published and they vote)
   * @param voters the consensus voters' names (sorted and made distinct here), every reward model that votes
   * @param consistency the {@code consistency:} section, or null for none
   * @param consensus the {@code consensus:} section, or null for none (then no pairs either)
   * @param pairs the {@code pairs:} section (defaults when the recipe has none)
   * @param runId the run id written on pairs and SFT examples
   * @param iteration the iteration written on pairs and SFT examples
   * @param shards how many prompt shards to join in ({@link PromptShards#requireCount})
   */
  public record Settings(
      List<RewardModelSpec.Judge> judgeVoters,
      List<String> voters,
      ConsistencySpec consistency,
      ConsensusSpec consensus,
      PairSpec pairs,
      String runId,
      int iteration,
      int shards)
      implements java.io.Serializable {
    public Settings {
      judgeVoters = List.copyOf(judgeVoters);
      voters = List.copyOf(new TreeSet<>(voters));
      Objects.requireNonNull(pairs, "pairs");
      Objects.requireNonNull(runId, "runId");
      PromptShards.requireCount(shards);
    }
  }

  /** Output names: the subfolder of the shard root each output's files go to ({@code RunDirectory.publish} names). */
  public static final String REWARDS = "rewards";
  public static final String PREFERENCES = "preferences";
  public static final String CONSISTENCY = "consistency";
  public static final String REJECTED_CONSISTENCY = "rejected-consistency";
  public static final String CONSENSUS = "consensus";
  public static final String REJECTED_CONSENSUS = "rejected-consensus";
  public static final String PAIRS = "pairs";
  public static final String SFT = "sft";
  public static final String REJECTED_PAIRS = "rejected-pairs";
  /** Where callers write {@link MeasureConsistency#SUMMARY} (with {@code WriteJsonl}). */
  public static final String CONSISTENCY_SUMMARY = "consistency-summary";

  /**
   * The published file of each output the curation writes (and of the consistency summary its caller writes), as a run
   * publishes them: the one place that maps the curation's outputs to the run layout.
   */
  public static List<RunDirectory.Publication> publications(boolean consistency, boolean consensus) {
    List<RunDirectory.Publication> out = new ArrayList<>();
    out.add(new RunDirectory.Publication(REWARDS, "rewards", "rewards.jsonl"));
    out.add(new RunDirectory.Publication(PREFERENCES, "rewards", "preferences.jsonl"));
    if (consistency) {
      out.add(new RunDirectory.Publication(CONSISTENCY, "consistency", "consistency.jsonl"));
      out.add(new RunDirectory.Publication(REJECTED_CONSISTENCY, "rejected", "consistency.jsonl"));
      out.add(new RunDirectory.Publication(CONSISTENCY_SUMMARY, "consistency", "summary.json"));
    }
    if (consensus) {
      out.add(new RunDirectory.Publication(CONSENSUS, "pairs", "consensus.jsonl"));
      out.add(new RunDirectory.Publication(REJECTED_CONSENSUS, "rejected", "consensus.jsonl"));
      out.add(new RunDirectory.Publication(PAIRS, "pairs", "pairs.jsonl"));
      out.add(new RunDirectory.Publication(SFT, "sft", "sft.jsonl"));
      out.add(new RunDirectory.Publication(REJECTED_PAIRS, "rejected", "pairs.jsonl"));
    }
    return out;
  }

  private final Settings settings;
  private final String shardRoot;

  private ScoreAndCuratePairs(Settings settings, String shardRoot) {
    super("ScoreAndCuratePairs");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.shardRoot = Objects.requireNonNull(shardRoot, "shardRoot");
  }

  /**
   * @param shardRoot the folder every worker writes the outputs' shard files under ({@link ShardLines}: a run
   *     directory's {@code .work})
   */
  public static ScoreAndCuratePairs with(Settings settings, String shardRoot) {
    return new ScoreAndCuratePairs(settings, shardRoot);
  }

  /** The required inputs; add the optional ones with {@code .and(TAG, collection)}. */
  public static PCollectionTuple inputs(PCollection<Judgment> judgments, PCollection<Candidate> candidates) {
    return PCollectionTuple.of(JUDGMENTS, judgments).and(CANDIDATES, candidates);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple in) {
    ConsistencySpec cs = settings.consistency();
    if (cs != null && cs.previousJudge() == null && !in.has(PREVIOUS_REWARDS)) {
      throw new IllegalArgumentException("consistency without previous_judge needs the PREVIOUS_REWARDS input");
    }
    Layout layout = Layout.of(settings, in);
    List<JoinPromptShards.Input<?>> inputs = new ArrayList<>();
    if (layout.scoresTag >= 0) {
      PCollection<ScoreSample> scores =
          in.get(JUDGMENTS).apply("ShrinkToScores", ParDo.of(new ShrinkFn(layout.judges, layout.scorers(settings))))
              .setCoder(ScoreWithJudge.ScoreSampleCoder.INSTANCE);
      // One collection for every judge: each bundle reaching the join is a copy of the shard's state on the direct runner.
      inputs.add(new JoinPromptShards.Input<>("KeyScores", scores, ScoreSample::promptId, ScoreWithJudge.ScoreSampleCoder.INSTANCE));
    }
    if (layout.candidatesTag >= 0) {
      inputs.add(new JoinPromptShards.Input<>("KeyCandidates", in.get(CANDIDATES), Candidate::promptId, CandidateCoder.of()));
    }
    if (layout.previousTag >= 0) {
      String current = cs.rewardModel();
      PCollection<CandidateReward> previous =
          in.get(PREVIOUS_REWARDS).apply("PreviousOf-" + current, Filter.by(r -> r.rewardModel().equals(current)));
      inputs.add(new JoinPromptShards.Input<>("KeyPrevious", previous, CandidateReward::promptId, CandidateRewardCoder.of()));
    }
    if (layout.otherRewardsTag >= 0) {
      inputs.add(new JoinPromptShards.Input<>("KeyOtherRewards", in.get(OTHER_REWARDS), CandidateReward::promptId, CandidateRewardCoder.of()));
    }
    if (layout.otherPreferencesTag >= 0) {
      inputs.add(new JoinPromptShards.Input<>("KeyOtherPreferences", in.get(OTHER_PREFERENCES), PairPreference::promptId, PairPreferenceCoder.of()));
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("nothing to score: no judge voter and no other voter's outputs");
    }
    List<TupleTag<?>> extra = new ArrayList<>();
    if (cs != null) {
      extra.add(MeasureConsistency.FAILURES);
    }
    if (settings.consensus() != null) {
      extra.add(FilterByConsensus.FAILURES);
    }
    PCollectionTuple out =
        JoinPromptShards.join("JoinShards", settings.shards(), inputs)
            .apply("WithinPrompt", ParDo.of(new TailFn(settings, layout, shardRoot)).withOutputTags(MeasureConsistency.TALLIES, TupleTagList.of(extra)));
    out.get(MeasureConsistency.TALLIES).setCoder(JsonCoder.of(ConsistencyTally.class)); // empty without consistency
    PCollectionTuple result = PCollectionTuple.empty(in.getPipeline());
    if (cs != null) {
      result = result
          .and(MeasureConsistency.FAILURES, out.get(MeasureConsistency.FAILURES).setCoder(JsonCoder.of(Failure.class)))
          .and(MeasureConsistency.SUMMARY, MeasureConsistency.summarise(out.get(MeasureConsistency.TALLIES)));
    }
    if (settings.consensus() != null) {
      result = result.and(FilterByConsensus.FAILURES, out.get(FilterByConsensus.FAILURES).setCoder(JsonCoder.of(Failure.class)));
    }
    return result;
  }

  /** Which union tag carries what, fixed at construction and shared by the driver and the workers. */
  private static final class Layout implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Distinct judges read by the judge voters (and the previous judge), in order of first use. */
    final List<String> judges = new ArrayList<>();
    int scoresTag = -1;
    int candidatesTag = -1;
    int previousTag = -1;
    int otherRewardsTag = -1;
    int otherPreferencesTag = -1;
    int inputs;

    static Layout of(Settings s, PCollectionTuple in) {
      Layout l = new Layout();
      for (RewardModelSpec.Judge v : s.judgeVoters()) {
        if (!l.judges.contains(v.judge())) {
          l.judges.add(v.judge());
        }
      }
      ConsistencySpec cs = s.consistency();
      if (cs != null && cs.previousJudge() != null && !l.judges.contains(cs.previousJudge())) {
        l.judges.add(cs.previousJudge());
      }
      int next = 0;
      if (!l.judges.isEmpty()) {
        l.scoresTag = next++;
      }
      if (s.consensus() != null) {
        l.candidatesTag = next++;
      }
      if (cs != null && cs.previousJudge() == null) {
        l.previousTag = next++;
      }
      if (in.has(OTHER_REWARDS)) {
        l.otherRewardsTag = next++;
      }
      if (in.has(OTHER_PREFERENCES)) {
        l.otherPreferencesTag = next++;
      }
      l.inputs = next;
      return l;
    }

    /** The scorers by judge tag: every voter (and the previous judge's) reading that judge. */
    List<List<PromptScorer>> scorers(Settings s) {
      List<List<PromptScorer>> out = new ArrayList<>();
      for (int j = 0; j < judges.size(); j++) {
        out.add(new ArrayList<>());
      }
      for (RewardModelSpec.Judge v : s.judgeVoters()) {
        out.get(judges.indexOf(v.judge())).add(new PromptScorer(v.name(), v.judge()));
      }
      if (s.consistency() != null && s.consistency().previousJudge() != null) {
        String judge = s.consistency().previousJudge();
        out.get(judges.indexOf(judge)).add(previousScorer(judge));
      }
      return out;
    }
  }

  /** The voter that scores the previous iteration's judge, as the composed wiring names it. */
  static PromptScorer previousScorer(String judge) {
    return new PromptScorer("previous:" + judge, judge);
  }

  /**
   * Turns each absolute judgment of a configured judge into its score sample, once whatever the number of voters
   * reading that judge; judgments of other kinds are counted by every voter of their judge, as each voter's own
   * shrink step counts them.
   */
  private static final class ShrinkFn extends DoFn<Judgment, ScoreSample> {
    private final List<String> judges;
    private final List<List<PromptScorer>> scorers;
    private transient Map<String, Integer> index;

    ShrinkFn(List<String> judges, List<List<PromptScorer>> scorers) {
      this.judges = List.copyOf(judges);
      this.scorers = scorers;
    }

    @Setup
    public void setup() {
      index = new HashMap<>();
      for (int j = 0; j < judges.size(); j++) {
        index.put(judges.get(j), j);
      }
      scorers.forEach(l -> l.forEach(PromptScorer::setup));
    }

    @ProcessElement
    public void process(@Element Judgment judgment, OutputReceiver<ScoreSample> out) {
      Integer j = index.get(judgment.judge());
      if (j == null) {
        return; // read by no judge voter (a pairwise voter reads it elsewhere): not lost
      }
      if (judgment.kind() != JudgmentKind.ABSOLUTE) {
        scorers.get(j).forEach(PromptScorer::countOtherKind);
        return;
      }
      out.output(ScoreSample.of(judgment));
    }
  }

  /** One shard: every stage, prompt by prompt, in prompt id order; the records go to the shard's files. */
  private static final class TailFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, ConsistencyTally> {
    private final Settings settings;
    private final Layout layout;
    private final String shardRoot;
    private final List<List<PromptScorer>> scorers;
    private final PromptScorer previousJudge;
    private final MeasureConsistency.PromptMeasure measure;
    private final FilterByConsensus.PromptDecider decider;
    private final BuildPreferencePairs.PromptPairs pairs;
    private transient Map<String, Integer> judgeIndex;
    private transient Set<String> voters;

    TailFn(Settings settings, Layout layout, String shardRoot) {
      this.settings = settings;
      this.layout = layout;
      this.shardRoot = shardRoot;
      this.scorers = layout.scorers(settings);
      ConsistencySpec cs = settings.consistency();
      PromptScorer previous = null;
      if (cs != null && cs.previousJudge() != null) {
        List<PromptScorer> ofJudge = scorers.get(layout.judges.indexOf(cs.previousJudge()));
        previous = ofJudge.get(ofJudge.size() - 1); // added last by Layout.scorers
      }
      this.previousJudge = previous;
      this.measure = cs == null ? null : MeasureConsistency.PromptMeasure.of(cs);
      this.decider = settings.consensus() == null ? null : new FilterByConsensus.PromptDecider(settings.consensus());
      this.pairs =
          settings.consensus() == null
              ? null
              : new BuildPreferencePairs.PromptPairs(settings.pairs(), cs != null && cs.filters(), settings.runId(), settings.iteration());
    }

    @Setup
    public void setup() {
      judgeIndex = new HashMap<>();
      for (int j = 0; j < layout.judges.size(); j++) {
        judgeIndex.put(layout.judges.get(j), j);
      }
      voters = new HashSet<>(settings.voters());
      scorers.forEach(l -> l.forEach(PromptScorer::setup));
      if (measure != null) {
        measure.setup();
      }
      if (decider != null) {
        decider.setup();
        pairs.setup();
      }
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, MultiOutputReceiver out) {
      JoinPromptShards.Parts parts = JoinPromptShards.Parts.of(shard.getValue(), layout.inputs);
      TreeSet<String> prompts = new TreeSet<>();
      List<List<ScoreSample>> ofJudge = new ArrayList<>();
      layout.judges.forEach(j -> ofJudge.add(new ArrayList<>()));
      for (ScoreSample s : TailFn.<ScoreSample>part(parts, layout.scoresTag)) {
        ofJudge.get(judgeIndex.get(s.judge())).add(s);
      }
      List<Map<String, List<ScoreSample>>> samples = new ArrayList<>();
      for (int j = 0; j < layout.judges.size(); j++) {
        Map<String, List<ScoreSample>> byPrompt = byPrompt(ofJudge.get(j), ScoreSample::promptId, prompts);
        samples.add(byPrompt);
        if (!byPrompt.isEmpty()) {
          scorers.get(j).forEach(PromptScorer::countShard);
        }
      }
      Map<String, Candidate> candidates = new HashMap<>();
      for (Candidate c : TailFn.<Candidate>part(parts, layout.candidatesTag)) {
        candidates.put(c.id(), c);
      }
      Map<String, List<CandidateReward>> previous = byPrompt(part(parts, layout.previousTag), CandidateReward::promptId, prompts);
      Map<String, List<CandidateReward>> otherRewards = byPrompt(part(parts, layout.otherRewardsTag), CandidateReward::promptId, prompts);
      Map<String, List<PairPreference>> otherPreferences =
          byPrompt(part(parts, layout.otherPreferencesTag), PairPreference::promptId, prompts);
      ConsistencyTally tally = ConsistencyTally.empty();
      try (ShardLines files = ShardLines.open(shardRoot, shard.getKey(), settings.shards())) {
        for (String promptId : prompts) {
          List<CandidateReward> rewards = new ArrayList<>();
          List<PairPreference> preferences = new ArrayList<>();
          List<CandidateReward> previousOfPrompt = previous.getOrDefault(promptId, List.of());
          for (int j = 0; j < scorers.size(); j++) {
            List<ScoreSample> ofPrompt = samples.get(j).get(promptId);
            if (ofPrompt == null) {
              continue;
            }
            for (PromptScorer scorer : scorers.get(j)) {
              ScoreWithJudge.Scored scored = scorer.score(ofPrompt);
              if (scorer == previousJudge) {
                previousOfPrompt = scored.rewards();
                continue; // the previous iteration's stand-in: measured against, not published, not a voter
              }
              rewards.addAll(scored.rewards());
              preferences.addAll(scored.preferences());
            }
          }
          rewards.addAll(otherRewards.getOrDefault(promptId, List.of()));
          preferences.addAll(otherPreferences.getOrDefault(promptId, List.of()));
          rewards.forEach(r -> files.add(REWARDS, r));
          preferences.forEach(p -> files.add(PREFERENCES, p));

          PromptConsistency consistency = null;
          if (measure != null) {
            List<CandidateReward> current = ofModel(rewards, settings.consistency().rewardModel());
            if (!current.isEmpty() || !previousOfPrompt.isEmpty()) {
              MeasureConsistency.Outcome o = measure.measure(promptId, current, previousOfPrompt);
              if (o.kept() != null) {
                files.add(CONSISTENCY, o.kept());
              } else if (o.rejected() != null) {
                files.add(REJECTED_CONSISTENCY, o.rejected());
              } else {
                out.get(MeasureConsistency.FAILURES).output(o.failure());
              }
              tally = o.addTo(tally);
              consistency = o.kept();
            }
          }
          if (decider == null || (rewards.isEmpty() && preferences.isEmpty())) {
            continue;
          }
          List<CandidateReward> primary = ofModel(rewards, settings.consensus().primary());
          List<PairPreference> votes = new ArrayList<>();
          for (PairPreference p : preferences) {
            if (voters.contains(p.rewardModel())) {
              votes.add(p);
            }
          }
          FilterByConsensus.Decided d = decider.decide(promptId, primary, votes, settings.voters());
          if (d.kept() != null) {
            files.add(CONSENSUS, d.kept());
            BuildPreferencePairs.Built built = pairs.pair(d.kept(), candidates, consistency);
            if (built.pair() != null) {
              files.add(PAIRS, built.pair());
            } else {
              files.add(REJECTED_PAIRS, built.rejected());
            }
          } else if (d.rejected() != null) {
            files.add(REJECTED_CONSENSUS, d.rejected());
          } else {
            out.get(FilterByConsensus.FAILURES).output(d.failure());
          }
          SftExample sft = pairs.sft(primary, candidates);
          if (sft != null) {
            files.add(SFT, sft);
          }
        }
        files.commit();
      }
      if (measure != null) {
        out.get(MeasureConsistency.TALLIES).output(tally);
      }
    }

    private static <T> List<T> part(JoinPromptShards.Parts parts, int tag) {
      return tag < 0 ? List.of() : parts.get(tag);
    }

    private static <T> Map<String, List<T>> byPrompt(List<T> records, Function<T, String> promptId, Set<String> prompts) {
      Map<String, List<T>> out = new LinkedHashMap<>();
      for (T r : records) {
        out.computeIfAbsent(promptId.apply(r), k -> new ArrayList<>()).add(r);
      }
      prompts.addAll(out.keySet());
      return out;
    }

    private static List<CandidateReward> ofModel(List<CandidateReward> rewards, String model) {
      List<CandidateReward> out = new ArrayList<>();
      for (CandidateReward r : rewards) {
        if (r.rewardModel().equals(model)) {
          out.add(r);
        }
      }
      return out;
    }
  }
}
