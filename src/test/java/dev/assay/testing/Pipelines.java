package dev.assay.testing;

import dev.assay.grouping.PromptShardOptions;
import org.apache.beam.sdk.testing.TestPipeline;

/** Test pipelines for JUnit 5: Beam's TestPipeline is a JUnit 4 rule, so it is created and run by hand. */
public final class Pipelines {
  private Pipelines() {}

  /** A pipeline with Beam's checks on (immutability, encodability, abandoned nodes). */
  public static TestPipeline create() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(true);
  }

  /**
   * As {@link #create()}, grouping by prompt into {@code shards} shards ({@link PromptShardOptions}), as a run's wiring
   * sets it from the runner; call before applying transforms.
   */
  public static TestPipeline create(int shards) {
    TestPipeline p = create();
    p.getOptions().as(PromptShardOptions.class).setPromptShards(shards);
    return p;
  }
}
