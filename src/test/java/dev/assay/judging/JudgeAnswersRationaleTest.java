package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rationale cut is defined by two regexes applied with {@code replaceFirst}; the parser applies them over the
 * only region where they can match. These tests hold the cut to the definition on edge cases and random texts.
 */
class JudgeAnswersRationaleTest {
  private static final Pattern LEADING_LABEL =
      Pattern.compile("^(?:#+\\s*)?[*_]*(?:feedback|rationale|explanation|reasoning|evaluation)[*_]*\\s*:[*_]*\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern TRAILING_DECORATION = Pattern.compile("(?:[\\s*_#>`-]|```(?:json)?)+$");

  private static String definition(String completion, int markerStart) {
    String before = completion.substring(0, markerStart).strip();
    before = LEADING_LABEL.matcher(before).replaceFirst("");
    return TRAILING_DECORATION.matcher(before).replaceFirst("").strip();
  }

  @Test
  void edgeCases() {
    List<String> texts =
        List.of(
            "", "   ", "Feedback:", "**Feedback:** Good answer. ---", "## Rationale: fine\n```json", "ok ```json",
            "ok ```jso", "ok json", "ok ```json```json ``` - >", "json", "```json", "a```json\n\n**", "x `json",
            "Evaluation : nice *_#>`-", "feedback: feedback: twice", "trailing\u000B\f", "no decoration", "n",
            "The answer is sound.\n\n```json\n", "Reasoning:\n\n- point one\n- point two\n\n---");
    for (String t : texts) {
      assertThat(t, JudgeAnswers.rationale(t + " [RESULT] 4", t.length()), is(definition(t + " [RESULT] 4", t.length())));
    }
  }

  @Test
  void randomTexts() {
    String alphabet = "abjsonJSON `*_#>-:\n\t\u000B\f\rFeedback";
    Random random = new Random(11);
    for (int i = 0; i < 20000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(40);
      for (int k = 0; k < n; k++) {
        sb.append(random.nextInt(8) == 0 ? "```json" : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
      }
      String t = sb.toString();
      assertThat(t, JudgeAnswers.rationale(t, t.length()), is(definition(t, t.length())));
    }
  }
}
