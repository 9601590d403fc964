/**
 * How records move between workers, in one place: grouping a run's records by prompt, how many shards that takes,
 * routing keys and file ranges evenly over Flink's workers, and the sorted files that publishing merges into one file
 * per output.
 *
 * <p>Why it exists: the direct runner pays milliseconds per distinct key after a GroupByKey (BUILD-NOTES), so records
 * are grouped by a coarse <em>shard</em> of their prompt id ({@link dev.assay.grouping.PromptShards}, {@link
 * dev.assay.grouping.GroupIntoPromptShards}, {@link dev.assay.grouping.JoinPromptShards}) and separated by prompt
 * inside each shard. How many shards is a pipeline option, {@link dev.assay.grouping.PromptShardOptions}, which the
 * pipeline's wiring sets from the runner and the groupings read ({@link dev.assay.grouping.PromptShards#count}): no
 * stage takes a shard count. On Flink the shard keys are chosen so each worker gets an even share ({@link
 * dev.assay.grouping.ShardRouting}), and so are the byte ranges of input files ({@link
 * dev.assay.grouping.ReadJsonl}). The sink of typed outputs, {@link
 * dev.assay.grouping.WriteSortedJsonl}, has the workers write their share of each output as sorted files that the
 * driver merges as bytes ({@link dev.assay.grouping.SortedLines}); a composite's typed result wraps the collection it
 * stands for through {@link dev.assay.grouping.ForwardingOutput}. None of
 * this changes what a stage decides: a stage's per-prompt logic sees one prompt's records, whatever the shard count.
 */
package dev.assay.grouping;
