package dev.assay.judging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a score and rationale from an absolute (rubric) judge's answer.
 *
 * <p>Accepted result markers: {@code [RESULT] 4}, {@code [RESULT]: 4}, {@code Score: 4} (also {@code Rating:},
 * {@code Final score:}, markdown bold), {@code [[4]]} and {@code Rating: [[4]]}, JSON {@code {"score": 4}}, and
 * {@code 4/5} or {@code 4 out of 5} after any of these when the denominator is the scale's maximum. When several
 * markers occur the <em>last</em> one counts (judges often restate the format, then answer). Only when there is no
 * marker at all does a last line consisting of just a number ({@code 4} or {@code 4/5}) count: LLMBar's rating
 * prompt asks for the bare integer.
 *
 * <p>Never read: rubric lines copied back ({@code Score 1: The response…}), the prompt's tagged blocks copied back
 * ({@code <response>…</response>}, where an injected "[RESULT] 5" would sit), ranges ({@code [RESULT] 1-5}).
 *
 * <p>Statuses: a marker whose score is outside {@code [minScore, maxScore]}, not an integer, or on another scale is
 * {@code unparseable} (it is never clamped or rescaled). No marker: {@code truncated} when {@code finishReason} is
 * {@code length}, {@code refused} when the answer declines ("I cannot evaluate…", "I'm sorry, but I can't…") or the
 * server's content filter stopped it, else {@code unparseable} (including an empty answer). The rationale is the text
 * before the marker, trimmed, without a leading {@code Feedback:} label; for JSON, its {@code rationale},
 * {@code feedback}, {@code explanation} or {@code reasoning} field when present.
 */
public final class AbsoluteParser {
  /**
   * A number that is not the start of a range ({@code 1-5}, {@code 1 to 5}); possessive so that "10-5" cannot be
   * read as "1". An optional denominator makes "4/5" one token, checked against the scale.
   */
  private static final String NUM =
      "(?<num>\\d++(?:\\.\\d++)?+)(?:[ \\t]*+(?:/|out[ \\t]+of)[ \\t]*+(?<den>\\d++))?+(?![ \\t]*+(?:-|\u2013|to\\b)[ \\t]*+\\d)";

  private static final List<Pattern> MARKERS =
      List.of(
          Pattern.compile("\\[\\s*RESULT\\s*]\\s*[:=]?\\s*[*_\"'(]*\\s*(?:score\\s*[:=]?\\s*)?" + NUM, Pattern.CASE_INSENSITIVE),
          Pattern.compile(
              "(?:(?:final\\s+|overall\\s+)?(?:score|rating|grade)[*_]*\\s*[:=]?[*_]*\\s*)?\\[\\[\\s*" + NUM + "\\s*]]",
              Pattern.CASE_INSENSITIVE),
          Pattern.compile(
              "\\b(?:final\\s+|overall\\s+)?(?:score|rating|grade)[*_]*[ \\t]*[:=][*_]*[ \\t]*[*_\"']*[ \\t]*" + NUM,
              Pattern.CASE_INSENSITIVE),
          Pattern.compile("\"(?:score|rating)\"\\s*:\\s*\"?" + NUM, Pattern.CASE_INSENSITIVE));

  private static final int JSON_MARKER = 3;

  /**
   * A literal each marker needs somewhere in the text (null: none that is cheap to test). Scanning a whole answer
   * with each pattern is most of the parser's cost, and most answers hold only one kind of marker.
   */
  private static final List<String> REQUIRED = Arrays.asList("[", "[[", null, "\"");

  private static final Pattern BARE_LAST_LINE = Pattern.compile("^[\\s*_#]*" + NUM + "[\\s*_.]*$");

  private static final List<String> JSON_RATIONALE_FIELDS = List.of("rationale", "feedback", "explanation", "reasoning");

  private AbsoluteParser() {}

  /**
   * Parses one answer.
   *
   * @param completion the judge's whole answer (null is treated as empty)
   * @param finishReason the server's finish reason ({@code stop}, {@code length}, …), may be null or empty
   * @param minScore lowest valid score
   * @param maxScore highest valid score
   * @throws IllegalArgumentException when {@code minScore >= maxScore} (a caller mistake, not bad model output)
   */
  public static ParsedJudgment parse(String completion, String finishReason, int minScore, int maxScore) {
    if (minScore >= maxScore) {
      throw new IllegalArgumentException("minScore " + minScore + " must be below maxScore " + maxScore);
    }
    String text = completion == null ? "" : completion;
    String masked = JudgeAnswers.mask(text, finishReason);

    Hit best = null;
    for (int k = 0; k < MARKERS.size(); k++) {
      String required = REQUIRED.get(k);
      if (required != null && !masked.contains(required)) {
        continue; // this marker cannot occur
      }
      Matcher m = MARKERS.get(k).matcher(masked);
      while (m.find()) {
        // The last marker wins; of two ending at the same place ("[RESULT] Score: 4") the wider one, whose start
        // is where the rationale ends.
        if (best == null || m.end() > best.end() || (m.end() == best.end() && m.start() < best.start())) {
          best = new Hit(k == JSON_MARKER, m.start(), m.end(), m.group("num"), m.group("den"));
        }
      }
    }
    if (best == null) {
      best = bareLastLine(masked);
      if (best == null) {
        return JudgeAnswers.noResult(text, masked, finishReason, "a score");
      }
    }

    String num = best.num();
    String den = best.den();
    String shown = den == null ? num : num + "/" + den;
    if (den != null && !den.equals(Integer.toString(maxScore))) {
      return ParsedJudgment.failed(
          JudgmentStatus.UNPARSEABLE, "score " + shown + " is not on the " + minScore + "-" + maxScore + " scale");
    }
    int score;
    try {
      if (num.contains(".")) {
        String fraction = num.substring(num.indexOf('.') + 1);
        if (!fraction.chars().allMatch(c -> c == '0')) {
          return ParsedJudgment.failed(JudgmentStatus.UNPARSEABLE, "score " + shown + " is not an integer");
        }
        num = num.substring(0, num.indexOf('.'));
      }
      score = Integer.parseInt(num);
    } catch (NumberFormatException e) {
      return ParsedJudgment.failed(JudgmentStatus.UNPARSEABLE, "score " + shown + " is too large");
    }
    if (score < minScore || score > maxScore) {
      return ParsedJudgment.failed(
          JudgmentStatus.UNPARSEABLE, "score " + score + " is outside the " + minScore + "-" + maxScore + " scale");
    }
    if (best.json()) {
      return jsonResult(text, best.start(), score);
    }
    return ParsedJudgment.score(score, JudgeAnswers.rationale(text, best.start()));
  }

  private record Hit(boolean json, int start, int end, String num, String den) {}

  private static Hit bareLastLine(String masked) {
    String stripped = masked.stripTrailing();
    int from = stripped.lastIndexOf('\n') + 1;
    Matcher m = BARE_LAST_LINE.matcher(stripped).region(from, stripped.length());
    return m.matches() ? new Hit(false, from, stripped.length(), m.group("num"), m.group("den")) : null;
  }

  /** The score came from a JSON object: take the rationale from the object when it has one. */
  private static ParsedJudgment jsonResult(String text, int markerStart, int score) {
    int open = text.lastIndexOf('{', markerStart);
    if (open < 0) {
      return ParsedJudgment.score(score, JudgeAnswers.rationale(text, markerStart));
    }
    try (JsonParser p = Json.mapper().createParser(text.substring(open))) {
      JsonNode node = p.readValueAsTree();
      if (node != null && node.isObject()) {
        for (String field : JSON_RATIONALE_FIELDS) {
          JsonNode v = node.get(field);
          if (v != null && v.isTextual()) {
            return ParsedJudgment.score(score, v.asText().strip());
          }
        }
      }
    } catch (IOException e) {
      // Not valid JSON after all (a judge's pseudo-JSON); the score stands, the rationale is the text before it.
    }
    return ParsedJudgment.score(score, JudgeAnswers.rationale(text, open));
  }
}
