package dev.assay.judging;

import dev.assay.grouping.GroupIntoPromptShards;
import dev.assay.generation.Candidate;
import dev.assay.io.JsonCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Every ordered pair of distinct candidates of the same prompt, both orders ({@code K(K-1)} per prompt), for pairwise
 * judging with a swap.
 *
 * <p>Candidates are grouped by a shard of the prompt-id hash, not by prompt: the direct runner pays per key after a
 * GroupByKey, so few keys cross the shuffle ({@link GroupIntoPromptShards}) and prompts are separated inside each shard. A shard holds its share of
 * candidates in memory, which bounds how many candidates one worker pairs at once to (all / shards).
 */
public final class PairCandidates extends PTransform<PCollection<Candidate>, PCollection<JudgeItem>> {
  private final boolean bothOrders;

  private PairCandidates(boolean bothOrders) {
    super("PairCandidates");
    this.bothOrders = bothOrders;
  }

  /** Both orders of every pair. */
  public static PairCandidates bothOrders() {
    return new PairCandidates(true);
  }

  /**
   * Each unordered pair once, the candidate with the smaller id first: for sets whose judgments exist in one order
   * only (PandaLM published its judges' verdicts with response1 shown first), where the swapped order would be a
   * request nobody can answer or compare.
   */
  public PairCandidates inOneOrder() {
    return new PairCandidates(false);
  }

  @Override
  public PCollection<JudgeItem> expand(PCollection<Candidate> candidates) {
    return candidates
        .apply(GroupIntoPromptShards.of(Candidate::promptId))
        .apply("PairWithinPrompt", ParDo.of(new PairFn(bothOrders)))
        .setCoder(JsonCoder.of(JudgeItem.class));
  }

  private static final class PairFn extends DoFn<KV<Integer, Iterable<Candidate>>, JudgeItem> {
    private final boolean bothOrders;

    PairFn(boolean bothOrders) {
      this.bothOrders = bothOrders;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Candidate>> shard, OutputReceiver<JudgeItem> out) {
      Map<String, List<Candidate>> byPrompt = new TreeMap<>();
      for (Candidate c : shard.getValue()) {
        byPrompt.computeIfAbsent(c.promptId(), k -> new ArrayList<>()).add(c);
      }
      for (List<Candidate> group : byPrompt.values()) {
        group.sort(Comparator.comparing(Candidate::id));
        for (int i = 0; i < group.size(); i++) {
          for (int j = 0; j < group.size(); j++) {
            if (i != j && (bothOrders || i < j)) {
              out.output(new JudgeItem(group.get(i), group.get(j)));
            }
          }
        }
      }
    }
  }
}
