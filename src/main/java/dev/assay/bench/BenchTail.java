package dev.assay.bench;

import dev.assay.consensus.ConsensusSpec;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.curation.PairSpec;
import java.util.List;

/**
 * The fixed configuration of the self-rewarding tail that {@code assay bench cpu} runs, shared by the pipeline
 * modes and the plain loop so that both compute the same thing: three {@code judge} reward models (one per
 * synthetic judge), CREAM consistency of the first against the previous iteration's rewards in filter mode,
 * consensus of all three (k = 2, c = 0.6), and pairs with the reward-hacking guard, length control and an SFT set.
 */
final class BenchTail {
  private BenchTail() {}

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

  /** One published output: the shard name the pipeline writes under and the file it is published to. */
  record Output(String name, String folder, String file) {
    String path() {
      return folder + "/" + file;
    }
  }

  /** What a run publishes, as {@code SelfRewardingStage.publish} names it, plus the failures of the tail. */
  static final List<Output> OUTPUTS =
      List.of(
          new Output("rewards", "rewards", "rewards.jsonl"),
          new Output("preferences", "rewards", "preferences.jsonl"),
          new Output("consistency", "consistency", "consistency.jsonl"),
          new Output("rejected-consistency", "rejected", "consistency.jsonl"),
          new Output("consistency-summary", "consistency", "summary.json"),
          new Output("consensus", "pairs", "consensus.jsonl"),
          new Output("rejected-consensus", "rejected", "consensus.jsonl"),
          new Output("pairs", "pairs", "pairs.jsonl"),
          new Output("sft", "sft", "sft.jsonl"),
          new Output("rejected-pairs", "rejected", "pairs.jsonl"),
          new Output("failures", "failures", "failures.jsonl"));
}
