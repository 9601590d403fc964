package dev.assay.curation.rationalization;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * When the majority score of an item's samples stands in for a gold score that is missing.
 *
 * <p>Only ok samples vote (a failed or unparseable judgment has no score), and the share is taken of them: 2 of 3 ok
 * samples out of 4 requests is a share of 2/3. The most frequent score serves when it is the only most frequent
 * score and its share exceeds {@code minShare} ({@code strict}) or reaches it (not strict). The default,
 * {@link #majority()}, is a strict majority, more than half: with 3 samples a 2-1 split qualifies and a 1-1-1 split
 * does not; with 4 samples 2-1-1 does not, since two samples of four are not a majority. A strict majority is always
 * the only mode; a lower inclusive threshold ({@code atLeast(0.4)}) still refuses tied modes, which would make the
 * pseudo-gold depend on a tie-break rather than on the samples.
 *
 * @param minShare the share of ok samples the majority score needs, in (0, 1]
 * @param strict whether the share must be strictly above {@code minShare}
 */
public record PseudoGold(double minShare, boolean strict) implements Serializable {
  public PseudoGold {
    if (!(minShare > 0 && minShare <= 1)) {
      throw new IllegalArgumentException("minShare must be in (0, 1]: " + minShare);
    }
    if (strict && minShare == 1) {
      throw new IllegalArgumentException("no share is strictly above 1: use atLeast(1.0) for unanimity");
    }
  }

  /** More than half of the ok samples: the default. */
  public static PseudoGold majority() {
    return new PseudoGold(0.5, true);
  }

  /** At least {@code share} of the ok samples (inclusive), and no other score as frequent. */
  public static PseudoGold atLeast(double share) {
    return new PseudoGold(share, false);
  }

  /** The pseudo-gold score of these ok scores, or empty when none qualifies (including no scores at all). */
  public OptionalInt of(Collection<Integer> okScores) {
    if (okScores.isEmpty()) {
      return OptionalInt.empty();
    }
    Map<Integer, Integer> counts = new HashMap<>();
    for (int s : okScores) {
      counts.merge(s, 1, Integer::sum);
    }
    int best = 0;
    int bestScore = 0;
    boolean tied = false;
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      if (e.getValue() > best) {
        best = e.getValue();
        bestScore = e.getKey();
        tied = false;
      } else if (e.getValue() == best) {
        tied = true;
      }
    }
    if (tied) {
      return OptionalInt.empty();
    }
    // Compare counts, not floating-point shares, so 2 of 4 against 0.5 is exactly "not above".
    double needed = minShare * okScores.size();
    boolean enough = strict ? best > needed : best >= needed - 1e-9;
    return enough ? OptionalInt.of(bestScore) : OptionalInt.empty();
  }

  /** For manifests and the dataset card: {@code majority>0.5} or {@code majority>=0.67}. */
  public String describe() {
    return "majority" + (strict ? ">" : ">=") + minShare;
  }
}
