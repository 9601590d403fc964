package dev.assay.rewards;

import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import dev.assay.grouping.ForwardingOutput;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What every reward model (voter) produces: one {@link CandidateReward} per candidate it saw ({@link #rewards()}) and
 * one {@link PairPreference} per unordered pair of candidates of a prompt it could compare ({@link #preferences()}),
 * each tagged with the voter's name. Some voters add outputs of their own under their public tags (for example
 * {@code judge.ScoreWithJudge.SCORE_STATS}, {@code pairwise.ScoreWithPairwiseJudge.FLIP_RATES}); read them with
 * {@link #get}.
 *
 * <p>A thin typed view of a {@link PCollectionTuple} that holds at least {@link #REWARDS} and {@link #PREFERENCES}.
 * Another engineer's voter (e.g. {@code implicit}) builds one with {@link #of(PCollectionTuple)} or
 * {@link #of(PCollection, PCollection)}. Failure mode: {@link IllegalArgumentException} when a required tag is missing
 * (a programming mistake in the voter), or when {@link #get} asks for a tag this voter does not produce.
 */
public final class RewardModelOutput extends ForwardingOutput {
  /** Per-candidate rewards. */
  public static final TupleTag<CandidateReward> REWARDS = new TupleTag<>("rewards") {};

  /** Per-pair preferences (each unordered pair once, first < second by id). */
  public static final TupleTag<PairPreference> PREFERENCES = new TupleTag<>("preferences") {};

  private final PCollectionTuple tuple;

  private RewardModelOutput(PCollectionTuple tuple) {
    super(tuple);
    this.tuple = tuple;
    if (!tuple.has(REWARDS) || !tuple.has(PREFERENCES)) {
      throw new IllegalArgumentException("a reward model's output needs both REWARDS and PREFERENCES: " + tuple.getAll().keySet());
    }
  }

  /** Wraps a tuple that holds {@link #REWARDS} and {@link #PREFERENCES} (and possibly the voter's own extras). */
  public static RewardModelOutput of(PCollectionTuple tuple) {
    return new RewardModelOutput(tuple);
  }

  /** Wraps the two required outputs. */
  public static RewardModelOutput of(PCollection<CandidateReward> rewards, PCollection<PairPreference> preferences) {
    return new RewardModelOutput(PCollectionTuple.of(REWARDS, rewards).and(PREFERENCES, preferences));
  }

  public PCollection<CandidateReward> rewards() {
    return tuple.get(REWARDS);
  }

  public PCollection<PairPreference> preferences() {
    return tuple.get(PREFERENCES);
  }

  /** Whether this voter produced the extra output {@code tag}. */
  public boolean has(TupleTag<?> tag) {
    return tuple.has(tag);
  }

  /** A voter-specific extra output, e.g. {@code judge.ScoreWithJudge.SCORE_STATS}. */
  public <T> PCollection<T> get(TupleTag<T> tag) {
    if (!tuple.has(tag)) {
      throw new IllegalArgumentException("this reward model has no output " + tag.getId());
    }
    return tuple.get(tag);
  }

  /** The underlying tuple, for code that works with tags. */
  public PCollectionTuple tuple() {
    return tuple;
  }
}
