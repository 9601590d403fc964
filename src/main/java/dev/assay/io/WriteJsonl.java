package dev.assay.io;

import java.util.Objects;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes records as JSONL shards ({@link Json#line}, one record per line) under a prefix, in whatever number and
 * order of shards the runner chooses; {@code RunDirectory.publish} merges and sorts them into the published file.
 * The counterpart of {@link dev.assay.grouping.ReadJsonl}. Fails the pipeline when a shard cannot be written.
 */
public final class WriteJsonl<T> extends PTransform<PCollection<T>, PDone> {
  private final String prefix;

  private WriteJsonl(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** Shards named {@code <prefix>-NNNNN-of-NNNNN.jsonl}. */
  public static <T> WriteJsonl<T> to(String prefix) {
    return new WriteJsonl<>(prefix);
  }

  @Override
  public PDone expand(PCollection<T> records) {
    return records
        .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(Json::line))
        .apply("Shards", TextIO.write().to(prefix).withSuffix(".jsonl"));
  }
}
