package dev.assay.curation.rationalization;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import dev.assay.grouping.PromptShards;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.PairCandidates;
import dev.assay.run.StageCount;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Self-rationalization: turns a judge's own judgments of items into judge-training data, a {@link PreferencePair} of
 * kind {@code judge} per usable item (chosen: a judgment with the gold label; rejected: the one furthest from it) and
 * the judge SFT set (every distinct judgment with the gold label).
 *
 * <p><b>Input</b>, a {@link PCollectionTuple}: {@link #JUDGMENTS}, the judgments of one judge J_t, N samples per item,
 * every status, absolute or pairwise; {@link #PROMPTS}, the {@link JudgePrompt} of each item; {@link #GOLD}, the
 * {@link GoldLabel}s, in gold mode only. An item is the thing judged, {@link JudgmentLabel#item}: the candidate
 * ({@code Judgment.candidateA()}) of an absolute judgment, the ordered pair {@code candidateA|candidateB} of a pairwise
 * one (each seat order its own item). Gold labels and prompts are keyed by it. The items are those with judgments or
 * (gold mode) a gold label; a prompt alone does not make an item.
 *
 * <p><b>Labels.</b> An absolute judgment's label is its score; a pairwise judgment's its verdict as 1 (A), 0 (tie) or
 * -1 (B) ({@link JudgmentLabel}). Everything below reads "label" for either.
 *
 * <p><b>Gold.</b> In gold mode ({@link #withGold}) the item's gold label. In pseudo-gold mode ({@link #withPseudoGold})
 * the majority label of the item's ok samples under a {@link PseudoGold} rule, by default more than half of them.
 * Only ok samples have labels; the others never count, as right or as wrong.
 *
 * <p><b>A pair</b>: rejected = an ok judgment whose label is furthest from gold, at least {@code minDistance} (default
 * 1) away; chosen = an ok judgment whose label equals gold. Several equally furthest or several right judgments are
 * separated by the {@link TieBreak} (seeded random, or a meta-judge's scores). {@code margin} is the rejected side's
 * distance from gold; {@code chosenScore} and {@code rejectedScore} are the two labels. Texts: the judgment's raw
 * answer; when it has none (imported judgments), {@link #completion} rebuilds it in the answer format of the
 * absolute or pairwise template.
 *
 * <p><b>Judge SFT set</b>: every ok judgment with the gold label, deduplicated by completion text within the item
 * (the smallest judgment id is kept), for every item with a gold, a prompt and at least one right judgment, including
 * items without a pair because all samples agree with gold. SFT example ids are judgment ids.
 *
 * <p><b>Position balance</b> ({@link #balancingPositions}, off unless asked for): a pairwise judge's pairs are then
 * balanced on their chosen verdict, as many chosen "A" as "B" ({@link BalanceVerdictPositions}); a dropped pair's item
 * is rejected with reason {@code position_balance}.
 *
 * <p><b>Output</b>, a {@link PCollectionTuple}: {@link #PAIRS}, {@link #SFT}, and {@link #REJECTED}, one
 * {@link RationalizationRejection} per item without a pair, with the first {@link RationalizationReason} that applies.
 * Accounting per item, stage {@value #STAGE}: {@code in = items = pairs + rejected}; per judgment, stage
 * {@value #SFT_STAGE}: {@code in = judgments = sft + rejected}. Beam counters in namespace
 * {@value StageMetrics#NAMESPACE}: {@code stage.<stage>.in|out|rejected} and {@code stage.<stage>.rejected.<reason>}
 * (SFT reasons: {@code item_rejected}, {@code not_ok}, {@code wrong_score}, {@code duplicate_text}).
 *
 * <p><b>Scale.</b> Items are grouped by a coarse shard of the item id (the direct runner pays per key after a
 * shuffle) and separated inside each shard, whose judgments and prompts are held in memory at once: about (all
 * judgments + prompts) / shards, the shard count being the pipeline's ({@link PromptShards#keys}).
 *
 * <p><b>Failure modes.</b> {@link IllegalArgumentException} at construction for a bad parameter and in
 * {@link #expand} for a missing or unexpected input tag; the run fails with an {@link IllegalArgumentException} for
 * input only a wrongly assembled pipeline contains: one item's judgments from several judges or of both kinds, a
 * judgment given twice, two different prompts for one item. Data problems (no gold, no ok sample, no majority, ...)
 * are rejections, never failures.
 */
public final class BuildRationalizationPairs extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** The stage name of the per-item accounting. */
  public static final String STAGE = "rationalize";

  /** The stage name of the per-judgment accounting of the judge SFT set. */
  public static final String SFT_STAGE = "rationalize.sft";

  /** Input: the judge's judgments (absolute or pairwise). */
  public static final TupleTag<Judgment> JUDGMENTS = new TupleTag<>() {};

  /** Input: one judge prompt per item. */
  public static final TupleTag<JudgePrompt> PROMPTS = new TupleTag<>() {};

  /** Input, gold mode only: the gold labels. */
  public static final TupleTag<GoldLabel> GOLD = new TupleTag<>() {};

  /** Output: judge preference pairs. */
  public static final TupleTag<PreferencePair> PAIRS = new TupleTag<>() {};

  /** Output: the judge SFT set. */
  public static final TupleTag<SftExample> SFT = new TupleTag<>() {};

  /** Output: items without a pair, with reasons. */
  public static final TupleTag<RationalizationRejection> REJECTED = new TupleTag<>() {};

  private final PseudoGold pseudoGold;
  private final TieBreak tieBreak;
  private final String runId;
  private final int iteration;
  private final int minDistance;
  private final Long balanceSeed;

  private BuildRationalizationPairs(
      PseudoGold pseudoGold, TieBreak tieBreak, String runId, int iteration, int minDistance, Long balanceSeed) {
    super("BuildRationalizationPairs");
    this.pseudoGold = pseudoGold;
    this.tieBreak = Objects.requireNonNull(tieBreak, "tieBreak");
    this.runId = Objects.requireNonNull(runId, "runId");
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0: " + iteration);
    }
    if (minDistance < 1) {
      throw new IllegalArgumentException("minDistance must be >= 1 (a rejected judgment must be wrong): " + minDistance);
    }
    this.iteration = iteration;
    this.minDistance = minDistance;
    this.balanceSeed = balanceSeed;
  }

  /** Gold mode: the input carries {@link #GOLD}. */
  public static BuildRationalizationPairs withGold(TieBreak tieBreak, String runId, int iteration) {
    return new BuildRationalizationPairs(null, tieBreak, runId, iteration, 1, null);
  }

  /** Pseudo-gold mode: no {@link #GOLD} input; the majority score under {@code rule} serves as gold. */
  public static BuildRationalizationPairs withPseudoGold(PseudoGold rule, TieBreak tieBreak, String runId, int iteration) {
    return new BuildRationalizationPairs(Objects.requireNonNull(rule, "rule"), tieBreak, runId, iteration, 1, null);
  }

  /** A copy whose rejected side must be at least {@code distance} from gold (default 1). */
  public BuildRationalizationPairs minDistance(int distance) {
    return new BuildRationalizationPairs(pseudoGold, tieBreak, runId, iteration, distance, balanceSeed);
  }

  /**
   * A copy that balances the chosen verdict positions of a pairwise judge's pairs ({@link BalanceVerdictPositions},
   * with {@code seed}); a no-op for an absolute judge's pairs, which have no seat. Off unless asked for.
   */
  public BuildRationalizationPairs balancingPositions(long seed) {
    return new BuildRationalizationPairs(pseudoGold, tieBreak, runId, iteration, minDistance, seed);
  }

  /** {@code gold} or {@code pseudo-gold(majority>0.5)}, for manifests and the dataset card. */
  public String mode() {
    return pseudoGold == null ? "gold" : "pseudo-gold(" + pseudoGold.describe() + ")";
  }

  /**
   * The completion text of a judgment: its raw answer, or, when there is none (imported judgments keep only the
   * rationale and result), the rationale followed by the result line the template asks for, which the judge's parser
   * reads back to the same result: {@code "Feedback: " + rationale + "\n[RESULT] " + score} (absolute template,
   * {@code AbsoluteParser}) or {@code rationale + "\n[RESULT] A|B|tie"} (pairwise template, {@code PairwiseParser}).
   *
   * @throws IllegalArgumentException for a judgment without a score or verdict
   */
  public static String completion(Judgment j) {
    boolean pairwise = j.kind() == JudgmentKind.PAIRWISE;
    if (pairwise ? j.verdict() == null : j.score() == null) {
      throw new IllegalArgumentException("judgment " + j.id() + " has no " + (pairwise ? "verdict" : "score") + " to write");
    }
    if (j.raw() != null) {
      return j.raw();
    }
    String rationale = j.rationale() == null ? "" : j.rationale().strip();
    if (pairwise) {
      return (rationale.isEmpty() ? "" : rationale + "\n") + "[RESULT] " + j.verdict().wire();
    }
    return (rationale.isEmpty() ? "Feedback:" : "Feedback: " + rationale) + "\n[RESULT] " + j.score();
  }

  /** The per-item accounting line of one run's outputs: in = pairs + rejected, with counts per reason. */
  public static StageCount account(long pairs, Iterable<RationalizationRejection> rejected) {
    Map<String, Long> reasons = new TreeMap<>();
    long n = 0;
    for (RationalizationRejection r : rejected) {
      reasons.merge(r.reason().wire(), 1L, Long::sum);
      n++;
    }
    return new StageCount(pairs + n, pairs, n, 0, reasons);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    boolean goldMode = pseudoGold == null;
    requireTag(input, JUDGMENTS, "JUDGMENTS");
    requireTag(input, PROMPTS, "PROMPTS");
    if (goldMode) {
      requireTag(input, GOLD, "GOLD");
    } else if (input.has(GOLD)) {
      throw new IllegalArgumentException("pseudo-gold mode takes no GOLD input; use withGold to train against gold labels");
    }
    Pipeline pipeline = input.getPipeline();
    KeyedPCollectionTuple<Integer> keyed =
        KeyedPCollectionTuple.of(
                ByItem.GROUPED_JUDGMENTS,
                keyByShard(input.get(JUDGMENTS), "KeyJudgments", Judgment.class, PromptShards.keys(pipeline, JudgmentLabel::item)))
            .and(
                ByItem.GROUPED_PROMPTS,
                keyByShard(input.get(PROMPTS), "KeyPrompts", JudgePrompt.class, PromptShards.keys(pipeline, JudgePrompt::itemId)));
    if (goldMode) {
      keyed =
          keyed.and(
              ByItem.GROUPED_GOLD, keyByShard(input.get(GOLD), "KeyGold", GoldLabel.class, PromptShards.keys(pipeline, GoldLabel::itemId)));
    }
    PCollectionTuple out =
        keyed
            .apply("GroupShard", CoGroupByKey.create())
            .apply(
                "PairWithinItem",
                ParDo.of(new ByItem(new RationalizeItem(pseudoGold, tieBreak, minDistance, iteration, runId), goldMode))
                    .withOutputTags(ByItem.BUILT, TupleTagList.of(SFT).and(ByItem.REJECTED_ITEMS)));
    out.get(ByItem.BUILT).setCoder(JsonCoder.of(PositionedPair.class));
    out.get(SFT).setCoder(JsonCoder.of(SftExample.class));
    out.get(ByItem.REJECTED_ITEMS).setCoder(JsonCoder.of(RationalizationRejection.class));
    PCollection<PreferencePair> pairs;
    PCollection<RationalizationRejection> rejected;
    if (balanceSeed == null) {
      pairs =
          out.get(ByItem.BUILT)
              .apply("Pairs", MapElements.into(TypeDescriptor.of(PreferencePair.class)).via(PositionedPair::pair))
              .setCoder(JsonCoder.of(PreferencePair.class));
      rejected = out.get(ByItem.REJECTED_ITEMS);
    } else {
      PCollectionTuple balanced = out.get(ByItem.BUILT).apply(BalanceVerdictPositions.seeded(balanceSeed));
      pairs = balanced.get(BalanceVerdictPositions.KEPT);
      rejected =
          PCollectionList.of(out.get(ByItem.REJECTED_ITEMS))
              .and(balanced.get(BalanceVerdictPositions.DROPPED))
              .apply("AllRejected", Flatten.pCollections())
              .setCoder(JsonCoder.of(RationalizationRejection.class));
    }
    return PCollectionTuple.of(PAIRS, pairs).and(SFT, out.get(SFT)).and(REJECTED, rejected);
  }

  private static void requireTag(PCollectionTuple input, TupleTag<?> tag, String name) {
    if (!input.has(tag)) {
      throw new IllegalArgumentException("BuildRationalizationPairs needs the " + name + " input tag");
    }
  }

  private static <T> PCollection<KV<Integer, T>> keyByShard(
      PCollection<T> values, String name, Class<T> type, SerializableFunction<T, Integer> shard) {
    return values
        .apply(name, WithKeys.of(shard).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), JsonCoder.of(type)));
  }

  /** Separates the items of one shard and decides each. */
  private static final class ByItem extends DoFn<KV<Integer, CoGbkResult>, PositionedPair> {
    // Pairs before the position balance, and the items rejected while deciding them.
    static final TupleTag<PositionedPair> BUILT = new TupleTag<>("built") {};
    static final TupleTag<RationalizationRejection> REJECTED_ITEMS = new TupleTag<>("rejectedItems") {};

    // The CoGroupByKey's own tags, apart from the public input tags, so the join does not depend on how the caller
    // built its tuple.
    static final TupleTag<Judgment> GROUPED_JUDGMENTS = new TupleTag<>("judgments");
    static final TupleTag<JudgePrompt> GROUPED_PROMPTS = new TupleTag<>("prompts");
    static final TupleTag<GoldLabel> GROUPED_GOLD = new TupleTag<>("gold");

    private final RationalizeItem decide;
    private final boolean goldMode;
    private transient StageMetrics items;
    private transient StageMetrics judgments;
    private transient Map<RationalizationReason, Counter> reasons;
    private transient Map<String, Counter> sftReasons;

    ByItem(RationalizeItem decide, boolean goldMode) {
      this.decide = decide;
      this.goldMode = goldMode;
    }

    @Setup
    public void setup() {
      items = new StageMetrics(STAGE, null);
      judgments = new StageMetrics(SFT_STAGE, null);
      reasons = new EnumMap<>(RationalizationReason.class);
      for (RationalizationReason r : RationalizationReason.values()) {
        reasons.put(r, Metrics.counter(StageMetrics.NAMESPACE, StageMetrics.stageCounter(STAGE, "rejected." + r.wire())));
      }
      sftReasons = new HashMap<>();
      for (String r :
          List.of(RationalizeItem.SFT_ITEM_REJECTED, RationalizeItem.SFT_NOT_OK, RationalizeItem.SFT_WRONG_SCORE, RationalizeItem.SFT_DUPLICATE_TEXT)) {
        sftReasons.put(r, Metrics.counter(StageMetrics.NAMESPACE, StageMetrics.stageCounter(SFT_STAGE, "rejected." + r)));
      }
    }

    private record Inputs(List<Judgment> judgments, List<GoldLabel> gold, List<JudgePrompt> prompts) {
      Inputs() {
        this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      }
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> shard, MultiOutputReceiver out) {
      CoGbkResult r = shard.getValue();
      // Sorted by item id, so a shard's output order does not depend on the order the runner delivered its inputs in.
      Map<String, Inputs> byItem = new TreeMap<>();
      for (Judgment j : r.getAll(GROUPED_JUDGMENTS)) {
        byItem.computeIfAbsent(JudgmentLabel.item(j), k -> new Inputs()).judgments().add(j);
      }
      for (JudgePrompt p : r.getAll(GROUPED_PROMPTS)) {
        byItem.computeIfAbsent(p.itemId(), k -> new Inputs()).prompts().add(p);
      }
      if (goldMode) {
        for (GoldLabel g : r.getAll(GROUPED_GOLD)) {
          byItem.computeIfAbsent(g.itemId(), k -> new Inputs()).gold().add(g);
        }
      }
      for (Map.Entry<String, Inputs> e : byItem.entrySet()) {
        Inputs in = e.getValue();
        RationalizeItem.Outcome o = decide.decide(e.getKey(), in.judgments(), in.gold(), in.prompts());
        if (o == null) {
          continue;
        }
        items.in(1);
        judgments.in(in.judgments().size());
        if (o.pair() != null) {
          items.out(1);
          out.get(BUILT).output(o.positioned());
        } else {
          items.rejected(1);
          reasons.get(o.rejection().reason()).inc();
          out.get(REJECTED_ITEMS).output(o.rejection());
        }
        judgments.out(o.sft().size());
        for (SftExample s : o.sft()) {
          out.get(SFT).output(s);
        }
        o.sftDropped().forEach((reason, count) -> {
          judgments.rejected(count);
          sftReasons.get(reason).inc(count);
        });
      }
    }
  }
}
