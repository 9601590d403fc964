package dev.assay.judging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the absolute and pairwise parsers share: hiding text the judge merely echoed from the prompt, recognising a
 * refusal, deciding the status of an answer with no result, and cutting the rationale.
 */
final class JudgeAnswers {
  /**
   * A closed block of prompt data the judge copied back. Whatever it holds (a response saying "[RESULT] 5", an
   * instruction) is the prompt's text, not the judge's verdict.
   */
  private static final Pattern ECHOED_BLOCK =
      Pattern.compile(
          "<(instruction|response_a|response_b|response|reference|rubric)>.*?</\\1>",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final Pattern OPEN_TAG =
      Pattern.compile("<(?:instruction|response_a|response_b|response|reference|rubric)>", Pattern.CASE_INSENSITIVE);

  /** A rubric line ("Score 3: The response …") copied back: the number names a level, it is not a score given. */
  private static final Pattern RUBRIC_LINE =
      Pattern.compile("^[ \\t>*_#-]*Score[ \\t]+\\d+[ \\t]*[:：].*$", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

  private static final String APOS = "['\u2019]";
  private static final Pattern REFUSAL =
      Pattern.compile(
          "\\bI(?:\\s+(?:cannot|can" + APOS + "t|can\\s+not|am\\s+unable\\s+to|am\\s+not\\s+able\\s+to|won" + APOS
              + "t|will\\s+not)|" + APOS + "m\\s+unable\\s+to|" + APOS + "m\\s+not\\s+able\\s+to)\\s+"
              + "(?:evaluate|assess|rate|score|grade|judge|compare|review|provide|give|help|assist|comply|do\\s+that|"
              + "complete|fulfil)"
              + "|\\bI(?:" + APOS + "m|\\s+am)\\s+(?:sorry|afraid)[,.]?\\s+(?:but\\s+)?I\\s+(?:cannot|can" + APOS
              + "t|can\\s+not|am\\s+unable|won" + APOS + "t|will\\s+not)"
              + "|\\bas\\s+an\\s+AI(?:\\s+language\\s+model)?,?\\s+I\\s+(?:cannot|can" + APOS
              + "t|am\\s+(?:not\\s+able|unable)|do\\s+not|don" + APOS + "t)",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern LEADING_LABEL =
      Pattern.compile("^(?:#+\\s*)?[*_]*(?:feedback|rationale|explanation|reasoning|evaluation)[*_]*\\s*:[*_]*\\s*", Pattern.CASE_INSENSITIVE);

  private static final Pattern TRAILING_DECORATION = Pattern.compile("(?:[\\s*_#>`-]|```(?:json)?)+$");

  private JudgeAnswers() {}

  /**
   * {@code text} with echoed prompt blocks and rubric lines blanked out, same length so match positions index the
   * original. An opening tag with no closing tag is blanked to the end only when the answer was cut by the token
   * limit (the echo never finished); otherwise it is more likely the judge naming a tag in its reasoning.
   */
  static String mask(String text, String finishReason) {
    StringBuilder sb = new StringBuilder(text);
    blank(sb, ECHOED_BLOCK.matcher(text));
    blank(sb, RUBRIC_LINE.matcher(text));
    if (truncatedByLength(finishReason)) {
      Matcher open = OPEN_TAG.matcher(sb);
      if (open.find()) {
        for (int i = open.start(); i < sb.length(); i++) {
          sb.setCharAt(i, ' ');
        }
      }
    }
    return sb.toString();
  }

  private static void blank(StringBuilder sb, Matcher m) {
    while (m.find()) {
      for (int i = m.start(); i < m.end(); i++) {
        if (sb.charAt(i) != '\n') {
          sb.setCharAt(i, ' ');
        }
      }
    }
  }

  static boolean truncatedByLength(String finishReason) {
    return "length".equals(finishReason);
  }

  /** The status of an answer in which no result marker was found. */
  static ParsedJudgment noResult(String completion, String masked, String finishReason, String expected) {
    if (truncatedByLength(finishReason)) {
      return ParsedJudgment.failed(JudgmentStatus.TRUNCATED, "cut by the token limit before " + expected);
    }
    if ("content_filter".equals(finishReason)) {
      return ParsedJudgment.failed(JudgmentStatus.REFUSED, "stopped by the server's content filter before " + expected);
    }
    if (completion.isBlank()) {
      return ParsedJudgment.failed(JudgmentStatus.UNPARSEABLE, "empty answer");
    }
    Matcher r = REFUSAL.matcher(masked);
    if (r.find()) {
      return ParsedJudgment.failed(JudgmentStatus.REFUSED, "the judge declined: \"" + r.group() + "\"");
    }
    return ParsedJudgment.failed(JudgmentStatus.UNPARSEABLE, "no " + expected + " found");
  }

  /** The text before the result marker, without a leading "Feedback:" label or trailing markdown. */
  static String rationale(String completion, int markerStart) {
    String before = completion.substring(0, markerStart).strip();
    // The label can only match at the start: lookingAt() tries there alone, where replaceFirst's search would
    // try (and fail) at every position of the text.
    Matcher label = LEADING_LABEL.matcher(before);
    if (label.lookingAt()) {
      before = before.substring(label.end());
    }
    // The decoration runs to the end and holds no letters but the "json" of a fence, so it cannot start at or
    // before the last other character: searching only after it finds the same, leftmost match.
    int from = before.length();
    while (from > 0 && DECORATION_CHARS.indexOf(before.charAt(from - 1)) >= 0) {
      from--;
    }
    Matcher decoration = TRAILING_DECORATION.matcher(before).region(from, before.length());
    if (decoration.find()) {
      before = before.substring(0, decoration.start()) + before.substring(decoration.end());
    }
    return before.strip();
  }

  /** Every character TRAILING_DECORATION can consume: its class ({@code \s} is these six) and a fence's "json". */
  private static final String DECORATION_CHARS = " \t\n\u000B\f\r*_#>`-json";
}
