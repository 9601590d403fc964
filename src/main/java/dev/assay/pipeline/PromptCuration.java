package dev.assay.pipeline;

import dev.assay.consensus.FilterByConsensus;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.consistency.MeasureConsistency;
import dev.assay.consistency.PromptConsistency;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.generation.Candidate;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.judge.JudgeScoring;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.judge.ScoreSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The self-rewarding scoring and curation of <b>one prompt</b>, as a pure function: the stages' own functions in
 * order, {@link JudgeScoring#score} for each {@code judge} voter, {@link MeasureConsistency#measure}, {@link
 * FilterByConsensus#decide} and {@link BuildPreferencePairs#build}, fed with what the one before produced.
 * {@link ScoreAndCuratePairs} applies it to every prompt of a shard and the CPU benchmark's plain loop to every
 * prompt of its files, so the order of the stages and what each is given exist once.
 *
 * <p>Rules of the wiring (as DESIGN has them): every voter's rewards and preferences are published, the other voters'
 * passed through; consistency measures the {@code reward_model}'s rewards against the previous side (the previous
 * iteration's published rewards of that model, or, with {@code previous_judge}, that judge's samples scored under
 * the name {@code previous:<judge>}) for a prompt with rewards on either side; consensus decides a prompt with any
 * reward or preference, from the primary's rewards and the voters' preferences; pairs are built from a kept consensus
 * pair, the prompt's candidates and its kept consistency measurement. Immutable and serializable; no Beam types.
 */
public final class PromptCuration implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final ScoreAndCuratePairs.Settings settings;
  private final MeasureConsistency measure;
  private final FilterByConsensus consensus;
  private final BuildPreferencePairs pairs;
  private final Set<String> voters;

  private PromptCuration(ScoreAndCuratePairs.Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    ConsistencySpec cs = settings.consistency();
    this.measure = cs == null ? null : MeasureConsistency.of(cs);
    this.consensus = settings.consensus() == null ? null : FilterByConsensus.of(settings.consensus());
    this.pairs = settings.consensus() == null
        ? null
        : BuildPreferencePairs.with(settings.pairs(), cs != null && cs.filters(), settings.runId(), settings.iteration());
    this.voters = new HashSet<>(settings.voters());
  }

  public static PromptCuration of(ScoreAndCuratePairs.Settings settings) {
    return new PromptCuration(settings);
  }

  /** The name the previous iteration's judge is scored under: the consistency's previous side, not a voter. */
  public static String previousVoter(String judge) {
    return "previous:" + judge;
  }

  /**
   * One judge voter's scores of the prompt.
   *
   * @param voter the voter's name
   */
  public record Scored(String voter, JudgeScoring.Result result) {}

  /**
   * Everything one prompt produced: what it publishes, and each judge voter's scoring (for the voters' counts).
   *
   * @param scored each judge voter's scores, for voters whose judge judged the prompt (in the settings' order)
   * @param published the prompt's records, as the composite emits them
   */
  public record Curated(List<Scored> scored, CuratedPrompt published) {
    public List<CandidateReward> rewards() {
      return published.rewards();
    }

    public List<PairPreference> preferences() {
      return published.preferences();
    }

    public MeasureConsistency.Outcome consistency() {
      return published.consistency();
    }

    public FilterByConsensus.Decided consensus() {
      return published.consensus();
    }

    public BuildPreferencePairs.Built pairs() {
      return published.pairs();
    }
  }

  /** Where {@link CuratedPrompt#emit} sends a prompt's records. */
  @FunctionalInterface
  public interface Emitter {
    /** One record of {@code output} (a failure is a record of {@link ScoreAndCuratePairs#FAILURES}). */
    void add(ScoreAndCuratePairs.Output<?> output, Object record);
  }

  /**
   * Curates one prompt.
   *
   * @param samples the prompt's score samples by judge (a judge absent or empty did not judge it)
   * @param previous the previous iteration's rewards of the consistency model for the prompt (empty with {@code
   *     previous_judge})
   * @param otherRewards the rewards of the voters that are not of type {@code judge}
   * @param otherPreferences their preferences
   * @param candidates the prompt's candidates by id (more do no harm)
   */
  public Curated curate(
      String promptId,
      Map<String, List<ScoreSample>> samples,
      List<CandidateReward> previous,
      List<CandidateReward> otherRewards,
      List<PairPreference> otherPreferences,
      Map<String, Candidate> candidates) {
    List<Scored> scored = new ArrayList<>();
    List<CandidateReward> rewards = new ArrayList<>();
    List<PairPreference> preferences = new ArrayList<>();
    for (RewardModelSpec.Judge v : settings.judgeVoters()) {
      List<ScoreSample> ofJudge = samples.get(v.judge());
      if (ofJudge != null && !ofJudge.isEmpty()) {
        JudgeScoring.Result r = JudgeScoring.score(v.name(), v.judge(), ofJudge);
        scored.add(new Scored(v.name(), r));
        rewards.addAll(r.rewards());
        preferences.addAll(r.preferences());
      }
    }
    rewards.addAll(otherRewards);
    preferences.addAll(otherPreferences);

    ConsistencySpec cs = settings.consistency();
    MeasureConsistency.Outcome consistency = null;
    if (measure != null) {
      List<CandidateReward> before = previous;
      if (cs.previousJudge() != null) {
        List<ScoreSample> ofJudge = samples.get(cs.previousJudge());
        before = ofJudge == null || ofJudge.isEmpty()
            ? List.of()
            : JudgeScoring.score(previousVoter(cs.previousJudge()), cs.previousJudge(), ofJudge).rewards();
      }
      List<CandidateReward> current = ofModel(rewards, cs.rewardModel());
      if (!current.isEmpty() || !before.isEmpty()) {
        consistency = measure.measure(promptId, current, before);
      }
    }
    if (consensus == null || (rewards.isEmpty() && preferences.isEmpty())) {
      return new Curated(scored, new CuratedPrompt(promptId, rewards, preferences, consistency, null, null));
    }
    List<CandidateReward> primary = ofModel(rewards, settings.consensus().primary());
    List<PairPreference> votes = new ArrayList<>();
    for (PairPreference p : preferences) {
      if (voters.contains(p.rewardModel())) {
        votes.add(p);
      }
    }
    FilterByConsensus.Decided decided = consensus.decide(promptId, primary, votes, settings.voters());
    PromptConsistency kept = consistency == null ? null : consistency.kept();
    return new Curated(scored, new CuratedPrompt(promptId, rewards, preferences, consistency, decided, pairs.build(decided.kept(), primary, candidates, kept)));
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
