package dev.assay.consistency;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link SelfPreference} on hand-computed figures, and the anchor sample ({@link AnchorSet}). */
class SelfPreferenceTest {
  private static Judgment score(String judge, String candidate, int sample, Integer score) {
    return new Judgment(judge + "/" + candidate + "/" + sample, "p", JudgmentKind.ABSOLUTE, judge, "m", "absolute@0",
        candidate, null, sample, score == null ? JudgmentStatus.UNPARSEABLE : JudgmentStatus.OK, score, null, "", "raw",
        ReferenceMode.NONE, null, "llm", score == null ? "no score" : null);
  }

  /**
   * Self-judge: r1 5 and 3 (mean 4), r2 4, r3 3, r4 2; anchor: 3 on each. Own (model m: r1, r2) gaps 1 and 1, mean 1;
   * others' (r3, r4) gaps 0 and -1, mean -0.5. Self-preference 1.5 points, 1.5 / 4 = 0.375 of the 1-5 scale. An
   * unparseable sample and a response the anchor did not score are left out.
   */
  @Test
  void differenceInDifferencesOnHandComputedScores() {
    List<Judgment> js = new ArrayList<>(List.of(
        score("self", "r1", 0, 5), score("self", "r1", 1, 3), score("self", "r1", 2, null), score("self", "r2", 0, 4),
        score("self", "r3", 0, 3), score("self", "r4", 0, 2), score("self", "r5", 0, 5),
        score("anchor", "r1", 0, 3), score("anchor", "r2", 0, 3), score("anchor", "r3", 0, 3), score("anchor", "r4", 0, 3)));
    Map<String, String> modelOf = Map.of("r1", "m", "r2", "m", "r3", "x", "r4", "y", "r5", "m");
    SelfPreference sp = SelfPreference.of(js, "self", "anchor", "m", modelOf, 1, 5, 7);
    assertThat(sp.own(), is(2L));
    assertThat(sp.others(), is(2L));
    assertThat(sp.ownGap(), closeTo(1.0, 1e-12));
    assertThat(sp.otherGap(), closeTo(-0.5, 1e-12));
    assertThat(sp.points(), closeTo(1.5, 1e-12));
    assertThat(sp.preference(), closeTo(0.375, 1e-12));
    // Resampling two gaps per group: own always 1, others' mean in {0, -0.5, -1}: points 1, 1.5 or 2.
    assertThat(sp.lower(), closeTo(0.25, 1e-12));
    assertThat(sp.upper(), closeTo(0.5, 1e-12));
    assertThat(SelfPreference.of(js, "self", "anchor", "m", modelOf, 1, 5, 7), is(sp));
  }

  @Test
  void undefinedWithoutResponsesOfAnotherModel() {
    List<Judgment> js = List.of(score("self", "r1", 0, 5), score("anchor", "r1", 0, 3));
    SelfPreference sp = SelfPreference.of(js, "self", "anchor", "m", Map.of("r1", "m"), 1, 5, 7);
    assertThat(sp.defined(), is(false));
    assertThat(sp.preference(), nullValue());
    assertThat(sp.note(), containsString("no response written by another model than m"));
  }

  private static Candidate candidate(String prompt, int sample) {
    return new Candidate(prompt + "/m/" + sample, prompt, "q", null, "r", "m", sample, "stop", null);
  }

  @Test
  void anchorSampleTakesWholePromptsWhateverTheOrder() {
    List<Candidate> all = new ArrayList<>();
    for (int p = 0; p < 30; p++) {
      for (int s = 0; s < 4; s++) {
        all.add(candidate(String.format("q%02d", p), s));
      }
    }
    List<Candidate> sample = AnchorSet.sample(all::forEach, 10, 42, Set.of());
    assertThat("three whole prompts: the first two hold 8 < 10", sample.size(), is(12));
    assertThat(sample.stream().map(Candidate::promptId).distinct().count(), is(3L));
    List<Candidate> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, new java.util.Random(1));
    assertThat(AnchorSet.sample(shuffled::forEach, 10, 42, Set.of()), is(sample));
    assertThat("another seed, other prompts", AnchorSet.sample(all::forEach, 10, 43, Set.of()).equals(sample), is(false));
    Set<String> taken = Set.of(sample.get(0).id());
    assertThat(AnchorSet.sample(all::forEach, 10, 42, taken).stream().anyMatch(c -> taken.contains(c.id())), is(false));
    assertThat(AnchorSet.sample(all::forEach, 1000, 42, Set.of()).size(), is(all.size()));
    assertThat(AnchorSet.sample(all::forEach, 0, 42, Set.of()).size(), lessThan(1));
  }
}
