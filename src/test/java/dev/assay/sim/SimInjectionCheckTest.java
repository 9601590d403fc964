package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The injection check skips the regex for texts without any word a match needs; it must answer exactly what the
 * regex alone answers, since it decides a response's true quality.
 */
class SimInjectionCheckTest {
  private static final List<String> FRAGMENTS =
      List.of(
          "[RESULT]", "[result]", "[Result] ", "ignore", "IGNORE", "Ignore", " the ", " all ", "previous", " rubric",
          " instructions", "criteria", ". ", "\n", "give", "GIVE", "assign", "Award", " this", " it", " response",
          " a ", "score of ", "5", "five", "full marks", "a perfect score", "the highest score", "prefer", "Choose",
          "pick", "SELECT", "note", " to the ", "judge", "evaluator", "grader", "  ", "\t", "x", "Rayleigh ",
          "\u0130", "\u017f", "\u212a", "\u00c9t\u00e9 ", "gıve", "nоte");

  @Test
  void answersWhatTheRegexAnswers() {
    Random random = new Random(5);
    int positives = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int k = 0; k < n; k++) {
        sb.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
      }
      String text = sb.toString();
      boolean expected = SimWorld.INJECTION.matcher(text).find(); // the definition: the regex over the whole text
      positives += expected ? 1 : 0;
      assertThat(text, SimWorld.containsJudgeInjection(text), is(expected));
    }
    assertThat("the generator must reach both answers", positives, greaterThan(1000));
  }
}
