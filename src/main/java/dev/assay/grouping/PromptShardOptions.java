package dev.assay.grouping;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The pipeline option that says how many prompt shards every grouping by prompt of a pipeline uses: the one place a
 * shard count is set. The pipeline's wiring sets it from the runner ({@code RunnerChoice.shards}); stages never see
 * it, because {@link GroupIntoPromptShards} and {@link JoinPromptShards} read it from the pipeline they are applied
 * to ({@link PromptShards#count}). Unset, it is {@value #DEFAULT}.
 */
public interface PromptShardOptions extends PipelineOptions {
  /** The count a pipeline that sets none groups into: enough to spread over a few workers, few enough per key. */
  int DEFAULT = 16;

  @Description("Prompt shards per grouping by prompt (the direct runner pays per key, so few; Flink spreads them)")
  @Default.Integer(DEFAULT)
  int getPromptShards();

  void setPromptShards(int shards);
}
