package dev.assay.llm;

import java.io.Serializable;

/**
 * How a DoFn obtains its endpoint on a worker: serialized with the DoFn, called in {@code @Setup}. The default
 * implementation returns the JVM-wide shared client for a configured endpoint; tests can supply fakes.
 */
@FunctionalInterface
public interface BackendProvider extends Serializable {
  LlmBackend get();

  /**
   * A line for the run manifest's notes when what answers is not a live model (the replay stand-in says so, as the
   * simulator's model names do), else null.
   */
  default String notice() {
    return null;
  }
}
