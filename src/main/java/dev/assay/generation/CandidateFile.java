package dev.assay.generation;

import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads responses a user already has, to judge them without generating: JSONL with {@code id}, {@code prompt_id},
 * {@code prompt}, {@code response}, and optional {@code reference}, {@code model} (default {@code imported}) and
 * {@code sample} (default: order within the prompt).
 *
 * <p>Fails with an {@link InputException} naming file, line and field; duplicate ids are an error.
 */
public final class CandidateFile {
  private CandidateFile() {}

  public static List<Candidate> read(Path file, int limit) {
    List<Candidate> out = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    Map<String, Integer> perPrompt = new HashMap<>();
    for (JsonlReader.Line line : JsonlReader.readAll(file)) {
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
      out.add(
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
      if (limit > 0 && out.size() == limit) {
        break;
      }
    }
    return out;
  }
}
