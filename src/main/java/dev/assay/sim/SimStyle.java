package dev.assay.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A simulated model's own style, the mark by which a self-preferring judge recognises responses it wrote
 * ({@link ModelProfile#selfPreference()}).
 *
 * <p>A real model recognises its own text by its phrasing, not by its content. Here the phrasing is a response's
 * <i>skeleton</i>: its words with every slot word of the simulated policy (the nouns, adjectives, verbs and adverbs it
 * swaps to reach a target quality) replaced by one placeholder, so the sentence patterns, topic words and length
 * remain and the content words do not. A text is in model M's style when a hash of its skeleton keyed by the world
 * seed and M's name falls below {@value #SHARE_DENOMINATOR}<sup>-1</sup>: another model's text passes by chance in
 * about 1 case of {@value #SHARE_DENOMINATOR}. A model with a non-zero self-preference drafts until its draft is in
 * its style ({@link SimPolicy}; when a length offers none, it writes a sentence more); swaps exchange slot words only, so they never change the skeleton, and the quality
 * of the response is what it would have been. Models without self-preference write exactly as before.
 *
 * <p>Pure: a function of the text, the world seed and the model's name. Whitespace, case and punctuation do not
 * matter, so a judge sees the same mark in a response a template trimmed.
 */
final class SimStyle {
  /** One text in this many is in a given model's style by chance. */
  static final int SHARE_DENOMINATOR = 256;

  /**
   * Drafts of one length a policy tries before it writes one sentence more: a two-sentence text has only a few hundred
   * skeletons, and none of them may be in the style; a longer one has thousands.
   */
  static final int DRAFTS_PER_LENGTH = 1024;

  private static final Set<String> SLOT_WORDS = slotWords();

  private SimStyle() {}

  /** Whether {@code text} is in {@code model}'s style. */
  static boolean isOwn(long worldSeed, ModelProfile model, String text) {
    long h = SimHash.key(worldSeed, SimHash.of(model.name()), SimHash.of(skeleton(text)));
    return SimHash.unit(h) * SHARE_DENOMINATOR < 1.0;
  }

  /** The text's words, normalised, each slot word replaced by {@code _}, joined by single spaces. */
  static String skeleton(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (String token : SimWorld.tokens(text)) {
      String w = SimWorld.normalize(token);
      if (w.isEmpty()) {
        continue;
      }
      out.append(out.length() == 0 ? "" : " ").append(SLOT_WORDS.contains(w) ? "_" : w);
    }
    return out.toString();
  }

  private static Set<String> slotWords() {
    Set<String> words = new HashSet<>();
    for (List<String> kind : SimPolicy.slotWords()) {
      words.addAll(kind);
    }
    return Set.copyOf(words);
  }
}
