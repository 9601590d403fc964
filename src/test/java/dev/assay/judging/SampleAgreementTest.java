package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleAgreementTest {
  private static Judgment absolute(String candidate, int sample, Integer score) {
    JudgmentStatus status = score == null ? JudgmentStatus.UNPARSEABLE : JudgmentStatus.OK;
    return new Judgment("self/" + candidate + "/" + sample, "p", JudgmentKind.ABSOLUTE, "self", "m", "absolute@1",
        candidate, null, sample, status, score, null, "", "raw", ReferenceMode.NONE, null, "llm", null);
  }

  @Test
  void countsParsedSamplesAndUnanimousItems() {
    List<Judgment> js = new ArrayList<>();
    js.add(absolute("a", 0, 5));
    js.add(absolute("a", 1, 5));
    js.add(absolute("b", 0, 1));
    js.add(absolute("b", 1, 2));
    js.add(absolute("c", 0, 3));
    js.add(absolute("c", 1, null)); // unparseable: c has one ok sample, so it is not an item with two
    SampleAgreement a = SampleAgreement.of("self", js);
    assertThat(a.requests(), is(6L));
    assertThat(a.ok(), is(5L));
    assertThat(a.items(), is(2L));
    assertThat(a.unanimous(), is(1L));
    assertThat(a.parseRate(), closeTo(5.0 / 6, 1e-12));
  }

  @Test
  void alphaIsOneWhenSamplesAgreeAndLowWhenTheyDoNot() {
    List<Judgment> agree = List.of(absolute("a", 0, 5), absolute("a", 1, 5), absolute("b", 0, 1), absolute("b", 1, 1), absolute("c", 0, 3), absolute("c", 1, 3));
    assertThat(SampleAgreement.of("self", agree).alpha(JudgmentKind.ABSOLUTE), closeTo(1.0, 1e-12));
    // Two items whose samples are swapped copies of each other: disagreement as large as it gets, alpha < 0.
    List<Judgment> disagree = List.of(absolute("a", 0, 1), absolute("a", 1, 5), absolute("b", 0, 5), absolute("b", 1, 1));
    assertThat(SampleAgreement.of("self", disagree).alpha(JudgmentKind.ABSOLUTE) < 0, is(true));
  }
}
