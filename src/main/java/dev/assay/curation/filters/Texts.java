package dev.assay.curation.filters;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one text normalisation of the curation filters, so that "the same prompt" means the same thing to exact
 * dedupe, near-dedupe and decontamination.
 */
final class Texts {
  private static final Pattern SPACE = Pattern.compile("\\s+");
  // Words are runs of letters and digits in any script; punctuation and markup separate them. GPT-3-style
  // decontamination compares words, not characters, so formatting differences do not hide an overlap.
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Texts() {}

  /** NFKC, lower case (locale-independent), whitespace runs collapsed to one space, trimmed. */
  static String normalize(String text) {
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return SPACE.matcher(nfkc).replaceAll(" ").strip();
  }

  /** The words of {@code text} after NFKC and lower-casing; empty when it has no letter or digit. */
  static List<String> words(String text) {
    String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (String w : NON_WORD.split(nfkc)) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /** The words {@code [from, from + n)} joined by one space: the canonical text of a shingle or n-gram. */
  static String join(List<String> words, int from, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      if (i > from) {
        sb.append(' ');
      }
      sb.append(words.get(i));
    }
    return sb.toString();
  }

  /**
   * 64-bit FNV-1a over the UTF-16 code units. Specified, not {@link String#hashCode()}-dependent, so every JVM and
   * every worker computes the same value; 64 bits keep accidental collisions negligible at millions of n-grams.
   */
  static long fnv64(String s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h ^= (c & 0xff);
      h *= FNV_PRIME;
      h ^= (c >>> 8);
      h *= FNV_PRIME;
    }
    return h;
  }

  /** SplitMix64's finaliser: a bijective mix, so distinct inputs stay distinct and bits avalanche. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
