package dev.assay.bench;

import dev.assay.consensus.ConsensusSpec;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.pipeline.ScoreAndCuratePairs;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.run.RunDirectory;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed configuration of the self-rewarding scoring and curation (ScoreAndCuratePairs) that {@code assay bench cpu} runs, shared by the pipeline
 * modes and the plain loop so that both compute the same thing: three {@code judge} reward models (one per
 * synthetic judge), CREAM consistency of the first against the previous iteration's rewards in filter mode,
 * consensus of all three (k = 2, c = 0.6), and pairs with the reward-hacking guard, length control and an SFT set.
 */
final class BenchRecipe {
  private BenchRecipe() {}

  /** The synthetic judges whose absolute judgments the data holds. */
  static final List<String> JUDGES = List.of("judge-a", "judge-b", "judge-c");

  /** The reward model (voter) that reads {@code judge}'s judgments. */
  static String voter(String judge) {
    return "rm-" + judge;
  }

  static final String PRIMARY = voter(JUDGES.get(0));
  static final ConsistencySpec CONSISTENCY = new ConsistencySpec(PRIMARY, "previous", null, ConsistencySpec.FILTER, 0.5, false);
  static final ConsensusSpec CONSENSUS = new ConsensusSpec(2, 0.6, 0.0, PRIMARY, null);
  static final PairSpec PAIRS = new PairSpec(2.0, true, 4.0);
  static final String RUN_ID = "bench-cpu";
  static final int ITERATION = 1;

  /** Input files in the data folder. */
  static final String JUDGMENTS = "judgments.jsonl";
  static final String CANDIDATES = "candidates.jsonl";
  static final String PREVIOUS_REWARDS = "previous-rewards.jsonl";

  /** The curation's settings for this recipe: the three judge voters, all of them consensus voters. */
  static ScoreAndCuratePairs.Settings settings() {
    List<RewardModelSpec.Judge> voters = new ArrayList<>();
    for (String judge : JUDGES) {
      voters.add(new RewardModelSpec.Judge(voter(judge), judge));
    }
    return new ScoreAndCuratePairs.Settings(
        voters, voters.stream().map(RewardModelSpec.Judge::name).toList(), CONSISTENCY, CONSENSUS, PAIRS, RUN_ID, ITERATION);
  }

  /** What a run publishes, as {@code SelfRewardingStage} publishes it, plus the failures of the curation. */
  static final List<RunDirectory.Publication> OUTPUTS = outputs();

  private static List<RunDirectory.Publication> outputs() {
    List<RunDirectory.Publication> out = new ArrayList<>(ScoreAndCuratePairs.publications(true, true));
    out.add(new RunDirectory.Publication(FAILURES, "failures", "failures.jsonl"));
    return List.copyOf(out);
  }

  /** The shard name of the curation's failures. */
  static final String FAILURES = "failures";
}
