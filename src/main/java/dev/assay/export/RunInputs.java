package dev.assay.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import dev.assay.io.Hashing;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.io.JsonlReader;
import dev.assay.run.RunDirectory;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an export reads from a run folder: the manifest, {@code pairs/pairs.jsonl}, {@code sft/sft.jsonl}.
 *
 * <p>Every problem is an {@link InputException} naming the file, the 1-based line and the field: a missing manifest,
 * a line that is not a {@link PreferencePair} or {@link SftExample} (unknown field, wrong type, missing required
 * field, a value the record rejects), two records with the same id. The manifest is read as a tree, not bound to
 * {@link dev.assay.run.RunManifest}, so fields added to the manifest later do not break exports.
 *
 * @param runDir the run folder
 * @param manifest the manifest as a JSON object
 * @param pairs the pairs, empty when the run has no {@code pairs/pairs.jsonl}
 * @param sft the SFT examples, empty when the run has no {@code sft/sft.jsonl}
 * @param pairsSha256 hash of the pairs file, or null when absent
 * @param sftSha256 hash of the SFT file, or null when absent
 */
public record RunInputs(
    Path runDir, JsonNode manifest, List<PreferencePair> pairs, List<SftExample> sft, String pairsSha256, String sftSha256) {
  public static final String PAIRS = "pairs/pairs.jsonl";
  public static final String SFT = "sft/sft.jsonl";
  private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

  public RunInputs {
    pairs = List.copyOf(pairs);
    sft = List.copyOf(sft);
  }

  /**
   * Reads the run folder. {@code needPairs}/{@code needSft}: whether a missing (or empty) file is an error; a present
   * file is always read strictly, because the dataset card counts both.
   */
  public static RunInputs read(Path runDir, boolean needPairs, boolean needSft) {
    Path manifestFile = runDir.resolve(RunDirectory.MANIFEST);
    if (!Files.isDirectory(runDir)) {
      throw new InputException(runDir.toString(), 0, null, "not a folder (expected a run folder with manifest.json)");
    }
    JsonNode manifest = manifest(manifestFile);
    Path pairsFile = runDir.resolve(PAIRS);
    Path sftFile = runDir.resolve(SFT);
    List<PreferencePair> pairs = records(pairsFile, PreferencePair.class, PreferencePair::id, needPairs);
    List<SftExample> sft = records(sftFile, SftExample.class, SftExample::id, needSft);
    return new RunInputs(
        runDir,
        manifest,
        pairs,
        sft,
        Files.exists(pairsFile) ? Hashing.sha256(pairsFile) : null,
        Files.exists(sftFile) ? Hashing.sha256(sftFile) : null);
  }

  public String runId() {
    return manifest.path("run_id").asText("unknown");
  }

  private static JsonNode manifest(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(file.toString(), 0, null, "file not found: is this a run folder?");
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new InputException(file.toString(), e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null,
          "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputException(file.toString(), 0, null, "cannot read: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InputException(file.toString(), 0, null, "expected a JSON object");
    }
    return node;
  }

  /** Reads a JSONL file of records of {@code type}, strictly; ids must be unique. */
  static <T extends Record> List<T> records(Path file, Class<T> type, Function<T, String> id, boolean required) {
    if (!Files.exists(file) && !required) {
      return List.of();
    }
    if (!required && emptyFile(file)) {
      return List.of();
    }
    List<T> out = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    for (JsonlReader.Line line : JsonlReader.readAll(file)) {
      T record = bind(line, type);
      Long earlier = seen.putIfAbsent(id.apply(record), line.number());
      if (earlier != null) {
        throw new InputException(file.toString(), line.number(), "id",
            "duplicate id '" + id.apply(record) + "' (first on line " + earlier + ")");
      }
      out.add(record);
    }
    return out;
  }

  private static boolean emptyFile(Path file) {
    try {
      return Files.readString(file).isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  private static <T extends Record> T bind(JsonlReader.Line line, Class<T> type) {
    // Unknown fields first: a misspelt field also makes the real one "missing", and the misspelling is the news.
    java.util.Set<String> known = new java.util.HashSet<>();
    for (RecordComponent c : type.getRecordComponents()) {
      known.add(SNAKE.translate(c.getName()));
    }
    var names = line.node().fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new InputException(line.file(), line.number(), name, "unknown field (not a " + type.getSimpleName() + " field)");
      }
    }
    // Jackson fills a missing primitive with 0, which would turn a missing score into a real-looking 0.0: check
    // primitives are present first.
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getType().isPrimitive()) {
        String field = SNAKE.translate(c.getName());
        JsonNode v = line.node().get(field);
        if (v == null || v.isNull()) {
          throw new InputException(line.file(), line.number(), field, "missing required field");
        }
      }
    }
    try {
      return Json.mapper().treeToValue(line.node(), type);
    } catch (UnrecognizedPropertyException e) {
      throw new InputException(line.file(), line.number(), e.getPropertyName(),
          "unknown field (not a " + type.getSimpleName() + " field)");
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof NullPointerException && cause.getMessage() != null) {
        throw new InputException(line.file(), line.number(), SNAKE.translate(cause.getMessage()), "missing required field");
      }
      throw new InputException(line.file(), line.number(), null, String.valueOf(cause.getMessage()));
    } catch (JsonMappingException e) {
      throw new InputException(line.file(), line.number(), path(e), e.getOriginalMessage().split("\n")[0]);
    } catch (JsonProcessingException e) {
      throw new InputException(line.file(), line.number(), null, e.getOriginalMessage());
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }
}
