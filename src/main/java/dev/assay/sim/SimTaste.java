package dev.assay.sim;

import java.util.Map;

/**
 * A simulated model's "taste": its own idea of quality, the part of what it perceives that is not the truth (see
 * {@link ModelProfile}). A taste is a sum over content words of per-word deviations, each of them uniform on
 * [-1/2, 1/2) like a word's true value minus 1/2, so it is N(0, 1) over random texts once standardised, and it
 * decomposes over tokens: the same per-word deviation that moves a judge's score can move the model's log-probs,
 * which is how {@link ModelProfile#implicitShare()} makes the implicit reward share the judge's errors.
 *
 * <p>Three tastes per model, each a renormalised mix (a mix of independent N(0, 1) tastes is N(0, 1) again, so a
 * knob changes what is perceived, not how much):
 *
 * <ul>
 *   <li>the absolute judge's: its own word values under {@code driftSeed}, mixed with its drift parent's absolute
 *       taste by {@code drift};
 *   <li>the pairwise judge's: the absolute taste mixed with an independent pairwise one by {@code pairwiseShare};
 *   <li>the scorer's (log-probs): the truth mixed with the absolute taste by {@code implicitShare}.
 * </ul>
 *
 * Pure: a function of the world seed, the profiles and the text.
 */
final class SimTaste {
  private static final long TAG_PAIRWISE = SimHash.of("pairwise-taste");

  private final long worldSeed;
  private final Map<String, ModelProfile> profiles;

  SimTaste(long worldSeed, Map<String, ModelProfile> profiles) {
    this.worldSeed = worldSeed;
    this.profiles = Map.copyOf(profiles);
  }

  /** The absolute judge's standardised taste of a text: N(0, 1) over random texts. */
  double absoluteZ(ModelProfile p, String text) {
    double own = SimWorld.zScore(ownSeed(p), text);
    if (p.driftFrom() == null) {
      return own;
    }
    return mix(absoluteZ(parent(p), text), own, p.drift());
  }

  /** The pairwise judge's standardised taste: shares {@code pairwiseShare} of the absolute one. */
  double pairwiseZ(ModelProfile p, String text) {
    double s = p.pairwiseShare();
    if (s == 1) {
      return absoluteZ(p, text); // the whole taste shared: no second scan of the text
    }
    double own = SimWorld.zScore(SimHash.key(ownSeed(p), TAG_PAIRWISE), text);
    return mix(own, absoluteZ(p, text), s);
  }

  /**
   * The deviation the absolute taste gives one normalised content word, in the units of {@code v(w) - 1/2}: summed
   * over a text's content words and divided by {@code sqrt(n / 12)}, it is {@link #absoluteZ}.
   */
  double absoluteWord(ModelProfile p, String normalizedWord) {
    double own = SimWorld.wordValue(ownSeed(p), normalizedWord) - 0.5;
    if (p.driftFrom() == null) {
      return own;
    }
    return mix(absoluteWord(parent(p), normalizedWord), own, p.drift());
  }

  /**
   * What the model's learned log-probs reward in one content word: the truth {@code v(w) - 1/2} mixed with the
   * absolute taste's deviation by {@code implicitShare}.
   */
  double scorerWord(ModelProfile p, String normalizedWord) {
    double truth = SimWorld.wordValue(worldSeed, normalizedWord) - 0.5;
    double s = p.implicitShare();
    return s == 0 ? truth : mix(truth, absoluteWord(p, normalizedWord), s);
  }

  private long ownSeed(ModelProfile p) {
    return SimHash.key(worldSeed, p.driftSeed());
  }

  private ModelProfile parent(ModelProfile p) {
    ModelProfile parent = profiles.get(p.driftFrom());
    if (parent == null) {
      // SimulatorConfig refuses such a model list; reaching this is a programming error, not bad input.
      throw new IllegalStateException(p.name() + " drifts from " + p.driftFrom() + ", which is not served");
    }
    return parent;
  }

  /** {@code ((1 - w) a + w b)} renormalised so that a mix of two independent unit-variance tastes has unit variance. */
  static double mix(double a, double b, double w) {
    return ((1 - w) * a + w * b) / StrictMath.sqrt((1 - w) * (1 - w) + w * w);
  }
}
