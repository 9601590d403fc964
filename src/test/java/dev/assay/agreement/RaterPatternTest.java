package dev.assay.agreement;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Glob (default) and regex rater patterns, always matching the whole name. */
class RaterPatternTest {
  private static boolean m(String pattern, String rater) {
    return RaterPattern.parse(pattern).matches(rater);
  }

  @Test
  void globs() {
    assertThat(m("annotator*", "annotator12"), is(true));
    assertThat(m("annotator*", "my-annotator1"), is(false));
    assertThat(m("annotator?", "annotator1"), is(true));
    assertThat(m("annotator?", "annotator12"), is(false));
    assertThat(m("annotator[13]", "annotator3"), is(true));
    assertThat(m("annotator[!13]", "annotator3"), is(false));
    assertThat(m("judge-[a-c]", "judge-b"), is(true));
    assertThat(m("{gpt-4,claude*}", "claude-3"), is(true));
    assertThat(m("{gpt-4,claude*}", "gpt-4o"), is(false));
    assertThat(m("glob:*/swap", "gpt-4/swap"), is(true));
    // Regex metacharacters in a glob are literal.
    assertThat(m("a.b+(c)", "a.b+(c)"), is(true));
    assertThat(m("a.b", "axb"), is(false));
    assertThat(m("x\\*", "x*"), is(true));
    assertThat(m("x\\*", "xy"), is(false));
  }

  @Test
  void regexMatchesTheWholeName() {
    assertThat(m("regex:judge-[0-9]+", "judge-12"), is(true));
    assertThat(m("regex:judge", "judge-12"), is(false));
    assertThat(m("regex:.*(gpt|llama).*", "meta-llama-3"), is(true));
  }

  @Test
  void invalidPatterns() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> RaterPattern.parse("regex:(")).getMessage(),
        containsString("invalid regular expression"));
    assertThrows(IllegalArgumentException.class, () -> RaterPattern.parse("a[bc"));
    assertThrows(IllegalArgumentException.class, () -> RaterPattern.parse("{a,b"));
    assertThrows(IllegalArgumentException.class, () -> RaterPattern.parse("{a,{b}}"));
    assertThrows(IllegalArgumentException.class, () -> RaterPattern.parse(""));
  }
}
