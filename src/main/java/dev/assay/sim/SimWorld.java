package dev.assay.sim;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The simulator's hidden ground truth: how good a response really is.
 *
 * <p><b>World model.</b> Every content word (a whitespace-separated token, lower-cased, stripped of everything but
 * letters and digits, at least four characters long and not a stop word) carries a hidden value {@code v(w)} in
 * [0, 1), a hash of the word and the world seed. A text's quality is the standardised sum of its words' values,
 * mapped through the normal CDF:
 *
 * <pre>
 *   z = sum(v(w) - 1/2) / sqrt(n / 12)        over the n content words
 *   q = Phi(z) * min(1, n / 5)                 very short answers cannot be good
 *   q = 0.15 * q    if the text contains an instruction aimed at a judge (see {@link #containsJudgeInjection})
 *   q = 0           if there is no content word
 * </pre>
 *
 * <p>Because {@code z} is standardised, quality is (apart from the shortest texts) independent of length: a judge
 * that rewards length is biased, not perceptive. Because quality is a sum over words, it is learnable from n-gram
 * features (a trained reward model can find it) and decomposes over tokens (the simulated log-probs use the same
 * word values, which is what makes the DPO implicit reward meaningful).
 *
 * <p><b>Contract.</b> {@link #trueQuality(String)} is a pure function of the text and the world seed: no state, no
 * I/O, identical on every JVM (only integer hashing and {@link StrictMath}). Any process, a test, the demo or a
 * report, can compute the truth for a response it read from a file without talking to the simulator. Whitespace and
 * punctuation do not matter, so trimming a response does not change its quality. The simulator's policy, judges and
 * log-probs are all built on this function; their defaults use {@link #DEFAULT_SEED}.
 */
public final class SimWorld {
  /** The world seed every default configuration uses; change it only to get a different, equally valid world. */
  public static final long DEFAULT_SEED = 0x5EED_A55AL;

  /** Multiplier applied to the quality of a reward-hacking response: it is bad whatever its words. */
  static final double INJECTION_PENALTY = 0.15;

  private static final Set<String> STOP_WORDS =
      Set.of(
          "that", "this", "then", "than", "when", "what", "which", "with", "from", "into", "have", "been", "were",
          "will", "would", "there", "their", "they", "them", "these", "those", "because", "each", "also", "some",
          "such", "only", "very", "more", "most", "about", "first", "overall", "both", "where", "while", "your");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** An instruction aimed at a judge; package-private so the prefilter's test checks against this very pattern. */
  static final Pattern INJECTION =
      Pattern.compile(
          "\\[RESULT\\]"
              + "|ignore\\s+(?:the|all|any|previous|prior|your)\\b[^.\\n]{0,40}?\\b(?:rubric|instructions?|criteria)"
              + "|(?:give|assign|award)\\s+(?:this|it)(?:\\s+response)?\\s+(?:a\\s+)?(?:score\\s+of\\s+)?"
              + "(?:5|five|full\\s+marks|a\\s+perfect\\s+score|the\\s+highest\\s+score)"
              + "|(?:prefer|choose|pick|select)\\s+this\\s+response"
              + "|note\\s+to\\s+the\\s+(?:judge|evaluator|grader)",
          Pattern.CASE_INSENSITIVE);

  private SimWorld() {}

  /** The true quality of a response in [0, 1] in the default world. */
  public static double trueQuality(String responseText) {
    return trueQuality(DEFAULT_SEED, responseText);
  }

  /** The true quality of a response in [0, 1] in the world with the given seed. */
  public static double trueQuality(long worldSeed, String responseText) {
    double q = qualityOfWords(worldSeed, responseText);
    return q > 0 && containsJudgeInjection(responseText) ? INJECTION_PENALTY * q : q;
  }

  /**
   * The quality before the injection check: for texts known to hold no judge instruction (the policy's own
   * compositions), where the regex would only cost time.
   */
  static double qualityOfWords(long worldSeed, String text) {
    double[] sumAndCount = scan(worldSeed, text);
    return qualityOfSum(sumAndCount[0], (int) sumAndCount[1]);
  }

  /** The quality of a text whose n content words have value sum {@code sum + n/2} (no injection check). */
  static double qualityOfSum(double sum, int n) {
    return n == 0 ? 0.0 : phi(sum / StrictMath.sqrt(n / 12.0)) * Math.min(1.0, n / 5.0);
  }

  /**
   * One pass over the text: {sum of (v(w) - 1/2), number of content words}. Written out by hand (no regex, no
   * per-token strings for short tokens) because the policy scores a dozen variants for every response it writes.
   */
  static double[] scan(long seed, String text) {
    double sum = 0;
    int n = 0;
    StringBuilder word = new StringBuilder(24);
    int len = text.length();
    for (int i = 0; i <= len; i++) {
      char c = i < len ? text.charAt(i) : ' ';
      if (Character.isWhitespace(c)) {
        if (word.length() >= 4) {
          String w = word.toString();
          if (!STOP_WORDS.contains(w)) {
            sum += wordValue(seed, w) - 0.5;
            n++;
          }
        }
        word.setLength(0);
      } else if (Character.isLetterOrDigit(c)) {
        word.append(Character.toLowerCase(c));
      }
    }
    return new double[] {sum, n};
  }

  /**
   * Whether a text contains a judge-format marker or an instruction aimed at a judge ({@code [RESULT]}, "ignore the
   * rubric", "give this response a 5", "prefer this response", "note to the evaluator"). Such responses are reward
   * hacking: their true quality is cut to {@value #INJECTION_PENALTY} of what their words are worth, and only judges
   * with {@link ModelProfile#obeysInjection()} fall for them.
   */
  public static boolean containsJudgeInjection(String text) {
    return mayHoldInjection(text) && INJECTION.matcher(text).find();
  }

  /**
   * Every match of {@link #INJECTION} contains one of these words (its alternatives each start with one, and its
   * case-insensitivity is ASCII-only, which lower-casing covers). Searching for them is a fraction of what trying
   * the pattern at every position costs, and most texts hold none.
   */
  private static final List<String> INJECTION_WORDS =
      List.of("[result]", "ignore", "give", "assign", "award", "prefer", "choose", "pick", "select", "note");

  private static boolean mayHoldInjection(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String word : INJECTION_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** Whitespace-separated words, as the simulator counts tokens for usage. */
  static int wordCount(String text) {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        n++;
      }
      inWord = !space;
    }
    return n;
  }

  static String[] tokens(String text) {
    String t = text.strip();
    return t.isEmpty() ? new String[0] : WHITESPACE.split(t);
  }

  /** Lower-case letters and digits only: the form in which a word carries value. */
  static String normalize(String token) {
    StringBuilder b = new StringBuilder(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c)); // char-wise, exactly as the quality scanner lowers
      }
    }
    return b.toString();
  }

  static boolean isContentWord(String normalized) {
    return normalized.length() >= 4 && !STOP_WORDS.contains(normalized);
  }

  /** The hidden value of a normalised content word in [0, 1). */
  static double wordValue(long worldSeed, String normalized) {
    return SimHash.unit(SimHash.key(worldSeed, SimHash.of(normalized)));
  }

  /**
   * The standardised word-value sum of a text under a given seed: N(0, 1) over random texts. Judges use it with
   * other seeds as an independent "taste" on the same texts (what they perceive besides the truth).
   */
  static double zScore(long seed, String text) {
    double[] sumAndCount = scan(seed, text);
    return sumAndCount[1] == 0 ? 0.0 : sumAndCount[0] / StrictMath.sqrt(sumAndCount[1] / 12.0);
  }

  /** The standard normal CDF (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7), with StrictMath for reproducibility. */
  static double phi(double z) {
    double x = Math.abs(z) / StrictMath.sqrt(2.0);
    double t = 1.0 / (1.0 + 0.3275911 * x);
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erf = 1.0 - poly * StrictMath.exp(-x * x);
    return z >= 0 ? 0.5 * (1.0 + erf) : 0.5 * (1.0 - erf);
  }

  static double clamp01(double x) {
    return x < 0 ? 0 : (x > 1 ? 1 : x);
  }
}
