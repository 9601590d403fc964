package dev.assay.generation;

import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads responses a user already has, to judge them without generating: JSONL with {@code id}, {@code prompt_id},
 * {@code prompt}, {@code response}, and optional {@code reference}, {@code model} (default {@code imported}) and
 * {@code sample} (default: order within the prompt), {@code gold_score} (a number, higher is better: the truth
 * against which a run measures its pair filters, {@link #goldScores}).
 *
 * <p>Fails with an {@link InputException} naming file, line and field; duplicate ids are an error.
 */
public final class CandidateFile {
  private CandidateFile() {}

  /** Reads at most {@code limit} candidates (0 = all), in file order. */
  public static List<Candidate> read(Path file, int limit) {
    List<Candidate> out = new ArrayList<>();
    forEach(file, limit, out::add);
    return out;
  }

  /**
   * Hands at most {@code limit} candidates (0 = all) to {@code sink}, in file order, one line at a time: only the
   * ids seen so far and a count per prompt are held, not the candidates. A candidate already handed on stays handed
   * on when a later line turns out bad.
   */
  public static void forEach(Path file, int limit, Consumer<Candidate> sink) {
    Map<String, Long> seen = new HashMap<>();
    Map<String, Integer> perPrompt = new HashMap<>();
    long[] n = {0};
    JsonlReader.forEachWhile(file, line -> {
      String id = line.id("id");
      Long first = seen.putIfAbsent(id, line.number());
      if (first != null) {
        throw new InputException(line.file(), line.number(), "id", "duplicate id '" + id + "' (first on line " + first + ")");
      }
      String promptId = line.id("prompt_id");
      String model = line.optionalText("model");
      var sampleNode = line.node().get("sample");
      int sample;
      if (sampleNode == null || sampleNode.isNull()) {
        sample = perPrompt.merge(promptId, 1, Integer::sum) - 1;
      } else if (sampleNode.canConvertToInt() && sampleNode.isIntegralNumber() && sampleNode.asInt() >= 0) {
        sample = sampleNode.asInt();
      } else {
        throw new InputException(line.file(), line.number(), "sample", "expected a non-negative integer");
      }
      goldScore(line);
      sink.accept(
          new Candidate(
              id,
              promptId,
              line.text("prompt"),
              line.optionalText("reference"),
              line.text("response"),
              model == null ? "imported" : model,
              sample,
              "stop",
              null));
      return limit <= 0 || ++n[0] < limit;
    });
  }

  /**
   * The {@code gold_score} of each of the first {@code limit} candidates (0 = all) that carries one, by candidate id:
   * empty when none does. The same lines {@link #forEach} reads; the same errors.
   */
  public static Map<String, Double> goldScores(Path file, int limit) {
    Map<String, Double> gold = new HashMap<>();
    long[] n = {0};
    JsonlReader.forEachWhile(file, line -> {
      Double g = goldScore(line);
      if (g != null) {
        gold.put(line.id("id"), g);
      }
      return limit <= 0 || ++n[0] < limit;
    });
    return gold;
  }

  private static Double goldScore(JsonlReader.Line line) {
    var node = line.node().get("gold_score");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
      throw new InputException(line.file(), line.number(), "gold_score", "expected a finite number");
    }
    return node.asDouble();
  }
}
