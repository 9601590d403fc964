package dev.assay.curation.filters;

import dev.assay.generation.Prompt;
import dev.assay.io.JsonCoder;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Removes exact and near-duplicate prompts: {@code PCollection<Prompt>} to a tuple of {@link #KEPT} prompts and
 * {@link #REMOVED} records (reason {@code duplicate_exact} or {@code duplicate_near}, naming the kept twin).
 *
 * <p>Duplicates can sit anywhere in the input, so every prompt is brought to one key and {@link Deduplicator} runs
 * over them in one worker, in id order: the result does not depend on the runner's sharding or arrival order. One
 * key is also what the direct runner handles best (it pays per key). Memory bound: all prompts of the run in one
 * worker plus about 2 KB per kept prompt (see {@link Deduplicator}). Counters: stage {@value Deduplicator#STAGE},
 * {@code in = out + rejected}. Fails the pipeline when two prompts share an id.
 */
public final class DedupePrompts extends PTransform<PCollection<Prompt>, PCollectionTuple> {
  public static final TupleTag<Prompt> KEPT = new TupleTag<>() {};
  public static final TupleTag<RemovedPrompt> REMOVED = new TupleTag<>() {};
  private final DedupeSpec config;

  private DedupePrompts(DedupeSpec config) {
    super("DedupePrompts");
    this.config = Objects.requireNonNull(config);
  }

  public static DedupePrompts with(DedupeSpec config) {
    return new DedupePrompts(config);
  }

  @Override
  public PCollectionTuple expand(PCollection<Prompt> prompts) {
    PCollectionTuple out =
        prompts
            .apply("KeyAll", WithKeys.<String, Prompt>of("all"))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Prompt.class)))
            .apply("GatherAll", GroupByKey.create())
            .apply("Dedupe", ParDo.of(new DedupeFn(config)).withOutputTags(KEPT, TupleTagList.of(REMOVED)));
    out.get(KEPT).setCoder(JsonCoder.of(Prompt.class));
    out.get(REMOVED).setCoder(JsonCoder.of(RemovedPrompt.class));
    return out;
  }

  static final class DedupeFn extends DoFn<KV<String, Iterable<Prompt>>, Prompt> {
    private final DedupeSpec config;
    private transient StageMetrics metrics;

    DedupeFn(DedupeSpec config) {
      this.config = config;
    }

    @Setup
    public void setup() {
      metrics = new StageMetrics(Deduplicator.STAGE, null);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Prompt>> group, MultiOutputReceiver out) {
      List<Prompt> prompts = new ArrayList<>();
      group.getValue().forEach(prompts::add);
      FilterResult<Prompt> result = Deduplicator.with(config).apply(prompts, Prompt::id, Prompt::text);
      metrics.in(prompts.size());
      metrics.out(result.kept().size());
      metrics.rejected(result.removed().size());
      result.kept().forEach(p -> out.get(KEPT).output(p));
      result.removed().forEach(r -> out.get(REMOVED).output(r));
    }
  }
}
