package dev.assay.testing;

import org.apache.beam.sdk.testing.TestPipeline;

/** Test pipelines for JUnit 5: Beam's TestPipeline is a JUnit 4 rule, so it is created and run by hand. */
public final class Pipelines {
  private Pipelines() {}

  /** A pipeline with Beam's checks on (immutability, encodability, abandoned nodes). */
  public static TestPipeline create() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(true);
  }
}
