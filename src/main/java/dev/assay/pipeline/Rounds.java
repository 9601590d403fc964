package dev.assay.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The layout of a series of self-rewarding rounds: iteration t of a series lives in {@code SERIES/iter-t/}, so the
 * previous iteration's run directory is found from the series folder alone.
 */
public final class Rounds {
  private Rounds() {}

  /** {@code series/iter-t}. */
  public static Path iterationDir(Path series, int t) {
    if (t < 0) {
      throw new UsageException("--iteration must be >= 0: " + t);
    }
    return series.resolve("iter-" + t);
  }

  /**
   * The run directory of iteration t-1 when it holds a manifest (a run was at least started there); empty for the
   * first iteration or when that folder is missing.
   */
  public static Optional<Path> previous(Path series, int t) {
    if (t <= 0) {
      return Optional.empty();
    }
    Path prev = iterationDir(series, t - 1);
    return Files.exists(prev.resolve("manifest.json")) ? Optional.of(prev.toAbsolutePath().normalize()) : Optional.empty();
  }
}
