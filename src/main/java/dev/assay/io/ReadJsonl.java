package dev.assay.io;

import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Reads one of Assay's own JSONL files (a staged input, a published output) into a PCollection of records, through
 * Beam's file systems, so the records travel to the workers as a file and not inside the pipeline's definition.
 *
 * <p>Why not {@code Create.of} a list: the list is serialized into the job, which holds it all in the driver's
 * memory and, on Flink, sends it with the job graph (a cluster refuses graphs above its RPC frame size). Blank lines
 * are skipped; a line that is not the record is Assay's own bug and fails the pipeline with the parser's message.
 * Order is not kept: every consumer sorts (outputs are published sorted).
 */
public final class ReadJsonl<T> extends PTransform<PBegin, PCollection<T>> {
  private final Class<T> type;
  private final String filepattern;
  private final Coder<T> coder;

  private ReadJsonl(Class<T> type, String filepattern, Coder<T> coder) {
    this.type = Objects.requireNonNull(type, "type");
    this.filepattern = Objects.requireNonNull(filepattern, "filepattern");
    this.coder = Objects.requireNonNull(coder, "coder");
  }

  /**
   * Records of {@code type} from the files matching {@code filepattern} (a path, or a glob Beam understands), encoded
   * between steps as JSON ({@link JsonCoder}).
   */
  public static <T> ReadJsonl<T> of(Class<T> type, String filepattern) {
    return new ReadJsonl<>(type, filepattern, JsonCoder.of(type));
  }

  /** The same read with {@code coder} for the records (a compact binary coder where the records travel in bulk). */
  public ReadJsonl<T> withCoder(Coder<T> coder) {
    return new ReadJsonl<>(type, filepattern, coder);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin
        .apply("Lines", TextIO.read().from(filepattern))
        .apply("Parse", FlatMapElements.into(TypeDescriptor.of(type)).via(new ParseLine<>(type)))
        .setCoder(coder);
  }

  private static final class ParseLine<T> implements SerializableFunction<String, Iterable<T>> {
    private final Class<T> type;

    ParseLine(Class<T> type) {
      this.type = type;
    }

    @Override
    public Iterable<T> apply(String line) {
      return line.isBlank() ? List.of() : List.of(Json.parse(line, type));
    }
  }
}
