package dev.assay.curation.filters;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Prompt;
import dev.assay.run.StageCount;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exact and near-duplicate removal: which twin is kept, the evidence, determinism, accounting. */
class DedupeTest {
  /** 60 distinct words; one substituted word changes 3 of 58 three-word shingles: Jaccard 55/61 = 0.90. */
  static String longText(String swap) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      sb.append(i == 30 && swap != null ? swap : "w" + i).append(i % 7 == 6 ? ". " : " ");
    }
    return sb.toString();
  }

  private static FilterResult<Prompt> dedupe(List<Prompt> prompts, DedupeSpec config) {
    return Deduplicator.with(config).apply(prompts, Prompt::id, Prompt::text);
  }

  private static List<Prompt> sample() {
    return List.of(
        new Prompt("p3", "  What is   the capital of FRANCE? ", null),
        new Prompt("p1", "What is the capital of France?", null),
        new Prompt("p2", "Write a haiku about autumn leaves falling on a quiet pond", null),
        new Prompt("p9", longText("changed"), null),
        new Prompt("p5", longText(null), null),
        new Prompt("p4", "Explain quicksort to a ten year old", null));
  }

  @Test
  void exactDuplicatesAfterNormalisationNameTheKeptTwinWithTheSmallestId() {
    FilterResult<Prompt> r = dedupe(sample(), DedupeSpec.defaults());
    RemovedPrompt exact = r.removed().stream().filter(x -> x.id().equals("p3")).findFirst().orElseThrow();
    assertThat(exact.reason(), is(RemovedPrompt.DUPLICATE_EXACT));
    assertThat(exact.keptId(), is("p1"));
    assertThat(exact.stage(), is("dedupe"));
    assertThat(exact.input(), containsString("\"id\":\"p3\""));
  }

  @Test
  void nearDuplicatesCarryTheKeptTwinAndTheEstimatedJaccard() {
    FilterResult<Prompt> r = dedupe(sample(), DedupeSpec.defaults());
    RemovedPrompt near = r.removed().stream().filter(x -> x.id().equals("p9")).findFirst().orElseThrow();
    assertThat(near.reason(), is(RemovedPrompt.DUPLICATE_NEAR));
    assertThat(near.keptId(), is("p5"));
    assertThat(near.jaccard(), greaterThanOrEqualTo(0.8));
    assertThat(near.jaccard(), closeTo(55.0 / 61, 0.12));
    assertThat(r.kept().stream().map(Prompt::id).toList(), contains("p1", "p2", "p4", "p5"));
  }

  @Test
  void theThresholdIsConfigurable() {
    FilterResult<Prompt> strict = dedupe(sample(), DedupeSpec.defaults().withThreshold(0.99));
    assertThat(strict.kept().stream().map(Prompt::id).toList(), contains("p1", "p2", "p4", "p5", "p9"));
    assertThat(strict.removed().size(), is(1));
  }

  @Test
  void inEqualsKeptPlusRemovedWithCountsPerReason() {
    StageCount c = dedupe(sample(), DedupeSpec.defaults()).stageCount();
    assertThat(c.in(), is(6L));
    assertThat(c.out(), is(4L));
    assertThat(c.rejected(), is(2L));
    assertThat(c.balanced(), is(true));
    assertThat(c.reasons(), equalTo(Map.of("duplicate_exact", 1L, "duplicate_near", 1L)));
  }

  @Test
  void arrivalOrderDoesNotMatter() {
    FilterResult<Prompt> reference = dedupe(sample(), DedupeSpec.defaults());
    Random random = new Random(3);
    for (int i = 0; i < 10; i++) {
      List<Prompt> shuffled = new ArrayList<>(sample());
      Collections.shuffle(shuffled, random);
      assertThat(dedupe(shuffled, DedupeSpec.defaults()), equalTo(reference));
    }
  }

  @Test
  void aNearDuplicateOfAnExactDuplicateNamesAKeptRecord() {
    List<Prompt> prompts =
        List.of(
            new Prompt("a", longText(null), null),
            new Prompt("b", longText("x1"), null),
            new Prompt("c", longText("x1").toUpperCase(), null));
    FilterResult<Prompt> r = dedupe(prompts, DedupeSpec.defaults());
    assertThat(r.kept().stream().map(Prompt::id).toList(), contains("a"));
    for (RemovedPrompt x : r.removed()) {
      assertThat(x.keptId(), is("a"));
    }
  }

  @Test
  void textsWithoutWordsAreOnlyExactDuplicates() {
    List<Prompt> prompts =
        List.of(new Prompt("a", "???", null), new Prompt("b", "!!!", null), new Prompt("c", " ??? ", null));
    FilterResult<Prompt> r = dedupe(prompts, DedupeSpec.defaults());
    assertThat(r.kept().stream().map(Prompt::id).toList(), contains("a", "b"));
    assertThat(r.removed().get(0).keptId(), is("a"));
  }

  @Test
  void sharedIdsAndBadSettingsAreRefused() {
    List<Prompt> twice = List.of(new Prompt("a", "x", null), new Prompt("a", "y", null));
    assertThrows(IllegalArgumentException.class, () -> dedupe(twice, DedupeSpec.defaults()));
    assertThrows(IllegalArgumentException.class, () -> new DedupeSpec(0, 3, 128, 32, 1));
    assertThrows(IllegalArgumentException.class, () -> new DedupeSpec(0.8, 3, 128, 30, 1));
    assertThrows(IllegalArgumentException.class, () -> new DedupeSpec(0.8, 0, 128, 32, 1));
  }

  @Test
  void minHashEstimatesJaccardAndIsSeeded() {
    MinHash mh = MinHash.of(128, 32, 3, 42);
    String[] texts = {longText(null), longText("a"), "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 x y z q r s t u v",
        "completely different words appear in this sentence about gardening and tomatoes"};
    for (String a : texts) {
      for (String b : texts) {
        Set<String> sa = mh.shingles(a);
        Set<String> sb = mh.shingles(b);
        Set<String> union = new HashSet<>(sa);
        union.addAll(sb);
        Set<String> inter = new HashSet<>(sa);
        inter.retainAll(sb);
        double exact = (double) inter.size() / union.size();
        // Standard error at 128 permutations is at most 0.044; 4 standard errors.
        assertThat(MinHash.similarity(mh.signature(a), mh.signature(b)), closeTo(exact, 0.18));
      }
    }
    assertThat(MinHash.of(128, 32, 3, 42).signature(texts[0]), equalTo(mh.signature(texts[0])));
    assertThat(
        MinHash.similarity(MinHash.of(128, 32, 3, 7).signature(texts[0]), mh.signature(texts[0])) < 0.2, is(true));
  }
}
