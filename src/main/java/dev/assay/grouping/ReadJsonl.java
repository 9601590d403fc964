package dev.assay.grouping;

import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.io.LineReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads one of Assay's own JSONL files (a staged input, a published output) into a PCollection of records, through
 * Beam's file systems, so the records travel to the workers as a file and not inside the pipeline's definition.
 *
 * <p>Why not {@code Create.of} a list: the list is serialized into the job, which holds it all in the driver's
 * memory and, on Flink, sends it with the job graph (a cluster refuses graphs above its RPC frame size). Blank lines
 * are skipped; a line that is not the record is Assay's own bug and fails the pipeline with the parser's message.
 * Order is not kept: every consumer sorts (outputs are published sorted).
 *
 * <p>Why not {@code TextIO.read()}: on the direct runner its source splits itself dynamically into a hundred or more
 * bundles per file, and every bundle that reaches a GroupByKey makes the runner copy (encode and decode) each key's
 * whole grouped state again, so grouping cost grew with bundles times records ({@code assay bench cpu}, JFR: 40% of
 * the CPU in those copies). This read cuts each file into line-aligned byte ranges of {@value #RANGE_BYTES} bytes,
 * spreads the ranges over the workers ({@link Reshuffle}) and reads each range in one bundle: a few large bundles,
 * still parallel on every runner. A line belongs to the range its first byte is in. The ranges are spread by
 * {@link ShardRouting} keys, round-robin over the workers (from a position that depends on the file), not by random
 * keys: 12 ranges of a 760 MB file on 2 Flink workers split 6 and 6, where random keys split them 8 and 4 or worse two
 * times in five, and the reading lasts as long as the busier worker's share.
 *
 * <p>Failure modes: the pipeline fails when no file matches, a file cannot be read or is not seekable, or a line
 * does not parse as the record.
 */
public final class ReadJsonl<T> extends PTransform<PBegin, PCollection<T>> {
  /** Bytes per range: few bundles, each small enough that a worker holds its records comfortably. */
  static final long RANGE_BYTES = 64L << 20;

  private final Class<T> type;
  private final String filepattern;
  private final Coder<T> coder;
  private final long rangeBytes;

  private ReadJsonl(Class<T> type, String filepattern, Coder<T> coder, long rangeBytes) {
    this.type = Objects.requireNonNull(type, "type");
    this.filepattern = Objects.requireNonNull(filepattern, "filepattern");
    this.coder = Objects.requireNonNull(coder, "coder");
    if (rangeBytes < 1) {
      throw new IllegalArgumentException("rangeBytes must be >= 1: " + rangeBytes);
    }
    this.rangeBytes = rangeBytes;
  }

  /**
   * Records of {@code type} from the files matching {@code filepattern} (a path, or a glob Beam understands), encoded
   * between steps as JSON ({@link JsonCoder}).
   */
  public static <T> ReadJsonl<T> of(Class<T> type, String filepattern) {
    return new ReadJsonl<>(type, filepattern, JsonCoder.of(type), RANGE_BYTES);
  }

  /** The same read with {@code coder} for the records (a compact binary coder where the records travel in bulk). */
  public ReadJsonl<T> withCoder(Coder<T> coder) {
    return new ReadJsonl<>(type, filepattern, coder, rangeBytes);
  }

  /** The same read cutting files into ranges of {@code rangeBytes} (tests use tiny ranges to cross many bounds). */
  ReadJsonl<T> withRangeBytes(long rangeBytes) {
    return new ReadJsonl<>(type, filepattern, coder, rangeBytes);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin
        .apply("Pattern", Create.of(filepattern).withCoder(StringUtf8Coder.of()))
        .apply("Match", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("Ranges", ParDo.of(new RangesFn(rangeBytes, ShardRouting.of(begin.getPipeline().getOptions()))))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), VarLongCoder.of()))))
        .apply("Spread", Reshuffle.of())
        .apply("Unkey", Values.create())
        .apply("Parse", ParDo.of(new ReadRangeFn<>(type)))
        .setCoder(coder);
  }

  /** Range keys are numbered below this stride ({@link ShardRouting#key}). */
  private static final int RANGE_STRIDE = 1 << 20;

  /** Cuts a matched file into ranges: (routing key, (file, (start, end))). */
  private static final class RangesFn extends DoFn<MatchResult.Metadata, KV<Integer, KV<String, KV<Long, Long>>>> {
    private final long rangeBytes;
    private final ShardRouting routing;

    RangesFn(long rangeBytes, ShardRouting routing) {
      this.rangeBytes = rangeBytes;
      this.routing = routing;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<KV<Integer, KV<String, KV<Long, Long>>>> out) {
      long size = file.sizeBytes();
      String id = file.resourceId().toString();
      // Each file starts its round-robin at its own worker, so files of one range each do not all land on worker 0.
      long group = Math.floorMod(id.hashCode(), 1024);
      for (long start = 0; start < size; start += rangeBytes, group++) {
        int key = routing.key((int) (group % RANGE_STRIDE), RANGE_STRIDE);
        out.output(KV.of(key, KV.of(id, KV.of(start, Math.min(size, start + rangeBytes)))));
      }
    }
  }

  /** Reads the lines that start in one range and parses each. */
  private static final class ReadRangeFn<T> extends DoFn<KV<String, KV<Long, Long>>, T> {
    private final Class<T> type;

    ReadRangeFn(Class<T> type) {
      this.type = type;
    }

    @ProcessElement
    public void process(@Element KV<String, KV<Long, Long>> range, OutputReceiver<T> out) throws IOException {
      String file = range.getKey();
      long start = range.getValue().getKey();
      long end = range.getValue().getValue();
      ResourceId id = FileSystems.matchNewResource(file, false);
      try (ReadableByteChannel channel = FileSystems.open(id)) {
        LineReader lines = LineReader.at(channel, file, start);
        byte[] line;
        while (lines.position() < end && (line = lines.next()) != null) {
          if (!LineReader.isBlank(line, lines.length())) {
            out.output(parse(line, lines.length(), file));
          }
        }
      }
    }

    private T parse(byte[] line, int length, String file) {
      try {
        return Json.mapper().readValue(line, 0, length, type);
      } catch (IOException e) {
        throw new UncheckedIOException("not a " + type.getSimpleName() + " line in " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
