package dev.assay.pipeline;

import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.ConsensusSpec;
import dev.assay.consensus.FilterByConsensus;
import dev.assay.consensus.RejectedPair;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.consistency.ConsistencyTally;
import dev.assay.consistency.MeasureConsistency;
import dev.assay.consistency.PromptConsistency;
import dev.assay.consistency.RejectedPrompt;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.RejectedPreference;
import dev.assay.curation.pairs.SftExample;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.grouping.JoinPromptShards;
import dev.assay.grouping.WriteSortedJsonl;
import dev.assay.io.Failure;
import dev.assay.io.JsonCoder;
import dev.assay.io.KeptRejectedFailed;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.judge.JudgeScoring;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.judge.ScoreSample;
import dev.assay.rewards.judge.ScoreSampleCoder;
import dev.assay.rewards.judge.ScoreWithJudge;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import dev.assay.grouping.ForwardingOutput;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The self-rewarding scoring and curation as one composite: groups the judgments' scores, the candidates, the
 * previous iteration's rewards and the other voters' outputs by prompt <b>once</b> ({@link JoinPromptShards}) and
 * applies {@link PromptCuration#curate} to each prompt: the stages' plain functions in order, {@link
 * JudgeScoring#score} for every {@code judge} voter, {@link MeasureConsistency#measure} (CREAM), {@link
 * FilterByConsensus#decide} and {@link BuildPreferencePairs#build}. It emits each prompt's records, typed, as one
 * {@link CuratedPrompt} ({@link Result#prompts()}), with a typed view of every output ({@link Result#get}); {@link
 * #sink} writes them for publishing. It takes no shard count: the grouping reads the pipeline's ({@code
 * grouping.PromptShardOptions}).
 *
 * <p>Why one grouping: composed, the stages would shuffle the same records again and again (each judge voter its
 * scores, consistency its rewards, consensus every reward and preference, pairs the candidates' texts), while each
 * decides one prompt at a time from that prompt's records alone. {@code assay bench cpu} measures it, with a plain
 * loop over the same functions as the reference.
 *
 * <p>Inputs ({@link #inputs}): {@link #JUDGMENTS} and {@link #CANDIDATES}; optionally {@link #PREVIOUS_REWARDS} (the
 * previous iteration's published rewards, every model; only the consistency model's are read) and {@link
 * #OTHER_REWARDS} / {@link #OTHER_PREFERENCES} (the outputs of voters that are not of type {@code judge}, computed by
 * their own transforms). Outputs: the {@link Output} constants, {@link #FAILURES} (consistency and consensus failures;
 * {@link Failure#stage()} tells which) and, with consistency, exactly one {@link #CONSISTENCY_SUMMARY}. Every stage's
 * count is its outputs' sizes: consistency in = kept + rejected + failed with stage {@value MeasureConsistency#STAGE};
 * consensus in = {@link #CONSENSUS} + {@link #REJECTED_CONSENSUS} + failures of stage {@value
 * FilterByConsensus#STAGE}; pairs in = {@link #CONSENSUS} = {@link #PAIRS} + {@link #REJECTED_PAIRS}. Beam counters
 * with the same figures are kept too (stages {@code reward.<voter>}, {@value MeasureConsistency#STAGE}, {@value
 * FilterByConsensus#STAGE}, {@value BuildPreferencePairs#STAGE}, {@value BuildPreferencePairs#SFT_STAGE}).
 *
 * <p>Consensus voters are given explicitly ({@link Settings#voters}): a run passes {@code consensus.models} or, when
 * it is not set, every configured reward model (DESIGN: "k of the m configured reward models"). Memory: a shard holds
 * its share of the judgments' scores (ids and a score, no rationale) and of the candidates while it is processed.
 * Failure modes: {@link IllegalArgumentException} at expansion for an inconsistent configuration (consistency without
 * a previous input, nothing to score); records the stages cannot decide go to {@link #FAILURES}.
 */
public final class ScoreAndCuratePairs extends PTransform<PCollectionTuple, ScoreAndCuratePairs.Result> {
  public static final TupleTag<Judgment> JUDGMENTS = new TupleTag<>("judgments") {};
  public static final TupleTag<Candidate> CANDIDATES = new TupleTag<>("candidates") {};
  public static final TupleTag<CandidateReward> PREVIOUS_REWARDS = new TupleTag<>("previous-rewards") {};
  public static final TupleTag<CandidateReward> OTHER_REWARDS = new TupleTag<>("other-rewards") {};
  public static final TupleTag<PairPreference> OTHER_PREFERENCES = new TupleTag<>("other-preferences") {};

  /**
   * One typed output and the file a run publishes it as.
   *
   * @param name the output's name: the subfolder of the run's {@code .work} its files go to
   * @param coder its records' coder, for the typed view ({@link Result#get})
   */
  public record Output<T>(String name, String folder, String file, Coder<T> coder) {
    /** An output whose records travel as JSON. */
    static <T> Output<T> json(String name, String folder, String file, Class<T> type) {
      return new Output<>(name, folder, file, JsonCoder.of(type));
    }

    /** The published file. */
    public RunDirectory.Publication publication() {
      return new RunDirectory.Publication(name, folder, file);
    }
  }

  /** Every voter's rewards (the judge voters' and the other voters', passed through). */
  public static final Output<CandidateReward> REWARDS =
      new Output<>("rewards", "rewards", "rewards.jsonl", CandidateRewardCoder.of());
  /** Every voter's pair preferences. */
  public static final Output<PairPreference> PREFERENCES =
      new Output<>("preferences", "rewards", "preferences.jsonl", PairPreferenceCoder.of());
  /** Prompts consistency kept. */
  public static final Output<PromptConsistency> CONSISTENCY = Output.json("consistency", "consistency", "consistency.jsonl", PromptConsistency.class);
  /** Prompts consistency rejected, with the reason. */
  public static final Output<RejectedPrompt> REJECTED_CONSISTENCY =
      Output.json("rejected-consistency", "rejected", "consistency.jsonl", RejectedPrompt.class);
  /** Exactly one set-level consistency summary (when consistency is configured). */
  public static final Output<ConsistencySummary> CONSISTENCY_SUMMARY =
      Output.json("consistency-summary", "consistency", "summary.json", ConsistencySummary.class);
  /** Pairs the voters agree on, one per prompt at most. */
  public static final Output<ConsensusPair> CONSENSUS = Output.json("consensus", "pairs", "consensus.jsonl", ConsensusPair.class);
  /** Prompts whose pair consensus did not keep, with the reason and the votes. */
  public static final Output<RejectedPair> REJECTED_CONSENSUS = Output.json("rejected-consensus", "rejected", "consensus.jsonl", RejectedPair.class);
  /** Policy preference pairs (what exporters read). */
  public static final Output<PreferencePair> PAIRS = Output.json("pairs", "pairs", "pairs.jsonl", PreferencePair.class);
  /** Policy SFT examples. */
  public static final Output<SftExample> SFT = Output.json("sft", "sft", "sft.jsonl", SftExample.class);
  /** Consensus pairs the pair checks rejected, with the reason. */
  public static final Output<RejectedPreference> REJECTED_PAIRS = Output.json("rejected-pairs", "rejected", "pairs.jsonl", RejectedPreference.class);
  /**
   * Prompts consistency or consensus could not decide ({@link Failure#stage()} tells which). Written under the run's
   * one failures output, which the run publishes with every other stage's failures.
   */
  public static final Output<Failure> FAILURES = Output.json("failures", "failures", "failures.jsonl", Failure.class);

  /** The outputs a run with (or without) consistency and consensus has, in publishing order. */
  static List<Output<?>> outputs(boolean consistency, boolean consensus) {
    List<Output<?>> out = new ArrayList<>(List.of(REWARDS, PREFERENCES));
    if (consistency) {
      out.addAll(List.of(CONSISTENCY, REJECTED_CONSISTENCY, CONSISTENCY_SUMMARY));
    }
    if (consensus) {
      out.addAll(List.of(CONSENSUS, REJECTED_CONSENSUS, PAIRS, SFT, REJECTED_PAIRS));
    }
    return out;
  }

  /** The published file of each output, as a run publishes them: the one place that maps outputs to the run layout. */
  public static List<RunDirectory.Publication> publications(boolean consistency, boolean consensus) {
    return outputs(consistency, consensus).stream().map(Output::publication).toList();
  }

  /**
   * The sink of a {@link Result}'s prompts: every output's records ({@link CuratedPrompt#emit}) as sorted JSONL files
   * under {@code workRoot/<name>/} ({@link WriteSortedJsonl}), which {@link RunDirectory#publishAll} merges into the
   * published files; failures go under the run's one {@code failures} output. Returns the consistency summary, folded
   * while writing (publish it only when consistency is configured; without, it summarises nothing).
   */
  public static WriteSortedJsonl.Folding<CuratedPrompt, ConsistencyTally, ConsistencySummary> sink(String workRoot) {
    return WriteSortedJsonl.<CuratedPrompt>to(workRoot, ScoreAndCuratePairs::lines).folding(new SummaryFn());
  }

  private static void lines(CuratedPrompt prompt, WriteSortedJsonl.Sink to) {
    prompt.emit((output, record) -> to.write(output.name(), record));
  }

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
   */
  public record Settings(
      List<RewardModelSpec.Judge> judgeVoters,
      List<String> voters,
      ConsistencySpec consistency,
      ConsensusSpec consensus,
      PairSpec pairs,
      String runId,
      int iteration)
      implements java.io.Serializable {
    public Settings {
      judgeVoters = List.copyOf(judgeVoters);
      voters = List.copyOf(new TreeSet<>(voters));
      Objects.requireNonNull(pairs, "pairs");
      Objects.requireNonNull(runId, "runId");
    }
  }

  /**
   * The curation's output: one {@link CuratedPrompt} per prompt ({@link #prompts()}, what {@link #sink} writes), and
   * typed views of each {@link Output} and of the failures, derived from it on demand ({@link #get}, {@link
   * #failures()}) for tests and for code that reads one output. Each view is a further reader of every prompt (see
   * {@link CuratedPrompt} for why a run's pipeline has only the sink read them). Outputs of a stage that is not
   * configured are empty, except {@link #CONSISTENCY_SUMMARY}, which exists only with consistency.
   */
  public static final class Result extends ForwardingOutput {
    private final PCollection<CuratedPrompt> prompts;
    private final boolean consistency;
    private final Map<String, PCollection<?>> views = new HashMap<>();

    private Result(PCollection<CuratedPrompt> prompts, boolean consistency) {
      super(prompts);
      this.prompts = prompts;
      this.consistency = consistency;
    }

    /** Every prompt's records. */
    public PCollection<CuratedPrompt> prompts() {
      return prompts;
    }

    /**
     * The records of one output (the same ones for every call).
     *
     * @throws IllegalArgumentException for {@link #CONSISTENCY_SUMMARY} of a curation without consistency
     */
    @SuppressWarnings("unchecked")
    public <T> PCollection<T> get(Output<T> output) {
      if (output == CONSISTENCY_SUMMARY) {
        if (!consistency) {
          throw new IllegalArgumentException("the curation has no output " + output.name() + " (is its stage configured?)");
        }
        return (PCollection<T>) views.computeIfAbsent(output.name(),
            k -> prompts.apply("Summarise", Combine.globally(new SummaryFn())).setCoder(CONSISTENCY_SUMMARY.coder()));
      }
      return (PCollection<T>) views.computeIfAbsent(output.name(),
          k -> prompts.apply("Select-" + output.name(), ParDo.of(new SelectFn<>(output))).setCoder(output.coder()));
    }

    /** The prompts consistency or consensus could not decide. */
    public PCollection<Failure> failures() {
      return get(FAILURES);
    }
  }

  /** One output's records of each prompt. */
  private static final class SelectFn<T> extends DoFn<CuratedPrompt, T> {
    private final String name;

    SelectFn(Output<T> output) {
      this.name = output.name();
    }

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element CuratedPrompt prompt, OutputReceiver<T> out) {
      prompt.emit((output, record) -> {
        if (output.name().equals(name)) {
          out.output((T) record);
        }
      });
    }
  }

  private final Settings settings;

  private ScoreAndCuratePairs(Settings settings) {
    super("ScoreAndCuratePairs");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public static ScoreAndCuratePairs with(Settings settings) {
    return new ScoreAndCuratePairs(settings);
  }

  /** The required inputs; add the optional ones with {@code .and(TAG, collection)}. */
  public static PCollectionTuple inputs(PCollection<Judgment> judgments, PCollection<Candidate> candidates) {
    return PCollectionTuple.of(JUDGMENTS, judgments).and(CANDIDATES, candidates);
  }

  @Override
  public Result expand(PCollectionTuple in) {
    ConsistencySpec cs = settings.consistency();
    if (cs != null && cs.previousJudge() == null && !in.has(PREVIOUS_REWARDS)) {
      throw new IllegalArgumentException("consistency without previous_judge needs the PREVIOUS_REWARDS input");
    }
    Layout layout = Layout.of(settings, in);
    List<JoinPromptShards.Input<?>> inputs = new ArrayList<>();
    if (layout.scoresTag >= 0) {
      PCollection<ScoreSample> scores =
          in.get(JUDGMENTS).apply("ShrinkToScores", ParDo.of(new ShrinkFn(layout.judges, layout.voters(settings))))
              .setCoder(ScoreSampleCoder.INSTANCE);
      // One collection for every judge: each bundle reaching the join is a copy of the shard's state on the direct runner.
      inputs.add(new JoinPromptShards.Input<>("KeyScores", scores, ScoreSample::promptId, ScoreSampleCoder.INSTANCE));
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
    PCollection<CuratedPrompt> prompts =
        JoinPromptShards.join("JoinShards", inputs)
            .apply("WithinPrompt", ParDo.of(new WithinPromptFn(settings, layout)))
            .setCoder(CuratedPromptCoder.of());
    return new Result(prompts, cs != null);
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
    boolean consistency;

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
      l.consistency = cs != null;
      return l;
    }

    /** The judge voters by judge, each with its counters (the previous judge's stand-in is not a voter). */
    List<List<ScoreWithJudge.Counters>> voters(Settings s) {
      List<List<ScoreWithJudge.Counters>> out = new ArrayList<>();
      for (int j = 0; j < judges.size(); j++) {
        out.add(new ArrayList<>());
      }
      for (RewardModelSpec.Judge v : s.judgeVoters()) {
        out.get(judges.indexOf(v.judge())).add(new ScoreWithJudge.Counters(v.name(), v.judge()));
      }
      return out;
    }
  }

  /**
   * Turns each absolute judgment of a configured judge into its score sample, once whatever the number of voters
   * reading that judge; judgments of other kinds are counted by every voter of their judge.
   */
  private static final class ShrinkFn extends DoFn<Judgment, ScoreSample> {
    private final List<String> judges;
    private final List<List<ScoreWithJudge.Counters>> voters;
    private transient Map<String, Integer> index;

    ShrinkFn(List<String> judges, List<List<ScoreWithJudge.Counters>> voters) {
      this.judges = List.copyOf(judges);
      this.voters = voters;
    }

    @Setup
    public void setup() {
      index = new HashMap<>();
      for (int j = 0; j < judges.size(); j++) {
        index.put(judges.get(j), j);
      }
      voters.forEach(l -> l.forEach(ScoreWithJudge.Counters::setup));
    }

    @ProcessElement
    public void process(@Element Judgment judgment, OutputReceiver<ScoreSample> out) {
      Integer j = index.get(judgment.judge());
      if (j == null) {
        return; // read by no judge voter (a pairwise voter reads it elsewhere): not lost
      }
      if (judgment.kind() != JudgmentKind.ABSOLUTE) {
        voters.get(j).forEach(ScoreWithJudge.Counters::countOtherKind);
        return;
      }
      out.output(ScoreSample.of(judgment));
    }
  }

  /** The stages' counters other than the voters': each stage's in, out, rejected and failed, and consensus's reasons. */
  private static final class StageCounters {
    private final StageMetrics consistency = new StageMetrics(MeasureConsistency.STAGE, null);
    private final StageMetrics consensus = new StageMetrics(FilterByConsensus.STAGE, null);
    private final StageMetrics pairs = new StageMetrics(BuildPreferencePairs.STAGE, null);
    private final StageMetrics sft = new StageMetrics(BuildPreferencePairs.SFT_STAGE, null);
    private final Map<String, Counter> reasons = new TreeMap<>();

    StageCounters() {
      for (String reason : RejectedPair.REASONS) {
        reasons.put(reason, Metrics.counter(StageMetrics.NAMESPACE, StageMetrics.stageCounter(FilterByConsensus.STAGE, "rejected." + reason)));
      }
    }

    static void count(StageMetrics m, KeptRejectedFailed<?, ?> outcome) {
      m.in(1);
      if (outcome.kept() != null) {
        m.out(1);
      } else if (outcome.rejected() != null) {
        m.rejected(1);
      } else {
        m.failed(1);
      }
    }

    void count(FilterByConsensus.Decided d) {
      count(consensus, d);
      if (d.rejected() != null) {
        reasons.get(d.rejected().reason()).inc();
      }
    }

    void count(BuildPreferencePairs.Built b) {
      if (b.pair() != null || b.rejected() != null) {
        pairs.in(1);
        if (b.pair() != null) {
          pairs.out(1);
        } else {
          pairs.rejected(1);
        }
      }
      if (b.sft() != null) {
        sft.out(1);
      }
    }
  }

  /** One shard: {@link PromptCuration#curate} for each prompt, in prompt id order, each prompt's records out. */
  private static final class WithinPromptFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, CuratedPrompt> {
    private final Layout layout;
    private final List<List<ScoreWithJudge.Counters>> voters;
    private final PromptCuration curation;
    private transient Map<String, ScoreWithJudge.Counters> byVoter;
    private transient StageCounters counters;

    WithinPromptFn(Settings settings, Layout layout) {
      this.layout = layout;
      this.voters = layout.voters(settings);
      this.curation = PromptCuration.of(settings);
    }

    @Setup
    public void setup() {
      byVoter = new HashMap<>();
      voters.forEach(l -> l.forEach(c -> {
        c.setup();
        byVoter.put(c.rewardModel(), c);
      }));
      counters = new StageCounters();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, OutputReceiver<CuratedPrompt> out) {
      JoinPromptShards.Parts parts = JoinPromptShards.Parts.of(shard.getValue(), layout.inputs);
      TreeSet<String> prompts = new TreeSet<>();
      // prompt -> judge -> samples
      Map<String, Map<String, List<ScoreSample>>> samples = new HashMap<>();
      Set<String> judged = new HashSet<>();
      for (ScoreSample s : WithinPromptFn.<ScoreSample>part(parts, layout.scoresTag)) {
        samples.computeIfAbsent(s.promptId(), k -> new HashMap<>()).computeIfAbsent(s.judge(), k -> new ArrayList<>()).add(s);
        judged.add(s.judge());
      }
      prompts.addAll(samples.keySet());
      for (int j = 0; j < layout.judges.size(); j++) {
        if (judged.contains(layout.judges.get(j))) {
          voters.get(j).forEach(ScoreWithJudge.Counters::countShard);
        }
      }
      Map<String, Candidate> candidates = new HashMap<>();
      for (Candidate c : WithinPromptFn.<Candidate>part(parts, layout.candidatesTag)) {
        candidates.put(c.id(), c);
      }
      Map<String, List<CandidateReward>> previous = byPrompt(part(parts, layout.previousTag), CandidateReward::promptId, prompts);
      Map<String, List<CandidateReward>> otherRewards = byPrompt(part(parts, layout.otherRewardsTag), CandidateReward::promptId, prompts);
      Map<String, List<PairPreference>> otherPreferences =
          byPrompt(part(parts, layout.otherPreferencesTag), PairPreference::promptId, prompts);
      for (String promptId : prompts) {
        PromptCuration.Curated c = curation.curate(
            promptId,
            samples.getOrDefault(promptId, Map.of()),
            previous.getOrDefault(promptId, List.of()),
            otherRewards.getOrDefault(promptId, List.of()),
            otherPreferences.getOrDefault(promptId, List.of()),
            candidates);
        c.scored().forEach(v -> byVoter.get(v.voter()).count(v.result()));
        out.output(c.published());
        if (c.consistency() != null) {
          StageCounters.count(counters.consistency, c.consistency());
        }
        if (c.consensus() != null) {
          counters.count(c.consensus());
        }
        if (c.pairs() != null) {
          counters.count(c.pairs());
        }
      }
    }

    private static <T> List<T> part(JoinPromptShards.Parts parts, int tag) {
      return tag < 0 ? List.of() : parts.get(tag);
    }

    private static <T> Map<String, List<T>> byPrompt(List<T> records, Function<T, String> promptId, Set<String> prompts) {
      Map<String, List<T>> out = new HashMap<>();
      for (T r : records) {
        out.computeIfAbsent(promptId.apply(r), k -> new ArrayList<>()).add(r);
      }
      prompts.addAll(out.keySet());
      return out;
    }
  }

  /** The set-level consistency summary of the prompts: exactly one, also for no input. */
  private static final class SummaryFn extends Combine.CombineFn<CuratedPrompt, ConsistencyTally, ConsistencySummary> {
    @Override
    public ConsistencyTally createAccumulator() {
      return ConsistencyTally.empty();
    }

    @Override
    public ConsistencyTally addInput(ConsistencyTally acc, CuratedPrompt prompt) {
      return prompt.addTo(acc);
    }

    @Override
    public ConsistencyTally mergeAccumulators(Iterable<ConsistencyTally> accs) {
      ConsistencyTally out = ConsistencyTally.empty();
      for (ConsistencyTally a : accs) {
        out = out.merge(a);
      }
      return out;
    }

    @Override
    public ConsistencySummary extractOutput(ConsistencyTally acc) {
      return acc.summary();
    }

    @Override
    public Coder<ConsistencyTally> getAccumulatorCoder(CoderRegistry registry, Coder<CuratedPrompt> inputCoder) {
      return JsonCoder.of(ConsistencyTally.class);
    }

    @Override
    public Coder<ConsistencySummary> getDefaultOutputCoder(CoderRegistry registry, Coder<CuratedPrompt> inputCoder) {
      return JsonCoder.of(ConsistencySummary.class);
    }
  }
}
