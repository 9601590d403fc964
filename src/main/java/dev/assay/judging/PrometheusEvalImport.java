package dev.assay.judging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.generation.Candidate;
import dev.assay.generation.Prompt;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Imports the published Prometheus evaluation sets with GPT-4 judgments ({@code mt_bench_eval.json},
 * {@code vicuna_eval.json} from prometheus-eval): each item is one response graded three times by GPT-4 on a 1-5
 * rubric, with a reference answer.
 *
 * <p>Item shape: {@code idx} (the question: MT-Bench ids 81-160, Vicuna 1-80), {@code response_source} (the model that
 * wrote the response), {@code category}, {@code instruction} (the whole Prometheus grading prompt: task description,
 * instruction to evaluate, response, reference answer, rubric), {@code gpt4_score} (three integers; a string such as
 * {@code "[3, 2, 3]"} is accepted too) and {@code gpt4_feedback} (three rationales, same order). A question is
 * {@code idx}; a response is ({@code idx}, {@code response_source}): 80 questions x 4 responding models per file.
 *
 * <p>Output ids: prompt {@code <file stem>/<idx>} (e.g. {@code mt_bench_eval/81}); candidate
 * {@link Candidate#idFor}{@code (promptId, response_source, 0)}; judgment {@code gpt-4/<candidate id>/<k>} for the
 * k-th of the three samples. Judgments are absolute, judge and model {@code gpt-4}, status {@code ok}, source
 * {@code import:<file name>}, reference mode {@code given} when the prompt showed a reference answer; {@code raw} and
 * {@code template} are null because the files hold neither the judge's raw answer nor one of our templates. In
 * MT-Bench every item is the second turn of a dialogue that contains the responding model's own first answer, so the
 * four responses to a question were given different prompts: each {@link Candidate#prompt()} is the exact text its
 * model answered, and {@link Prompt#text()} is that of the question's first item in file order.
 *
 * <p>Failure modes: {@link InputException} naming the file, the line where the item starts, the field, and the item's
 * 0-based index, for malformed JSON, a missing or mistyped field, an unknown field, a grading prompt not in the
 * Prometheus form, a score off the rubric's scale, score and feedback lists of different lengths, and a response
 * listed twice.
 */
public final class PrometheusEvalImport {
  /** The judge (and model) name the published judgments are recorded under. */
  public static final String JUDGE = "gpt-4";

  private static final Set<String> FIELDS =
      Set.of("idx", "response_source", "category", "instruction", "gpt4_score", "gpt4_feedback");

  private static final String H_INSTRUCTION = "\n\n###The instruction to evaluate:\n";
  private static final String H_RESPONSE = "\n\n###Response to evaluate:\n";
  private static final String H_REFERENCE = "\n\n###Reference Answer (Score 5):\n";
  private static final String H_RUBRIC = "\n\n###Score Rubrics:\n";
  private static final String H_FEEDBACK = "\n\n###Feedback:";

  /**
   * One published item, split into the parts of its grading prompt.
   *
   * @param index 0-based position in the file
   * @param line 1-based line where the item starts
   * @param idx the question id
   * @param responseSource the model that wrote the response
   * @param category the question's category
   * @param gradingPrompt the whole prompt GPT-4 was given
   * @param instruction the instruction (or dialogue) the response answers
   * @param response the response graded
   * @param reference the reference answer shown to the judge, or null
   * @param rubric the rubric shown to the judge
   * @param scores the three scores, in sample order
   * @param feedback the three rationales, in sample order
   */
  public record Item(
      int index,
      long line,
      int idx,
      String responseSource,
      String category,
      String gradingPrompt,
      String instruction,
      String response,
      String reference,
      Rubric rubric,
      List<Integer> scores,
      List<String> feedback) {
    public Item {
      scores = List.copyOf(scores);
      feedback = List.copyOf(feedback);
    }
  }

  /** Everything read from one file, in file order. */
  public record Result(List<Prompt> prompts, List<Candidate> candidates, List<Judgment> judgments, List<Item> items) {
    public Result {
      prompts = List.copyOf(prompts);
      candidates = List.copyOf(candidates);
      judgments = List.copyOf(judgments);
      items = List.copyOf(items);
    }
  }

  private PrometheusEvalImport() {}

  /**
   * Reads one file.
   *
   * @throws InputException for any problem, naming the file, line, field and item index
   */
  public static Result read(Path path) {
    String file = path.toString();
    String fileName = path.getFileName().toString();
    String stem = fileName.replaceFirst("\\.json$", "");
    List<Item> items = new ArrayList<>();
    try (InputStream in = Files.newInputStream(path);
        JsonParser p = Json.mapper().createParser(in)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new InputException(file, p.currentTokenLocation().getLineNr(), null, "expected a JSON array of items");
      }
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        int index = items.size();
        long line = p.currentTokenLocation().getLineNr();
        if (t != JsonToken.START_OBJECT) {
          throw new InputException(file, line, null, "item " + index + ": expected a JSON object");
        }
        JsonNode node = p.readValueAsTree();
        items.add(item(file, stem, index, line, node));
      }
    } catch (NoSuchFileException e) {
      throw new InputException(file, 0, null, "file not found");
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InputException(file, line, null, "malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InputException(file, 0, null, "cannot read: " + e.getMessage(), e);
    }
    if (items.isEmpty()) {
      throw new InputException(file, 0, null, "no items");
    }
    return build(file, fileName, stem, items);
  }

  private static Result build(String file, String fileName, String stem, List<Item> items) {
    Map<String, Prompt> prompts = new LinkedHashMap<>();
    Map<String, Item> seen = new LinkedHashMap<>();
    List<Candidate> candidates = new ArrayList<>();
    List<Judgment> judgments = new ArrayList<>();
    for (Item item : items) {
      String promptId = stem + "/" + item.idx();
      String candidateId = Candidate.idFor(promptId, item.responseSource(), 0);
      Item before = seen.putIfAbsent(candidateId, item);
      if (before != null) {
        throw new InputException(
            file,
            item.line(),
            "response_source",
            "item " + item.index() + ": question " + item.idx() + " answered by " + item.responseSource()
                + " is listed twice (first as item " + before.index() + ", line " + before.line() + ")");
      }
      prompts.putIfAbsent(promptId, new Prompt(promptId, item.instruction(), item.reference()));
      candidates.add(
          new Candidate(
              candidateId, promptId, item.instruction(), item.reference(), item.response(), item.responseSource(), 0, null, null));
      ReferenceMode mode = item.reference() == null ? ReferenceMode.NONE : ReferenceMode.GIVEN;
      for (int k = 0; k < item.scores().size(); k++) {
        judgments.add(
            new Judgment(
                JUDGE + "/" + candidateId + "/" + k,
                promptId,
                JudgmentKind.ABSOLUTE,
                JUDGE,
                JUDGE,
                null,
                candidateId,
                null,
                k,
                JudgmentStatus.OK,
                item.scores().get(k),
                null,
                item.feedback().get(k),
                null,
                mode,
                null,
                "import:" + fileName,
                null));
      }
    }
    return new Result(new ArrayList<>(prompts.values()), candidates, judgments, items);
  }

  private static Item item(String file, String stem, int index, long line, JsonNode node) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InputException(file, line, name, "item " + index + ": unknown field; expected " + new java.util.TreeSet<>(FIELDS));
      }
    }
    JsonNode idxNode = require(file, line, index, node, "idx");
    if (!idxNode.canConvertToInt() || !idxNode.isIntegralNumber()) {
      throw new InputException(file, line, "idx", "item " + index + ": expected an integer, got " + kind(idxNode));
    }
    String source = text(file, line, index, node, "response_source");
    if (source.isBlank() || source.contains("/")) {
      throw new InputException(file, line, "response_source", "item " + index + ": must be a non-blank name without '/'");
    }
    String category = text(file, line, index, node, "category");
    String prompt = text(file, line, index, node, "instruction");
    List<Integer> scores = scores(file, line, index, require(file, line, index, node, "gpt4_score"));
    List<String> feedback = feedback(file, line, index, require(file, line, index, node, "gpt4_feedback"));
    if (scores.size() != feedback.size()) {
      throw new InputException(
          file, line, "gpt4_feedback",
          "item " + index + ": " + feedback.size() + " rationales for " + scores.size() + " scores");
    }

    int i1 = prompt.indexOf(H_INSTRUCTION);
    int i2 = i1 < 0 ? -1 : prompt.indexOf(H_RESPONSE, i1 + H_INSTRUCTION.length());
    int i4 = prompt.lastIndexOf(H_RUBRIC);
    int i5 = prompt.lastIndexOf(H_FEEDBACK);
    if (i1 < 0 || i2 < 0 || i4 < i2 || i5 < i4 || !prompt.substring(i5 + H_FEEDBACK.length()).isBlank()) {
      throw new InputException(
          file, line, "instruction",
          "item " + index + ": not a Prometheus grading prompt (expected the sections '###The instruction to evaluate:', "
              + "'###Response to evaluate:', optionally '###Reference Answer (Score 5):', '###Score Rubrics:', "
              + "'###Feedback:' in that order)");
    }
    int i3 = prompt.lastIndexOf(H_REFERENCE, i4);
    boolean hasReference = i3 > i2;
    String instruction = prompt.substring(i1 + H_INSTRUCTION.length(), i2);
    String response = prompt.substring(i2 + H_RESPONSE.length(), hasReference ? i3 : i4);
    String reference = hasReference ? prompt.substring(i3 + H_REFERENCE.length(), i4) : null;
    if (reference != null && reference.isBlank()) {
      reference = null;
    }
    Rubric rubric;
    try {
      rubric = Rubric.parseRendered(stem + "/" + idxNode.asInt(), prompt.substring(i4 + H_RUBRIC.length(), i5));
    } catch (IllegalArgumentException e) {
      throw new InputException(file, line, "instruction", "item " + index + ": the score rubric is malformed: " + e.getMessage());
    }
    for (int k = 0; k < scores.size(); k++) {
      int s = scores.get(k);
      if (s < rubric.minScore() || s > rubric.maxScore()) {
        throw new InputException(
            file, line, "gpt4_score",
            "item " + index + ": score " + s + " (sample " + k + ") is outside the rubric's " + rubric.minScore() + "-"
                + rubric.maxScore() + " scale");
      }
    }
    return new Item(
        index, line, idxNode.asInt(), source, category, prompt, instruction, response, reference, rubric, scores, feedback);
  }

  private static JsonNode require(String file, long line, int index, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new InputException(file, line, field, "item " + index + ": missing required field");
    }
    return v;
  }

  private static String text(String file, long line, int index, JsonNode node, String field) {
    JsonNode v = require(file, line, index, node, field);
    if (!v.isTextual()) {
      throw new InputException(file, line, field, "item " + index + ": expected a string, got " + kind(v));
    }
    return v.asText();
  }

  /** A JSON list of integers, or the same list written as a string ("[3, 2, 3]"), as some exports do. */
  private static List<Integer> scores(String file, long line, int index, JsonNode v) {
    JsonNode list = v;
    if (v.isTextual()) {
      try {
        list = Json.mapper().readTree(v.asText());
      } catch (JsonProcessingException e) {
        list = null;
      }
    }
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new InputException(
          file, line, "gpt4_score", "item " + index + ": expected a non-empty list of integers, got " + kind(v));
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode s : list) {
      if (!s.isIntegralNumber() || !s.canConvertToInt()) {
        throw new InputException(
            file, line, "gpt4_score", "item " + index + ": expected integer scores, got " + kind(s) + " (" + s + ")");
      }
      out.add(s.asInt());
    }
    return out;
  }

  private static List<String> feedback(String file, long line, int index, JsonNode v) {
    if (!v.isArray() || v.isEmpty()) {
      throw new InputException(file, line, "gpt4_feedback", "item " + index + ": expected a non-empty list of strings, got " + kind(v));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode f : v) {
      if (!f.isTextual()) {
        throw new InputException(file, line, "gpt4_feedback", "item " + index + ": expected strings, got " + kind(f));
      }
      out.add(f.asText());
    }
    return out;
  }

  private static String kind(JsonNode v) {
    return Objects.requireNonNull(v).getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
