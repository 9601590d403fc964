package dev.assay.batch;

import dev.assay.llm.BackendProvider;
import dev.assay.llm.LlmBackend;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Hands every DoFn a {@link DeferringBackend} for one endpoint: writing to a batch round ({@code round} set) or
 * refusing every call the ledger cannot answer (an offline run, {@code round} null). A run that uses it says so in its
 * manifest ({@link #notice}).
 *
 * @param endpoint the recipe's endpoint name
 * @param round the round folder as a string (serializable), or null offline
 */
public record DeferringProvider(String endpoint, String round) implements BackendProvider {
  public DeferringProvider {
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** A provider that writes the endpoint's requests to {@code round}. */
  public static DeferringProvider writing(String endpoint, Path round) {
    return new DeferringProvider(endpoint, round.toAbsolutePath().normalize().toString());
  }

  /** A provider for an offline run: answers come from the ledger only. */
  public static DeferringProvider offline(String endpoint) {
    return new DeferringProvider(endpoint, null);
  }

  @Override
  public LlmBackend get() {
    return new DeferringBackend(endpoint, round == null ? null : Path.of(round));
  }

  @Override
  public String notice() {
    return round == null
        ? "offline: not called; its answers came from the ledger (batch output files read with ./assay batch read,"
            + " or an earlier run)"
        : null;
  }
}
