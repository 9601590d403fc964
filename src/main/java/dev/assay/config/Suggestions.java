package dev.assay.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys and names: the closest candidate within a few edits, if any. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code word}: first one equal after ignoring case, {@code _} and {@code -} (so
   * {@code maxTokens} finds {@code max_tokens}), else the nearest by edit distance with transpositions, allowing
   * one edit per three characters (at least one, at most three).
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String w = normalize(word);
    for (String c : candidates) {
      if (normalize(c).equals(w)) {
        return Optional.of(c);
      }
    }
    int limit = Math.max(1, Math.min(3, word.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(w, normalize(c));
      if (d <= limit && d < bestDistance && d < word.length()) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code " (did you mean 'x'?)"}, or {@code ""} when nothing is close. */
  public static String didYouMean(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Optimal string alignment distance: a swapped pair of letters, the commonest typo, costs one edit. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
