package dev.assay.consistency;

import dev.assay.generation.Candidate;
import dev.assay.run.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A seeded sample of candidates for the anchor set ({@link AnchorSpec}) or the self-preference sample, taken by whole
 * prompts: consistency across iterations ranks the candidates of one prompt, so a prompt with a single anchor
 * candidate could measure nothing.
 *
 * <p>Each prompt gets the key {@code Seeds.derive(seed, "anchor", promptId)}; prompts are taken in key order (ties by
 * id) until the sample holds at least {@code size} candidates, all the candidates of each prompt taken (so it can
 * exceed {@code size} by less than one prompt's candidates). The sample depends only on the seed and the ids, not on
 * the order candidates arrive in, and is returned in id order. Two passes over the source: the first holds a count per
 * prompt, the second only the sample.
 */
public final class AnchorSet {
  private AnchorSet() {}

  /**
   * The sample of what {@code source} hands on.
   *
   * @param source hands every candidate to the consumer it is given; called twice
   * @param size the least number of candidates to take (fewer only when the source has fewer), >= 0
   * @param seed the sampling seed
   * @param exclude ids never taken (e.g. those already in the anchor set)
   */
  public static List<Candidate> sample(Consumer<Consumer<Candidate>> source, int size, long seed, Set<String> exclude) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0: " + size);
    }
    if (size == 0) {
      return List.of();
    }
    Map<String, Integer> perPrompt = new HashMap<>();
    source.accept(c -> {
      if (!exclude.contains(c.id())) {
        perPrompt.merge(c.promptId(), 1, Integer::sum);
      }
    });
    record Keyed(long key, String promptId) {}
    List<Keyed> prompts = new ArrayList<>();
    perPrompt.keySet().forEach(p -> prompts.add(new Keyed(Seeds.derive(seed, "anchor", p), p)));
    prompts.sort(Comparator.comparingLong(Keyed::key).thenComparing(Keyed::promptId));
    Set<String> chosen = new HashSet<>();
    long taken = 0;
    for (Keyed k : prompts) {
      if (taken >= size) {
        break;
      }
      chosen.add(k.promptId());
      taken += perPrompt.get(k.promptId());
    }
    List<Candidate> out = new ArrayList<>();
    source.accept(c -> {
      if (chosen.contains(c.promptId()) && !exclude.contains(c.id())) {
        out.add(c);
      }
    });
    out.sort(Comparator.comparing(Candidate::id));
    return out;
  }
}
