package dev.assay.judging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import dev.assay.llm.ResponseFormat;
import java.util.Locale;

/**
 * Structured judging (a judge's {@code structured: true}): the JSON schema its requests send as
 * {@code response_format}, the line that tells the judge the shape, and the parser of the JSON answer.
 *
 * <p>Schemas: absolute {@code {"rationale": string (maxLength), "score": integer in [min, max]}}; pairwise
 * {@code {"rationale": string (maxLength), "verdict": "A" | "B" | "tie"}}. The rationale comes first, so the judge
 * reasons before it commits to a result, and its {@code maxLength} ({@link #rationaleLimit}) leaves room for the
 * result within the judge's {@code max_tokens} even when every character is a token.
 *
 * <p>Parsing: a server that honoured the schema answers one JSON object, read here. A server without structured output
 * answers free text, and an object without the expected field is no structured answer either: both go to the text
 * parsers ({@link AbsoluteParser}, {@link PairwiseParser}), which also read the {@code {"score": 4}} shape. A result
 * present but invalid (a score off the scale or not an integer, an unknown verdict) is {@code unparseable}, never
 * clamped; an answer cut at {@code max_tokens} is {@code truncated} (the text parser decides, from the finish reason).
 */
public final class StructuredJudging {
  /** The longest rationale ever asked for, in characters. */
  static final int MAX_RATIONALE = 2000;

  /** The shortest, so that a judge with a tiny {@code max_tokens} still has room to say something. */
  static final int MIN_RATIONALE = 16;

  private StructuredJudging() {}

  /**
   * The rationale's {@code maxLength} for a judge allowed {@code maxTokens}: half of them, within
   * [{@value #MIN_RATIONALE}, {@value #MAX_RATIONALE}]. A model may spell a string one character per token, and a
   * schema lets it put whitespace between the fields; the other half is room for that and the result, so a judge that
   * follows the schema is never cut off before its score (about four characters a token, a real model's rationale of
   * that length spends an eighth of the budget).
   */
  public static int rationaleLimit(int maxTokens) {
    return Math.max(MIN_RATIONALE, Math.min(MAX_RATIONALE, maxTokens / 2));
  }

  /** The {@code response_format} of an absolute judge scoring on [{@code minScore}, {@code maxScore}]. */
  public static ResponseFormat absolute(int minScore, int maxScore, int maxTokens) {
    if (minScore >= maxScore) {
      throw new IllegalArgumentException("minScore " + minScore + " must be below maxScore " + maxScore);
    }
    ObjectNode score = Json.mapper().createObjectNode().put("type", "integer").put("minimum", minScore).put("maximum", maxScore);
    return new ResponseFormat("absolute_judgment", schema(maxTokens, "score", score));
  }

  /** The {@code response_format} of a pairwise judge: a verdict A, B or tie. */
  public static ResponseFormat pairwise(int maxTokens) {
    ObjectNode verdict = Json.mapper().createObjectNode().put("type", "string");
    verdict.putArray("enum").add("A").add("B").add("tie");
    return new ResponseFormat("pairwise_judgment", schema(maxTokens, "verdict", verdict));
  }

  private static ObjectNode schema(int maxTokens, String resultField, ObjectNode result) {
    ObjectNode schema = Json.mapper().createObjectNode().put("type", "object");
    ObjectNode props = schema.putObject("properties");
    props.putObject("rationale").put("type", "string").put("maxLength", rationaleLimit(maxTokens));
    props.set(resultField, result);
    ArrayNode required = schema.putArray("required");
    required.add("rationale").add(resultField);
    schema.put("additionalProperties", false);
    return schema;
  }

  /**
   * The line appended to the judge's last message, so that a judge whose template asks for a text marker knows the
   * shape it is held to (a server enforcing the schema would force it anyway; saying it keeps the answer coherent).
   */
  public static String instruction(JudgmentKind kind, int minScore, int maxScore) {
    return kind == JudgmentKind.ABSOLUTE
        ? "Answer with a JSON object only: {\"rationale\": \"<your reasoning, briefly>\", \"score\": <an integer from "
            + minScore + " to " + maxScore + ">}."
        : "Answer with a JSON object only: {\"rationale\": \"<your reasoning, briefly>\", \"verdict\": \"A\", \"B\" or"
            + " \"tie\"}.";
  }

  /** Parses an absolute judge's structured answer, falling back to {@link AbsoluteParser} for anything else. */
  public static ParsedJudgment parseAbsolute(String completion, String finishReason, int minScore, int maxScore) {
    JsonNode obj = object(completion);
    JsonNode score = obj == null ? null : obj.get("score");
    if (score == null || score.isNull()) {
      return AbsoluteParser.parse(completion, finishReason, minScore, maxScore);
    }
    if (!score.isIntegralNumber() || !score.canConvertToInt()) {
      return ParsedJudgment.failed(JudgmentStatus.UNPARSEABLE, "score " + score + " is not an integer");
    }
    int s = score.intValue();
    if (s < minScore || s > maxScore) {
      return ParsedJudgment.failed(
          JudgmentStatus.UNPARSEABLE, "score " + s + " is outside the " + minScore + "-" + maxScore + " scale");
    }
    return ParsedJudgment.score(s, rationale(obj));
  }

  /** Parses a pairwise judge's structured answer, falling back to {@link PairwiseParser} for anything else. */
  public static ParsedJudgment parsePairwise(String completion, String finishReason) {
    JsonNode obj = object(completion);
    JsonNode verdict = obj == null ? null : obj.get("verdict");
    if (verdict == null || verdict.isNull()) {
      return PairwiseParser.parse(completion, finishReason);
    }
    Verdict v =
        switch (verdict.isTextual() ? verdict.asText().strip().toLowerCase(Locale.ROOT) : "") {
          case "a" -> Verdict.A;
          case "b" -> Verdict.B;
          case "tie" -> Verdict.TIE;
          default -> null;
        };
    if (v == null) {
      return ParsedJudgment.failed(JudgmentStatus.UNPARSEABLE, "verdict " + verdict + " is not A, B or tie");
    }
    return ParsedJudgment.verdict(v, rationale(obj));
  }

  private static String rationale(JsonNode obj) {
    JsonNode r = obj.get("rationale");
    return r != null && r.isTextual() ? r.asText().strip() : "";
  }

  /**
   * The answer as one JSON object, or null when it is not one (free text, an object cut off mid-way, an object with
   * text around it). A markdown fence around the object is tolerated: some servers add one despite the schema.
   */
  private static JsonNode object(String completion) {
    if (completion == null) {
      return null;
    }
    String s = completion.strip();
    if (s.startsWith("```")) {
      int nl = s.indexOf('\n');
      s = nl < 0 || !s.endsWith("```") ? s : s.substring(nl + 1, s.length() - 3).strip();
    }
    if (!s.startsWith("{") || !s.endsWith("}")) {
      return null;
    }
    try {
      JsonNode node = Json.mapper().readTree(s);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null; // not JSON after all: the text parsers decide
    }
  }
}
