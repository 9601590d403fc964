package dev.assay.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.io.LineReader;
import dev.assay.ledger.Ledger;
import dev.assay.ledger.LedgerEntry;
import dev.assay.llm.LlmException;
import dev.assay.llm.OpenAiBatchFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads batch output files (OpenAI's format, which {@code vllm run-batch} also writes) into a run's ledger.
 *
 * <p>Each output line is matched by {@code custom_id} to a request some {@code batch write} of this run wrote (its
 * {@code pending.jsonl}); its answer is parsed by the live client's parser, checked against the model asked, and
 * recorded under the request's ledger key with the request as the ledger records it, so the run cannot tell it from
 * a live answer. Error lines and refused answers are counted by reason and recorded nowhere (a failure is not an
 * answer): the next {@code batch write} writes those requests again. A line answering a key the ledger already holds
 * is counted and skipped (first answer wins, as in the ledger).
 *
 * <p>Failure modes: a line that is not JSON, lacks {@code custom_id}, or names a request no round of this run wrote is
 * an {@link InputException} naming the file, line and field, and nothing of that file after the line is read (lines
 * before it are recorded: each is a complete, checked answer). I/O errors are {@link UncheckedIOException}s.
 */
public final class BatchOutputs {
  private BatchOutputs() {}

  /**
   * What one {@link #read} did.
   *
   * @param lines output lines read (blank lines aside)
   * @param recorded answers recorded in the ledger
   * @param alreadyInLedger answers to keys the ledger already held
   * @param errors lines without a usable answer, by reason
   */
  public record Summary(long lines, long recorded, long alreadyInLedger, Map<String, Long> errors) {
    public long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Every request written by any round under {@code batchDir}, by ledger key. */
  public static Map<String, PendingRequest> pending(Path batchDir) {
    Map<String, PendingRequest> byKey = new HashMap<>();
    if (!Files.isDirectory(batchDir)) {
      return byKey;
    }
    try (DirectoryStream<Path> rounds = Files.newDirectoryStream(batchDir, "round-*")) {
      for (Path round : rounds) {
        Path file = round.resolve(BatchRound.PENDING);
        if (Files.exists(file)) {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
              PendingRequest p = Json.parse(line, PendingRequest.class);
              byKey.putIfAbsent(p.key(), p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read batch rounds in " + batchDir, e);
    }
    return byKey;
  }

  /** Reads {@code files} into {@code ledger}, matching lines to {@code pending}. */
  public static Summary read(Ledger ledger, Map<String, PendingRequest> pending, List<Path> files) {
    long lines = 0;
    long recorded = 0;
    long known = 0;
    Map<String, Long> errors = new TreeMap<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        LineReader reader = LineReader.of(in);
        long lineNo = 0;
        for (byte[] raw = reader.next(); raw != null; raw = reader.next()) {
          lineNo++;
          if (LineReader.isBlank(raw, reader.length())) {
            continue;
          }
          lines++;
          JsonNode node;
          OpenAiBatchFormat.Output out;
          try {
            node = Json.mapper().readTree(raw, 0, reader.length());
            out = OpenAiBatchFormat.output(node);
          } catch (IOException e) {
            throw new InputException(file.toString(), lineNo, null, "not a JSON object (an OpenAI batch output line)");
          } catch (OpenAiBatchFormat.BadLineException e) {
            throw new InputException(file.toString(), lineNo, e.field(), e.getMessage());
          }
          PendingRequest request = pending.get(out.customId());
          if (request == null) {
            throw new InputException(
                file.toString(), lineNo, "custom_id", out.customId() + " is no request of this run's batch files (an"
                    + " output file of another run?)");
          }
          if (!out.answered()) {
            errors.merge(out.error(), 1L, Long::sum);
            continue;
          }
          if (ledger.lookup(request.key()).isPresent()) {
            known++;
            continue;
          }
          String response;
          try {
            response =
                request.api().equals("chat")
                    ? Json.line(OpenAiBatchFormat.chatResponse(out.body(), request.model()))
                    : Json.line(OpenAiBatchFormat.completionResponse(out.body(), request.model()));
          } catch (LlmException e) {
            errors.merge("refused: " + e.getMessage(), 1L, Long::sum);
            continue;
          }
          ledger.append(new LedgerEntry(request.key(), request.api(), request.model(), request.request(), response));
          recorded++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read batch output " + file, e);
      }
    }
    return new Summary(lines, recorded, known, errors);
  }
}
