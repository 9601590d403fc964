package dev.assay.curation.filters;

import dev.assay.generation.Prompt;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.run.StageMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Removes prompts that share a word n-gram with a user-given evaluation set: {@code PCollection<Prompt>} to a tuple
 * of {@link #KEPT} prompts and {@link #REMOVED} records (reason {@code contaminated}, with the evaluation file and
 * the overlapping words).
 *
 * <p>Each prompt is checked on its own, so this runs on any shard with no shuffle. Every DoFn instance builds the
 * {@link EvalOverlapIndex} in {@code @Setup} from the evaluation files, which must therefore be readable from every
 * worker (local paths on the direct runner and embedded Flink). The factory also loads them once on the driver, so
 * a missing or malformed evaluation file fails before the pipeline starts ({@link dev.assay.io.InputException}).
 * Memory bound: one index per DoFn instance (see {@link EvalOverlapIndex}). Counters: stage
 * {@value EvalOverlapIndex#STAGE}, {@code in = out + rejected}.
 */
public final class DecontaminatePrompts extends PTransform<PCollection<Prompt>, PCollectionTuple> {
  public static final TupleTag<Prompt> KEPT = new TupleTag<>() {};
  public static final TupleTag<RemovedPrompt> REMOVED = new TupleTag<>() {};
  private final List<String> evalFiles;
  private final DecontaminationSpec config;

  private DecontaminatePrompts(List<String> evalFiles, DecontaminationSpec config) {
    super("DecontaminatePrompts");
    this.evalFiles = List.copyOf(evalFiles);
    this.config = Objects.requireNonNull(config);
  }

  /** Checks the evaluation files now (on the driver) and returns the transform. */
  public static DecontaminatePrompts against(List<Path> evalFiles, DecontaminationSpec config) {
    EvalOverlapIndex.load(evalFiles, config);
    return new DecontaminatePrompts(evalFiles.stream().map(Path::toString).toList(), config);
  }

  @Override
  public PCollectionTuple expand(PCollection<Prompt> prompts) {
    PCollectionTuple out =
        prompts.apply(
            "CheckOverlap",
            ParDo.of(new DecontaminateFn(evalFiles, config)).withOutputTags(KEPT, TupleTagList.of(REMOVED)));
    out.get(KEPT).setCoder(JsonCoder.of(Prompt.class));
    out.get(REMOVED).setCoder(JsonCoder.of(RemovedPrompt.class));
    return out;
  }

  static final class DecontaminateFn extends DoFn<Prompt, Prompt> {
    private final List<String> evalFiles;
    private final DecontaminationSpec config;
    private transient EvalOverlapIndex index;
    private transient StageMetrics metrics;

    DecontaminateFn(List<String> evalFiles, DecontaminationSpec config) {
      this.evalFiles = evalFiles;
      this.config = config;
    }

    @Setup
    public void setup() {
      index = EvalOverlapIndex.load(evalFiles.stream().map(Path::of).toList(), config);
      metrics = new StageMetrics(EvalOverlapIndex.STAGE, null);
    }

    @ProcessElement
    public void process(@Element Prompt prompt, MultiOutputReceiver out) {
      metrics.in(1);
      Optional<EvalOverlapIndex.Overlap> hit = index.find(prompt.text());
      if (hit.isPresent()) {
        metrics.rejected(1);
        out.get(REMOVED)
            .output(
                RemovedPrompt.contaminated(
                    EvalOverlapIndex.STAGE, prompt.id(), Json.line(prompt), hit.get().evalFile(), hit.get().ngram()));
      } else {
        metrics.out(1);
        out.get(KEPT).output(prompt);
      }
    }
  }
}
