package dev.assay.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads exported files the way a trainer does (one JSON object per line, loaded into a table whose columns must have
 * one type) and checks every row against the trainer's documented format: the exact key set, the JSON type of every
 * value, the message roles, no nulls. Independent of the export code on purpose: it knows the formats, not the
 * exporter classes.
 *
 * <p>Formats as documented: TRL "Dataset formats and types" (huggingface/trl docs/source/dataset_formats.md:
 * preference standard and conversational with explicit prompt, unpaired preference, language modeling
 * conversational, prompt-completion standard) and OpenRLHF's {@code RewardDataset} with {@code --prompt_key}
 * and {@code --apply_chat_template} (openrlhf/datasets/reward_dataset.py). Every format also carries {@code id}.
 */
public final class TrainerFormatChecker {
  private static final ObjectMapper STRICT =
      new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private TrainerFormatChecker() {}

  /** The rows of a JSONL file, parsed strictly (valid UTF-8, one object per line, no duplicate keys). */
  public static List<JsonNode> read(Path file) {
    List<JsonNode> rows = new ArrayList<>();
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
      if (!text.isEmpty() && !text.endsWith("\n")) {
        throw new AssertionError(file + ": last line has no newline");
      }
      int n = 0;
      for (String line : text.split("\n", -1)) {
        n++;
        if (line.isEmpty()) {
          continue;
        }
        JsonNode node = STRICT.readTree(line);
        if (node == null || !node.isObject()) {
          throw new AssertionError(file + ":" + n + ": not a JSON object");
        }
        rows.add(node);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not readable as UTF-8 JSONL", e);
    }
    return rows;
  }

  /** Checks {@code train.jsonl} and {@code test.jsonl} of {@code formatDir}; returns both files' rows. */
  public static List<JsonNode> check(String format, Path formatDir) {
    List<JsonNode> all = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String name : List.of("train.jsonl", "test.jsonl")) {
      Path file = formatDir.resolve(name);
      List<JsonNode> rows = read(file);
      Map<String, String> schema = null;
      int n = 0;
      for (JsonNode row : rows) {
        n++;
        String where = file + ":" + n;
        checkRow(format, row, where);
        if (!ids.add(row.get("id").asText())) {
          throw new AssertionError(where + ": duplicate id " + row.get("id"));
        }
        // A table (Arrow, pandas) needs one type per column: every row must have the same shape.
        Map<String, String> shape = shape(row);
        if (schema == null) {
          schema = shape;
        } else if (!schema.equals(shape)) {
          throw new AssertionError(where + ": shape " + shape + " differs from the first row's " + schema);
        }
      }
      all.addAll(rows);
    }
    return all;
  }

  /** Checks one row against the format; throws {@link AssertionError} naming the problem. */
  public static void checkRow(String format, JsonNode row, String where) {
    noNulls(row, where);
    switch (format) {
      case "trl" -> {
        keys(row, where, "chosen", "id", "prompt", "rejected");
        strings(row, where, "chosen", "id", "prompt", "rejected");
      }
      case "trl-conversational", "openrlhf" -> {
        keys(row, where, "chosen", "id", "prompt", "rejected");
        strings(row, where, "id");
        promptMessages(row.get("prompt"), where + ": prompt");
        oneAssistant(row.get("chosen"), where + ": chosen");
        oneAssistant(row.get("rejected"), where + ": rejected");
      }
      case "kto" -> {
        keys(row, where, "completion", "id", "label", "prompt");
        strings(row, where, "completion", "id", "prompt");
        if (!row.get("label").isBoolean()) {
          throw new AssertionError(where + ": label must be a JSON boolean, got " + row.get("label").getNodeType());
        }
      }
      case "sft" -> {
        keys(row, where, "id", "messages");
        strings(row, where, "id");
        JsonNode m = row.get("messages");
        if (!m.isArray() || m.size() < 2) {
          throw new AssertionError(where + ": messages must be an array of at least user and assistant");
        }
        List<JsonNode> turns = new ArrayList<>();
        m.forEach(turns::add);
        JsonNode last = turns.remove(turns.size() - 1);
        message(last, where + ": messages[last]", Set.of("assistant"));
        com.fasterxml.jackson.databind.node.ArrayNode prompt = STRICT.createArrayNode();
        turns.forEach(prompt::add);
        promptMessages(prompt, where + ": messages");
      }
      case "sft-prompt-completion" -> {
        keys(row, where, "completion", "id", "prompt");
        strings(row, where, "completion", "id", "prompt");
      }
      default -> throw new AssertionError("unknown format " + format);
    }
  }

  /** A prompt: system (optional, first only) then exactly one user message. */
  private static void promptMessages(JsonNode prompt, String where) {
    if (prompt == null || !prompt.isArray() || prompt.isEmpty()) {
      throw new AssertionError(where + ": must be a non-empty array of messages");
    }
    for (int i = 0; i < prompt.size(); i++) {
      boolean last = i == prompt.size() - 1;
      message(prompt.get(i), where + "[" + i + "]", last ? Set.of("user") : Set.of("system"));
    }
    if (prompt.size() > 2) {
      throw new AssertionError(where + ": expected [system?, user], got " + prompt.size() + " messages");
    }
  }

  private static void oneAssistant(JsonNode completion, String where) {
    if (completion == null || !completion.isArray() || completion.size() != 1) {
      throw new AssertionError(where + ": must be an array of exactly one message");
    }
    message(completion.get(0), where + "[0]", Set.of("assistant"));
  }

  private static void message(JsonNode m, String where, Set<String> roles) {
    if (!m.isObject()) {
      throw new AssertionError(where + ": a message must be an object");
    }
    keys(m, where, "content", "role");
    strings(m, where, "content", "role");
    if (!roles.contains(m.get("role").asText())) {
      throw new AssertionError(where + ": role " + m.get("role") + " not in " + roles);
    }
  }

  private static void keys(JsonNode row, String where, String... expected) {
    Set<String> actual = new TreeSet<>();
    row.fieldNames().forEachRemaining(actual::add);
    Set<String> want = new TreeSet<>(List.of(expected));
    if (!actual.equals(want)) {
      throw new AssertionError(where + ": keys " + actual + ", expected exactly " + want);
    }
  }

  private static void strings(JsonNode row, String where, String... fields) {
    for (String f : fields) {
      if (!row.get(f).isTextual()) {
        throw new AssertionError(where + ": " + f + " must be a JSON string, got " + row.get(f).getNodeType());
      }
    }
  }

  private static void noNulls(JsonNode node, String where) {
    if (node.isNull()) {
      throw new AssertionError(where + ": null value");
    }
    if (node.isContainerNode()) {
      Iterator<JsonNode> it = node.elements();
      while (it.hasNext()) {
        noNulls(it.next(), where);
      }
    }
  }

  /** Column name to JSON type, with element types of arrays of objects, as a table loader would infer them. */
  private static Map<String, String> shape(JsonNode row) {
    Map<String, String> out = new LinkedHashMap<>();
    row.properties().forEach(e -> out.put(e.getKey(), type(e.getValue())));
    return out;
  }

  private static String type(JsonNode v) {
    if (v.isArray()) {
      Set<String> inner = new TreeSet<>();
      v.forEach(x -> inner.add(type(x)));
      return "list<" + String.join("|", inner) + ">";
    }
    if (v.isObject()) {
      Map<String, String> fields = new java.util.TreeMap<>();
      v.properties().forEach(e -> fields.put(e.getKey(), type(e.getValue())));
      return "struct" + fields;
    }
    return v.getNodeType().name().toLowerCase();
  }
}
