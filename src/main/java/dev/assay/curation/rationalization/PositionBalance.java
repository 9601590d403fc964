package dev.assay.curation.rationalization;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.io.Json;
import dev.assay.judging.Verdict;
import dev.assay.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The position balance of a self-rationalization run's judge pairs, as the report and the dataset card show it:
 * {@code rationalization/balance.json}. Counted on the driver from the published pairs (a pair's {@code chosenScore}
 * is its chosen verdict's {@link JudgmentLabel}) and the {@code position_balance} rejections (whose {@code
 * goldVerdict} is the dropped pair's chosen verdict, since the chosen side agrees with the majority).
 *
 * @param judge the rationalized judge
 * @param applicable false for an absolute judge: its judgments have no seat, and nothing is balanced (all counts 0)
 * @param enabled {@code rationalization.balance}
 * @param seed the seed of the drop choice
 * @param chosenABefore pairs whose chosen verdict was A, before balancing
 * @param chosenBBefore the same for B
 * @param chosenTie pairs whose chosen verdict is a tie (never dropped)
 * @param chosenA pairs kept whose chosen verdict is A
 * @param chosenB pairs kept whose chosen verdict is B
 * @param dropped pairs dropped ({@code |chosenABefore - chosenBBefore|} when enabled, else 0)
 */
public record PositionBalance(
    String judge, boolean applicable, boolean enabled, long seed, long chosenABefore, long chosenBBefore, long chosenTie,
    long chosenA, long chosenB, long dropped) {
  /** The folder of the file. */
  public static final String FOLDER = "rationalization";

  /** The file name. */
  public static final String FILE = "balance.json";

  public PositionBalance {
    Objects.requireNonNull(judge, "judge");
    if (chosenABefore - chosenA + chosenBBefore - chosenB != dropped || chosenA > chosenABefore || chosenB > chosenBBefore) {
      throw new IllegalArgumentException(
          "before = after + dropped must hold: A " + chosenABefore + " -> " + chosenA + ", B " + chosenBBefore + " -> " + chosenB + ", dropped " + dropped);
    }
  }

  /** The "not applicable" balance of an absolute judge's pairs. */
  public static PositionBalance notApplicable(String judge, boolean enabled, long seed) {
    return new PositionBalance(judge, false, enabled, seed, 0, 0, 0, 0, 0, 0);
  }

  /**
   * Counts a pairwise judge's balance from what a run published, one record at a time, so the driver streams the
   * pairs file through it without holding the texts.
   */
  public static final class Tally {
    private long a;
    private long b;
    private long tie;
    private long droppedA;
    private long droppedB;

    /** Counts a published pair (policy pairs are ignored). */
    public void pair(PreferencePair p) {
      if (!p.kind().equals("judge")) {
        return;
      }
      switch (JudgmentLabel.verdict((int) p.chosenScore())) {
        case A -> a++;
        case B -> b++;
        case TIE -> tie++;
      }
    }

    /**
     * Counts a rejection when it is a {@code position_balance} drop.
     *
     * @throws IllegalArgumentException for such a drop without an A or B verdict (only seated pairs are dropped)
     */
    public void rejection(RationalizationRejection r) {
      if (r.reason() != RationalizationReason.POSITION_BALANCE) {
        return;
      }
      if (r.goldVerdict() == Verdict.A) {
        droppedA++;
      } else if (r.goldVerdict() == Verdict.B) {
        droppedB++;
      } else {
        throw new IllegalArgumentException("position_balance rejection of " + r.itemId() + " has no A/B verdict: " + r.goldVerdict());
      }
    }

    /** The balance counted so far. */
    public PositionBalance result(String judge, boolean enabled, long seed) {
      return new PositionBalance(judge, true, enabled, seed, a + droppedA, b + droppedB, tie, a, b, droppedA + droppedB);
    }
  }

  /** One line for the console, the report and the card. */
  public String line() {
    if (!applicable) {
      return "position balance: not applicable (" + judge + " is an absolute judge: its judgments have no seat to balance)";
    }
    String counts = "chosen A/B " + chosenABefore + "/" + chosenBBefore + " before, " + chosenA + "/" + chosenB + " after, "
        + dropped + " dropped" + (chosenTie > 0 ? ", " + chosenTie + " chosen ties kept" : "");
    return "position balance: " + (enabled ? counts + " (seeded " + seed + ")" : "off (rationalization.balance: false): " + counts);
  }

  /** Writes {@code rationalization/balance.json}. */
  public void write(RunDirectory dir) {
    Path file = dir.output(FOLDER, FILE);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, Json.line(this) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The balance of a run directory, or null when the run had no self-rationalization. */
  public static PositionBalance read(RunDirectory dir) {
    List<PositionBalance> found = dir.read(FOLDER, FILE, PositionBalance.class);
    return found.isEmpty() ? null : found.get(0);
  }
}
