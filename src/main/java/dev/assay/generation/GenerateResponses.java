package dev.assay.generation;

import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.ledger.ChatOutcome;
import dev.assay.ledger.LedgeredCallFn;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.run.Seeds;
import dev.assay.run.StageMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Generates K responses per prompt from one policy endpoint: {@code PCollection<Prompt>} to a tuple of
 * {@link #CANDIDATES} and {@link #FAILURES}.
 *
 * <p>Each sample is its own request ({@code n = 1}) with a seed derived from (run seed, prompt id, sample index), so
 * any one sample can be replayed from the ledger or re-sent alone. Requests run asynchronously: a DoFn instance keeps
 * many in flight and the endpoint's client bounds them JVM-wide. A call that fails after retries becomes a
 * {@link Failure} (stage {@code generate}); nothing is dropped. Counts: {@code in = prompts x K = candidates +
 * failures}.
 */
public final class GenerateResponses extends PTransform<PCollection<Prompt>, PCollectionTuple> {
  public static final String STAGE = "generate";
  public static final TupleTag<Candidate> CANDIDATES = new TupleTag<>() {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final String endpointName;
  private final String model;
  private final GenerationSpec spec;
  private final long seed;
  private final String ledgerDir;
  private final BackendProvider backend;

  private GenerateResponses(
      String endpointName, String model, GenerationSpec spec, long seed, String ledgerDir, BackendProvider backend) {
    super("GenerateResponses");
    this.endpointName = Objects.requireNonNull(endpointName);
    this.model = Objects.requireNonNull(model);
    this.spec = Objects.requireNonNull(spec);
    this.seed = seed;
    this.ledgerDir = Objects.requireNonNull(ledgerDir);
    this.backend = Objects.requireNonNull(backend);
  }

  /**
   * @param endpointName the endpoint's name in the recipe (metrics are counted under it)
   * @param model the served model name
   * @param ledgerDir the run's {@code ledger/} folder
   */
  public static GenerateResponses using(
      String endpointName, String model, GenerationSpec spec, long seed, Path ledgerDir, BackendProvider backend) {
    return new GenerateResponses(endpointName, model, spec, seed, ledgerDir.toString(), backend);
  }

  @Override
  public PCollectionTuple expand(PCollection<Prompt> prompts) {
    PCollectionTuple out =
        prompts.apply(
            "CallPolicy",
            ParDo.of(new GenerateFn(this)).withOutputTags(CANDIDATES, TupleTagList.of(FAILURES)));
    out.get(CANDIDATES).setCoder(CandidateCoder.of());
    out.get(FAILURES).setCoder(JsonCoder.of(Failure.class));
    return out;
  }

  /** The request for one sample; public so tools and tests can compute ledger keys the same way. */
  public static ChatRequest request(Prompt prompt, String model, GenerationSpec spec, long seed, int sample) {
    List<ChatMessage> messages = new ArrayList<>();
    if (spec.system() != null && !spec.system().isBlank()) {
      messages.add(ChatMessage.system(spec.system()));
    }
    messages.add(ChatMessage.user(prompt.text()));
    long sampleSeed = Seeds.derive(seed, STAGE, prompt.id(), Integer.toString(sample));
    return new ChatRequest(model, messages, spec.temperature(), spec.topP(), spec.maxTokens(), 1, sampleSeed);
  }

  private record Pending(Prompt prompt, int sample, ChatOutcome outcome) {}

  private static final class GenerateFn extends LedgeredCallFn<Prompt, Candidate, Pending> {
    private final String endpointName;
    private final String model;
    private final GenerationSpec spec;
    private final long seed;
    private transient StageMetrics metrics;

    GenerateFn(GenerateResponses t) {
      super(t.backend, t.ledgerDir, CANDIDATES, FAILURES);
      this.endpointName = t.endpointName;
      this.model = t.model;
      this.spec = t.spec;
      this.seed = t.seed;
    }

    @Override
    protected void setUp() {
      metrics = new StageMetrics(STAGE, endpointName);
    }

    @Override
    protected void retried(long n) {
      metrics.retried(n);
    }

    @Override
    protected void start(Prompt prompt, java.util.function.Consumer<java.util.concurrent.CompletableFuture<Pending>> track) {
      for (int sample = 0; sample < spec.k(); sample++) {
        int s = sample;
        ChatRequest request = request(prompt, model, spec, seed, s);
        metrics.in(1);
        track.accept(chat().call(request, "", s).thenApply(o -> new Pending(prompt, s, o)));
      }
    }

    @Override
    protected void emit(
        Pending p,
        java.util.function.Consumer<Candidate> candidates,
        java.util.function.Consumer<Failure> failures) {
      ChatOutcome o = p.outcome();
      metrics.call(o);
      String id = Candidate.idFor(p.prompt().id(), model, p.sample());
      if (!o.ok()) {
        metrics.failed(1);
        failures.accept(
            new Failure(
                STAGE,
                id,
                Json.line(p.prompt()),
                o.error().getClass().getSimpleName(),
                o.error().getMessage(),
                o.error().attempts()));
        return;
      }
      var choice = o.response().choices().isEmpty() ? null : o.response().choices().get(0);
      if (choice == null) {
        metrics.failed(1);
        failures.accept(new Failure(STAGE, id, Json.line(p.prompt()), "EmptyResponse", "the server returned no choices", 1));
        return;
      }
      metrics.out(1);
      candidates.accept(
          new Candidate(
              id,
              p.prompt().id(),
              p.prompt().text(),
              p.prompt().reference(),
              choice.content(),
              // What the server says wrote it; the client refused any model but the requested one or its aliases.
              o.response().model(),
              p.sample(),
              choice.finishReason(),
              o.key()));
    }
  }
}
