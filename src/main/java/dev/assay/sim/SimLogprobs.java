package dev.assay.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated token log-probs, built so that the DPO implicit reward means something.
 *
 * <p>A token is a run of spaces or tabs followed by non-space characters (GPT-style leading space), or a run of other
 * whitespace (newlines get their own token, so a prompt ending in a newline ends on a token boundary). Its log-prob
 * under model {@code m} given the previous token is
 *
 * <pre>
 *   base(prev, w)                                   model-independent, in [-6.5, -2.5]
 *   + FLUENCY * SLOPE * (v(w) - 1/2)                v = the word's hidden value for content words, 1/2 otherwise
 *   + m.learned * SLOPE * u_m(w)                    u = v - 1/2 mixed with m's judge taste (implicitShare)
 *   + NOISE_SD * N(0, 1)                            keyed by (model, prev, w)
 * </pre>
 *
 * capped below at -0.0001. The base and the fluency term cancel in {@code log p_t - log p_ref}, leaving
 * {@code SLOPE * sum(learned_t u_t - learned_ref u_ref)} plus noise: with implicit share 0 ({@code u = v - 1/2}) a
 * reward whose sign and size follow the response's standardised quality; with a larger share it follows the policy's
 * own judge taste too, so the implicit reward and that judge err together (see {@link SimTaste#scorerWord}). With FLUENCY > 0 even an unlearned model slightly prefers good words, so the
 * length-normalised log-likelihood correlates (weakly) with quality too.
 */
final class SimLogprobs {
  static final double FLUENCY = 0.5;
  static final double SLOPE = 2.0;
  static final double NOISE_SD = 0.3;
  private static final double BASE_MIN = 2.5;
  private static final double BASE_SPAN = 4.0;
  private static final long TAG_BASE = SimHash.of("logprob-base");
  private static final long TAG_NOISE = SimHash.of("logprob-noise");
  private static final Pattern TOKEN = Pattern.compile("[^\\S\\r\\n]*\\S+|\\s+");

  private final long worldSeed;
  private final SimTaste taste;

  SimLogprobs(long worldSeed, java.util.Map<String, ModelProfile> profiles) {
    this.worldSeed = worldSeed;
    this.taste = new SimTaste(worldSeed, profiles);
  }

  /** The tokens of a text, whose concatenation is the text. */
  static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The log-prob of {@code token} after {@code previous} (the previous token, or "" at the start). */
  double logprob(ModelProfile model, String previous, String token) {
    String prev = SimWorld.normalize(previous);
    String w = SimWorld.normalize(token);
    long pw = SimHash.key(SimHash.of(prev), SimHash.of(w));
    double base = -(BASE_MIN + BASE_SPAN * SimHash.unit(SimHash.key(worldSeed, TAG_BASE, pw)));
    boolean content = SimWorld.isContentWord(w);
    double truth = content ? SimWorld.wordValue(worldSeed, w) - 0.5 : 0;
    double learnedValue = content && model.learned() != 0 ? taste.scorerWord(model, w) : 0;
    double signal = FLUENCY * SLOPE * truth + model.learned() * SLOPE * learnedValue;
    double noise =
        NOISE_SD * new SimDraws(SimHash.key(worldSeed, TAG_NOISE, SimHash.of(model.name()), pw)).nextGaussian();
    double lp = Math.min(-0.0001, base + signal + noise);
    // Four decimals: enough for any reward, and short, stable JSON.
    return Math.round(lp * 10_000) / 10_000.0;
  }
}
