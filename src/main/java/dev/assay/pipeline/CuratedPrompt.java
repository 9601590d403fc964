package dev.assay.pipeline;

import dev.assay.consensus.FilterByConsensus;
import dev.assay.consistency.ConsistencyTally;
import dev.assay.consistency.MeasureConsistency;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.io.KeptRejectedFailed;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import java.util.List;
import java.util.Objects;

/**
 * What the self-rewarding scoring and curation publishes for <b>one prompt</b>: every voter's rewards and
 * preferences, and the consistency, consensus and pair outcomes, typed. It is the element {@link ScoreAndCuratePairs}
 * emits and its sink writes; {@link #emit} is the one mapping of these records to the run's outputs, shared by the
 * sink, the typed views of {@link ScoreAndCuratePairs.Result} and the benchmark's plain loop.
 *
 * <p>Why one element per prompt rather than one collection per output: on Flink's batch runner every record that
 * crosses from one transform to another is serialized once <em>per reader</em> of the collection (a transform's
 * outputs are one stream that each reader decodes whole, and Beam's transforms never share a thread there), so ten
 * outputs read by ten writers cost ten passes over every record (measured: 1M judgments 27 s against 14 s). One
 * collection read by one sink costs one pass.
 *
 * @param promptId the prompt
 * @param rewards every voter's rewards (published)
 * @param preferences every voter's preferences (published)
 * @param consistency the consistency outcome, or null (not configured, or nothing on either side)
 * @param consensus the consensus decision, or null (not configured, or no reward or preference at all)
 * @param pairs the pair, its rejection and the SFT example, or null when consensus did not run or did not keep
 */
public record CuratedPrompt(
    String promptId,
    List<CandidateReward> rewards,
    List<PairPreference> preferences,
    MeasureConsistency.Outcome consistency,
    FilterByConsensus.Decided consensus,
    BuildPreferencePairs.Built pairs) {
  public CuratedPrompt {
    Objects.requireNonNull(promptId, "promptId");
    rewards = List.copyOf(rewards);
    preferences = List.copyOf(preferences);
  }

  /**
   * Hands every record to its output: the rewards and preferences, consistency's and consensus's kept or rejected
   * record or failure, the pair or its rejection, the SFT example.
   */
  public void emit(PromptCuration.Emitter to) {
    rewards.forEach(r -> add(to, ScoreAndCuratePairs.REWARDS, r));
    preferences.forEach(p -> add(to, ScoreAndCuratePairs.PREFERENCES, p));
    if (consistency != null) {
      emit(to, consistency, ScoreAndCuratePairs.CONSISTENCY, ScoreAndCuratePairs.REJECTED_CONSISTENCY);
    }
    if (consensus != null) {
      emit(to, consensus, ScoreAndCuratePairs.CONSENSUS, ScoreAndCuratePairs.REJECTED_CONSENSUS);
    }
    if (pairs != null) {
      if (pairs.pair() != null) {
        add(to, ScoreAndCuratePairs.PAIRS, pairs.pair());
      } else if (pairs.rejected() != null) {
        add(to, ScoreAndCuratePairs.REJECTED_PAIRS, pairs.rejected());
      }
      if (pairs.sft() != null) {
        add(to, ScoreAndCuratePairs.SFT, pairs.sft());
      }
    }
  }

  /** {@code tally} with this prompt's consistency outcome added (unchanged when consistency did not measure it). */
  public ConsistencyTally addTo(ConsistencyTally tally) {
    return consistency == null ? tally : consistency.addTo(tally);
  }

  private static <K, R> void emit(
      PromptCuration.Emitter to, KeptRejectedFailed<K, R> o, ScoreAndCuratePairs.Output<K> kept, ScoreAndCuratePairs.Output<R> rejected) {
    if (o.kept() != null) {
      add(to, kept, o.kept());
    } else if (o.rejected() != null) {
      add(to, rejected, o.rejected());
    } else {
      add(to, ScoreAndCuratePairs.FAILURES, o.failure());
    }
  }

  /** Ties each record's type to its output's where the records are handed out. */
  private static <T> void add(PromptCuration.Emitter to, ScoreAndCuratePairs.Output<T> output, T record) {
    to.add(output, record);
  }
}
