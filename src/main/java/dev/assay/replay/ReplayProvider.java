package dev.assay.replay;

import dev.assay.llm.BackendProvider;
import dev.assay.llm.LlmBackend;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands every DoFn of a JVM the replay backend for one source, loading the published files once per JVM (they are
 * read-only, so one index serves every worker thread).
 *
 * @param source where the answers come from
 */
public record ReplayProvider(ReplaySource source) implements BackendProvider {
  private static final Map<ReplaySource, ReplayBackend> LOADED = new ConcurrentHashMap<>();

  public ReplayProvider {
    Objects.requireNonNull(source, "source");
  }

  /** The backend, loading the source on first use. */
  public ReplayBackend backend() {
    return LOADED.computeIfAbsent(source, s -> new ReplayBackend(s.load()));
  }

  @Override
  public LlmBackend get() {
    return backend();
  }

  /** The replay's notice: a run that uses it says in its manifest (and so its report) that published answers stood in. */
  @Override
  public String notice() {
    return backend().index().notice();
  }
}
