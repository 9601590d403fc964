package dev.assay.rewards.verifier;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the {@code verifier} reward model compares a response with the reference answer.
 *
 * <ul>
 *   <li>{@link #EXACT}: equal after trimming leading and trailing whitespace; case and inner spacing count.
 *   <li>{@link #NORMALISED}: equal after {@link #normalise}: Unicode NFKC, lower case, punctuation and symbols
 *       deleted (except a {@code .} or {@code ,} between two digits), the articles a/an/the deleted, whitespace
 *       collapsed. The SQuAD answer normalisation, keeping numbers intact.
 *   <li>{@link #NUMERIC}: the last number in the response equals the last number in the reference within a relative
 *       tolerance of 1e-9 ({@link #lastNumber}); a response without a number does not match; a reference without a
 *       number cannot be checked.
 * </ul>
 *
 * The whole response must match: a long answer that merely contains the reference does not (use numeric mode for
 * "the answer is ..." responses to maths questions).
 */
public enum MatchMode {
  EXACT,
  NORMALISED,
  NUMERIC;

  /** What a check found. */
  public enum Outcome {
    /** The response matches the reference. */
    MATCH,
    /** It does not. */
    NO_MATCH,
    /** The reference holds nothing to compare with (numeric mode: no number in it). */
    UNCHECKABLE
  }

  /** Relative tolerance of {@link #NUMERIC}: allows float formatting noise, not a different answer. */
  public static final double RELATIVE_TOLERANCE = 1e-9;

  private static final Pattern ARTICLE = Pattern.compile("\\b(?:a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  /**
   * A number: optional sign (not glued to a preceding word or digit, so the "-" of "2024-05" is not a minus), digits
   * with optional thousands commas, optional decimals, optional exponent; or a bare decimal like ".5".
   */
  private static final Pattern NUMBER =
      Pattern.compile(
          "(?:(?<![\\w.])[-+\u2212])?(?<![\\d.])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][-+]?\\d+)?"
              + "|(?:(?<![\\w.])[-+\u2212])?(?<![\\d])\\.\\d+(?:[eE][-+]?\\d+)?");

  /** The mode of a recipe's {@code match:} value ({@code exact}, {@code normalised}, {@code numeric}). */
  public static MatchMode parse(String value) {
    return switch (value) {
      case "exact" -> EXACT;
      case "normalised" -> NORMALISED;
      case "numeric" -> NUMERIC;
      default -> throw new IllegalArgumentException("match must be exact, normalised or numeric: " + value);
    };
  }

  /** Compares a response with a reference answer (non-null, non-blank). */
  public Outcome check(String response, String reference) {
    return switch (this) {
      case EXACT -> response.trim().equals(reference.trim()) ? Outcome.MATCH : Outcome.NO_MATCH;
      case NORMALISED -> normalise(response).equals(normalise(reference)) ? Outcome.MATCH : Outcome.NO_MATCH;
      case NUMERIC -> {
        Double ref = lastNumber(reference);
        if (ref == null) {
          yield Outcome.UNCHECKABLE;
        }
        Double got = lastNumber(response);
        yield got != null && sameNumber(got, ref) ? Outcome.MATCH : Outcome.NO_MATCH;
      }
    };
  }

  /**
   * The normalised form: (1) Unicode NFKC (full-width digits, ligatures and non-breaking spaces become plain ones);
   * (2) lower case in the root locale; (3) every punctuation ({@code \p{P}}) and symbol ({@code \p{S}}) character
   * deleted, except {@code .} and {@code ,} between two digits ({@code "Don't!"} becomes {@code "dont"},
   * {@code "$3.50"} becomes {@code "3.50"}); (4) the words a, an and the deleted; (5) whitespace runs collapsed to
   * one space, ends trimmed.
   */
  public static String normalise(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder kept = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      boolean inNumber =
          (cp == '.' || cp == ',')
              && i > 0 && next < s.length() && Character.isDigit(s.charAt(i - 1)) && Character.isDigit(s.charAt(next));
      if (inNumber || !isPunctuationOrSymbol(cp)) {
        kept.appendCodePoint(cp);
      }
      i = next;
    }
    String noArticles = ARTICLE.matcher(kept).replaceAll(" ");
    return WHITESPACE.matcher(noArticles).replaceAll(" ").trim();
  }

  /** Unicode general categories P* and S* (by code point, so an emoji is one symbol, not two surrogates). */
  private static boolean isPunctuationOrSymbol(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  /**
   * The last number in a text, or null: {@code "so x = 1,234.5 (approx.)"} gives 1234.5, {@code "-3e2"} gives -300,
   * {@code "50%"} gives 50, a date {@code "2024-05-01"} gives 1. Fractions ({@code 1/2}) are read as their last
   * integer; spelled-out numbers are not numbers.
   */
  public static Double lastNumber(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    Matcher m = NUMBER.matcher(s);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      return null;
    }
    return Double.parseDouble(last.replace(",", "").replace('\u2212', '-'));
  }

  /** Equal within {@link #RELATIVE_TOLERANCE} of the larger magnitude (exactly equal for zero). */
  static boolean sameNumber(double a, double b) {
    return a == b || Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
}
