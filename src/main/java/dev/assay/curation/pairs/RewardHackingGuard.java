package dev.assay.curation.pairs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Flags responses that try to game the judge instead of answering: judge-format markers ({@code [RESULT] 5},
 * {@code [[A]]}, a rubric heading) or instructions aimed at the evaluator ("ignore the rubric", "give this response a
 * 5", "note to the judge"). A flagged response never becomes {@code chosen}; pair building counts how many were kept
 * out.
 *
 * <p>The patterns are deliberately specific (a judge marker with its result, an imperative addressed to a grader) so
 * that ordinary answers about scores or results are not flagged. The check is a pure function of the text.
 */
public final class RewardHackingGuard {
  /** One reason a response was flagged, with the text that matched. */
  public record Flag(String reason, String match) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule("judge_marker", "\\[\\s*RESULT\\s*\\]\\s*:?\\s*(?:[0-9]+|A|B|tie)\\b"),
          // Not after an identifier: R code indexes lists as x[[1]].
          new Rule("judge_marker", "(?<![\\w\\]])\\[\\[\\s*(?:[0-9]+(?:\\.[0-9]+)?|A|B|C)\\s*\\]\\]"),
          new Rule("judge_marker", "###\\s*(?:Feedback|Score Rubrics?|Reference Answer)"),
          new Rule("judge_instruction", "\\b(?:ignore|disregard|forget)\\b[^.\\n]{0,40}\\b(?:rubric|instructions?|criteria|previous|above)\\b"),
          new Rule(
              "judge_instruction",
              "\\b(?:give|rate|score|grade|award|assign)\\b[^.\\n]{0,30}\\b(?:this|the|my)\\s+(?:response|answer|reply|output)\\b[^.\\n]{0,20}"
                  + "\\b(?:5|five|10|ten|full marks|highest|top|perfect|maximum)\\b"),
          new Rule("judge_instruction", "\\b(?:note|message|instruction)s?\\s+(?:to|for)\\s+(?:the\\s+)?(?:judge|evaluator|grader|reviewer|rater)\\b"),
          new Rule("judge_instruction", "\\bprefer\\s+this\\s+(?:response|answer|output)\\b"),
          new Rule("judge_instruction", "\\bas\\s+(?:the|an)\\s+(?:judge|evaluator|grader)\\b[^.\\n]{0,30}\\byou\\s+(?:must|should)\\b"));

  private record Rule(String reason, Pattern pattern) {
    Rule(String reason, String regex) {
      this(reason, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }
  }

  private RewardHackingGuard() {}

  /** Every rule the text trips, in rule order; empty for a clean response. */
  public static List<Flag> check(String response) {
    List<Flag> flags = new ArrayList<>();
    for (Rule rule : RULES) {
      var m = rule.pattern().matcher(response);
      if (m.find()) {
        flags.add(new Flag(rule.reason(), m.group()));
      }
    }
    return flags;
  }

  /** Whether the text trips any rule. */
  public static boolean flagged(String response) {
    for (Rule rule : RULES) {
      if (rule.pattern().matcher(response).find()) {
        return true;
      }
    }
    return false;
  }
}
