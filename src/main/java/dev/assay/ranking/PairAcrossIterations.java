package dev.assay.ranking;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.grouping.PromptShards;
import dev.assay.io.JsonCoder;
import dev.assay.judging.JudgeItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The ranking step's items: for every prompt both iterations answered, this policy's i-th response against the
 * previous policy's i-th response (by sample index, up to the smaller K), in both seat orders. Input: this iteration's
 * candidates; the previous iteration's come with the constructor. Candidates keep their ids behind a
 * {@link RankingSide} prefix.
 *
 * <p>Grouped by a shard of the prompt id, as {@code PairCandidates} is, so few keys cross the shuffle; a shard holds its
 * share of both iterations' candidates in memory. A prompt only one iteration answered gives no item (the prompt
 * filters of the two runs may have kept different prompts): {@link #items} says how many items there will be.
 */
public final class PairAcrossIterations extends PTransform<PCollection<Candidate>, PCollection<JudgeItem>> {
  private final PCollection<Candidate> previous;
  private final int shards;

  private PairAcrossIterations(PCollection<Candidate> previous, int shards) {
    super("PairAcrossIterations");
    PromptShards.requireCount(shards);
    this.previous = previous;
    this.shards = shards;
  }

  public static PairAcrossIterations against(PCollection<Candidate> previous, int shards) {
    return new PairAcrossIterations(previous, shards);
  }

  /** Items for a prompt with {@code current} and {@code previous} responses: both orders of min(current, previous) pairs. */
  public static long items(long current, long previous) {
    return 2 * Math.min(current, previous);
  }

  @Override
  public PCollection<JudgeItem> expand(PCollection<Candidate> current) {
    int n = shards;
    PCollection<Candidate> marked =
        PCollectionList.of(mark(current, RankingSide.CURRENT)).and(mark(previous, RankingSide.PREVIOUS))
            .apply("BothIterations", Flatten.pCollections());
    return marked
        .apply("KeyByShard", WithKeys.of((Candidate c) -> PromptShards.of(c.promptId(), n)).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), CandidateCoder.of()))
        .apply("GroupShard", GroupByKey.create())
        .apply("PairAcross", ParDo.of(new PairFn()))
        .setCoder(JsonCoder.of(JudgeItem.class));
  }

  private static PCollection<Candidate> mark(PCollection<Candidate> candidates, RankingSide side) {
    return candidates
        .apply("Mark-" + side.name().toLowerCase(java.util.Locale.ROOT), MapElements.into(TypeDescriptor.of(Candidate.class)).via(side::mark))
        .setCoder(CandidateCoder.of());
  }

  /** The pairs of one prompt; public so the driver's count and tests use the same rule. */
  public static List<JudgeItem> pairs(List<Candidate> current, List<Candidate> previous) {
    List<Candidate> c = sorted(current);
    List<Candidate> p = sorted(previous);
    List<JudgeItem> out = new ArrayList<>();
    for (int i = 0; i < Math.min(c.size(), p.size()); i++) {
      out.add(new JudgeItem(c.get(i), p.get(i)));
      out.add(new JudgeItem(p.get(i), c.get(i)));
    }
    return out;
  }

  private static List<Candidate> sorted(List<Candidate> candidates) {
    List<Candidate> out = new ArrayList<>(candidates);
    out.sort(Comparator.comparingInt(Candidate::sample).thenComparing(Candidate::id));
    return out;
  }

  private static final class PairFn extends DoFn<KV<Integer, Iterable<Candidate>>, JudgeItem> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Candidate>> shard, OutputReceiver<JudgeItem> out) {
      Map<String, List<Candidate>> current = new TreeMap<>();
      Map<String, List<Candidate>> previous = new TreeMap<>();
      for (Candidate c : shard.getValue()) {
        (RankingSide.of(c.id()) == RankingSide.CURRENT ? current : previous).computeIfAbsent(c.promptId(), k -> new ArrayList<>()).add(c);
      }
      for (var e : current.entrySet()) {
        pairs(e.getValue(), previous.getOrDefault(e.getKey(), List.of())).forEach(out::output);
      }
    }
  }
}
