package dev.assay.curation.rationalization;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Verdict;
import dev.assay.run.Seeds;
import dev.assay.run.StageMetrics;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Balances the chosen verdict positions of a pairwise judge's pairs, as the Self-Taught Evaluators recipe does: as many
 * pairs whose chosen judgment says "A is better" as "B is better", so the trained judge does not learn a seat.
 *
 * <p><b>The rule</b> ({@link #plan}): count the pairs whose chosen verdict is A and those whose chosen verdict is B;
 * from the larger side drop {@code |A - B|} pairs, those with the smallest {@code Seeds.derive(seed,
 * "rationalize.balance", pairId)} (then the smaller id), so the choice is reproducible for a seed and independent of
 * the order the runner delivers pairs in. Pairs whose chosen verdict is a tie, and an absolute judge's pairs (no
 * seat), are never dropped and do not count. Seats are not swapped instead of dropping: a rationale names the
 * responses by seat ("Response A ..."), so a swapped text would need its rationale rewritten, which nothing here can
 * do faithfully; a judge run in both orders already contributes each pair in both seat orders.
 *
 * <p><b>Output</b>: {@link #KEPT} pairs and {@link #DROPPED}, one {@link RationalizationRejection} with reason
 * {@code position_balance} per dropped pair (its item then counts as rejected in stage {@value
 * BuildRationalizationPairs#STAGE}: the item's {@code out} counter goes down, {@code rejected} and {@code
 * rejected.position_balance} up, so {@code in = out + rejected} still holds).
 *
 * <p><b>Scale.</b> The plan holds one (pair id, verdict) per pair of the larger side in one worker's memory, and the
 * dropped ids travel to every worker as a side input: some tens of bytes per pair, fine up to millions of judge pairs.
 *
 * <p>Failure modes: none of its own; a pair id given twice fails the run with an {@link IllegalArgumentException}
 * (pair ids are unique by construction).
 */
public final class BalanceVerdictPositions extends PTransform<PCollection<PositionedPair>, PCollectionTuple> {
  /** Output: the pairs kept. */
  public static final TupleTag<PreferencePair> KEPT = new TupleTag<>() {};

  /** Output: the pairs dropped, as rejections with reason {@code position_balance}. */
  public static final TupleTag<RationalizationRejection> DROPPED = new TupleTag<>() {};

  private final long seed;

  private BalanceVerdictPositions(long seed) {
    super("BalanceVerdictPositions");
    this.seed = seed;
  }

  /** Balances with the given seed (the run's). */
  public static BalanceVerdictPositions seeded(long seed) {
    return new BalanceVerdictPositions(seed);
  }

  /**
   * What the rule decides for a set of pairs.
   *
   * @param chosenA pairs whose chosen verdict is A, before
   * @param chosenB pairs whose chosen verdict is B, before
   * @param dropped the ids of the pairs to drop, sorted, all of the larger side, {@code |chosenA - chosenB|} of them
   * @param droppedSide A or B, the side they come from; null when nothing is dropped
   */
  public record Plan(long chosenA, long chosenB, List<String> dropped, Verdict droppedSide) implements Serializable {
    public Plan {
      dropped = List.copyOf(dropped);
    }

    /** The detail written on each dropped pair's rejection. */
    public String detail(long seed) {
      return "chosen verdicts A " + chosenA + ", B " + chosenB + ": " + dropped.size() + " of the " + droppedSide
          + " side dropped (seeded " + seed + ") to keep " + Math.min(chosenA, chosenB) + " of each";
    }
  }

  /**
   * The rule on plain values: which pairs to drop.
   *
   * @param chosenVerdictByPairId each pair's chosen verdict (tie entries are ignored)
   */
  public static Plan plan(Map<String, Verdict> chosenVerdictByPairId, long seed) {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    chosenVerdictByPairId.forEach((id, v) -> {
      if (v == Verdict.A) {
        a.add(id);
      } else if (v == Verdict.B) {
        b.add(id);
      }
    });
    List<String> larger = a.size() >= b.size() ? a : b;
    int excess = Math.abs(a.size() - b.size());
    List<String> dropped =
        larger.stream()
            .sorted(Comparator.comparingLong((String id) -> Seeds.derive(seed, "rationalize.balance", id)).thenComparing(id -> id))
            .limit(excess)
            .sorted()
            .toList();
    return new Plan(a.size(), b.size(), dropped, excess == 0 ? null : larger == a ? Verdict.A : Verdict.B);
  }

  @Override
  public PCollectionTuple expand(PCollection<PositionedPair> built) {
    long s = seed;
    PCollectionView<Map<String, String>> drops =
        built
            .apply("SeatsOnly", ParDo.of(new SeatFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Verdict.class))))
            .apply("AllSeats", GroupByKey.create())
            .apply("Plan", ParDo.of(new PlanFn(s)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply("Drops", View.asMap());
    PCollectionTuple out =
        built.apply("Route", ParDo.of(new RouteFn(drops)).withSideInputs(drops).withOutputTags(KEPT, TupleTagList.of(DROPPED)));
    out.get(KEPT).setCoder(JsonCoder.of(PreferencePair.class));
    out.get(DROPPED).setCoder(JsonCoder.of(RationalizationRejection.class));
    return out;
  }

  /** One key for all: the rule needs every seated pair's verdict at once. Only (id, verdict) travels. */
  private static final class SeatFn extends DoFn<PositionedPair, KV<Integer, KV<String, Verdict>>> {
    @ProcessElement
    public void process(@Element PositionedPair p, OutputReceiver<KV<Integer, KV<String, Verdict>>> out) {
      if (p.chosenVerdict() == Verdict.A || p.chosenVerdict() == Verdict.B) {
        out.output(KV.of(0, KV.of(p.pair().id(), p.chosenVerdict())));
      }
    }
  }

  private static final class PlanFn extends DoFn<KV<Integer, Iterable<KV<String, Verdict>>>, KV<String, String>> {
    private final long seed;

    PlanFn(long seed) {
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, Verdict>>> all, OutputReceiver<KV<String, String>> out) {
      Map<String, Verdict> seats = new TreeMap<>();
      for (KV<String, Verdict> kv : all.getValue()) {
        if (seats.put(kv.getKey(), kv.getValue()) != null) {
          throw new IllegalArgumentException("judge pair " + kv.getKey() + " was given twice");
        }
      }
      Plan plan = plan(seats, seed);
      String detail = plan.detail(seed);
      for (String id : plan.dropped()) {
        out.output(KV.of(id, detail));
      }
    }
  }

  private static final class RouteFn extends DoFn<PositionedPair, PreferencePair> {
    private final PCollectionView<Map<String, String>> drops;
    private transient Counter out;
    private transient Counter rejected;
    private transient Counter byReason;

    RouteFn(PCollectionView<Map<String, String>> drops) {
      this.drops = Objects.requireNonNull(drops, "drops");
    }

    @Setup
    public void setup() {
      String stage = BuildRationalizationPairs.STAGE;
      out = Metrics.counter(StageMetrics.NAMESPACE, StageMetrics.stageCounter(stage, "out"));
      rejected = Metrics.counter(StageMetrics.NAMESPACE, StageMetrics.stageCounter(stage, "rejected"));
      byReason =
          Metrics.counter(StageMetrics.NAMESPACE, StageMetrics.stageCounter(stage, "rejected." + RationalizationReason.POSITION_BALANCE.wire()));
    }

    @ProcessElement
    public void process(ProcessContext c) {
      PositionedPair p = c.element();
      String detail = c.sideInput(drops).get(p.pair().id());
      if (detail == null) {
        c.output(p.pair());
        return;
      }
      // The item was counted out when its pair was built; it leaves as a rejection instead.
      out.dec();
      rejected.inc();
      byReason.inc();
      c.output(DROPPED, p.ifDropped().because(RationalizationReason.POSITION_BALANCE, detail));
    }
  }
}
