package dev.assay.ledger;

import dev.assay.io.Failure;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.LlmBackend;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The life cycle every model-calling DoFn shares: a lease on the endpoint's shared client from {@code @Setup} to
 * {@code @Teardown}, the ledger in front of it, and many calls in flight per bundle whose results are emitted from
 * Beam's own callbacks ({@code processElement} for those done, {@code finishBundle} for the rest), never from an HTTP
 * thread.
 *
 * <p>Subclasses say which calls an element needs ({@link #start}) and what a finished call yields ({@link #emit}):
 * one main output or a {@link Failure}. Outputs emitted in {@code finishBundle} go to the global window, which is
 * the only windowing Assay's batch pipelines use.
 *
 * @param <InT> the element type
 * @param <OutT> the main output type
 * @param <P> what a finished call carries to {@link #emit}
 */
public abstract class LedgeredCallFn<InT, OutT, P> extends DoFn<InT, OutT> {
  private final BackendProvider provider;
  private final String ledgerDir;
  private final TupleTag<OutT> mainTag;
  private final TupleTag<Failure> failureTag;
  private transient LlmBackend backend;
  private transient LedgeredChat chat;
  private transient InFlight<P> inFlight;

  protected LedgeredCallFn(BackendProvider provider, String ledgerDir, TupleTag<OutT> mainTag, TupleTag<Failure> failureTag) {
    this.provider = provider;
    this.ledgerDir = ledgerDir;
    this.mainTag = mainTag;
    this.failureTag = failureTag;
  }

  /** The ledgered client, available from {@code @Setup} on. */
  protected final LedgeredChat chat() {
    return chat;
  }

  /** The backend itself, for calls the chat wrapper does not cover (e.g. completions). */
  protected final LlmBackend backend() {
    return backend;
  }

  /** The ledger folder, for subclasses that open other ledgered clients. */
  protected final Path ledgerDir() {
    return Path.of(ledgerDir);
  }

  /** Called at the end of {@code @Setup}: create counters and other per-instance state here. */
  protected abstract void setUp();

  /** Starts the calls {@code element} needs, handing each future to {@code track}. */
  protected abstract void start(InT element, Consumer<CompletableFuture<P>> track);

  /**
   * Counts {@code n} HTTP retries of the backend (a Beam counter, so they add up across workers); called after every
   * bundle with what the backend's shared client retried since anyone last asked.
   */
  protected abstract void retried(long n);

  /** Emits what one finished call yields: a main output or a failure (or both, where a record keeps the status). */
  protected abstract void emit(P finished, Consumer<OutT> out, Consumer<Failure> failures);

  @Setup
  public void setup() {
    backend = provider.get();
    chat = new LedgeredChat(Ledger.open(Path.of(ledgerDir)), backend);
    setUp();
  }

  @Teardown
  public void teardown() {
    if (backend != null) {
      backend.close(); // releases this instance's lease on the shared client
    }
  }

  @StartBundle
  public void startBundle() {
    inFlight = new InFlight<>();
  }

  @ProcessElement
  public void process(@Element InT element, MultiOutputReceiver out) {
    start(element, inFlight::add);
    inFlight.drainCompleted(p -> emit(p, out.get(mainTag)::output, out.get(failureTag)::output));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    inFlight.awaitAll(
        p ->
            emit(
                p,
                v -> c.output(mainTag, v, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE),
                v -> c.output(failureTag, v, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE)));
    // After the bundle's calls are done, so every retry they made is counted by some bundle of this worker.
    retried(backend.takeRetries());
  }
}
