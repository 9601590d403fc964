/**
 * How records move between workers, in one place: grouping a run's records by prompt, routing keys and file ranges
 * evenly over Flink's workers, and the sorted shard files that publishing merges into one file per output.
 *
 * <p>Why it exists: the direct runner pays milliseconds per distinct key after a GroupByKey (BUILD-NOTES), so records
 * are grouped by a coarse <em>shard</em> of their prompt id ({@link dev.assay.grouping.PromptShards}, {@link
 * dev.assay.grouping.GroupIntoPromptShards}, {@link dev.assay.grouping.JoinPromptShards}) and separated by prompt
 * inside each shard; on Flink the shard keys are chosen so each worker gets an even share ({@link
 * dev.assay.grouping.ShardRouting}), and so are the byte ranges of input files ({@link
 * dev.assay.grouping.ReadJsonl}). Workers write their share of an output as sorted shard files ({@link
 * dev.assay.grouping.ShardLines}) that the driver merges as bytes ({@link dev.assay.grouping.SortedLines}). None of
 * this changes what a stage decides: a stage's per-prompt logic sees one prompt's records, whatever the shard count.
 */
package dev.assay.grouping;
