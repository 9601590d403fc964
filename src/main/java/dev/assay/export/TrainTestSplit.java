package dev.assay.export;

import dev.assay.io.Hashing;

/**
 * A deterministic train/test split by hash of the id: an id is in the test split when
 * {@code SHA-256(seed + ":" + id)}, read as a fraction in [0, 1), is below {@code testFraction}.
 *
 * <p>The side of an id depends on nothing but the id and the seed, so the same id always lands on the same side:
 * adding pairs, later iterations and other formats never move an existing id between train and test (a test pair
 * never leaks into a later train split). The test share is {@code testFraction} in expectation, not exactly.
 *
 * @param testFraction in [0, 1)
 * @param seed salts the hash; keep it fixed across iterations to keep the split stable
 */
public record TrainTestSplit(double testFraction, long seed) {
  public static final double DEFAULT_TEST_FRACTION = 0.05;
  public static final long DEFAULT_SEED = 42L;

  public TrainTestSplit {
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw new IllegalArgumentException("test fraction must be in [0, 1): " + testFraction);
    }
  }

  public boolean isTest(String id) {
    return position(id) < testFraction;
  }

  /** The id's position in [0, 1): the top 53 bits of the hash, so every value is an exact double. */
  double position(String id) {
    long bits = Long.parseUnsignedLong(Hashing.sha256(seed + ":" + id).substring(0, 16), 16);
    return (bits >>> 11) * 0x1.0p-53;
  }

  public String side(String id) {
    return isTest(id) ? "test" : "train";
  }
}
