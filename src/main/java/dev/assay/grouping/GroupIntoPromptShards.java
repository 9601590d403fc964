package dev.assay.grouping;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Groups elements by a coarse shard of their prompt id (at most the pipeline's {@link PromptShardOptions} count of
 * distinct keys, whatever the number of prompts), so a reward model can aggregate per prompt inside each shard
 * ({@link #byPrompt}).
 *
 * <p>Why not group by prompt: the direct runner pays ~4-5 ms per distinct key after a GroupByKey (BUILD-NOTES), so
 * 10,000 prompts would cost close to a minute of pure overhead. The shard is {@link PromptShards#of}, the same
 * function the pairwise judging stage uses, so it is stable across JVMs and runners. The price is memory: one shard's
 * elements are held at once, so callers shrink elements to ids and scores before this step.
 *
 * <p>Contract: every key is in {@code [0, shards)} ({@link PromptShards#of}, {@code shards} the pipeline's {@link
 * PromptShards#count}); all elements of one prompt land in one group. The input's coder is reused for the grouped
 * values. Failure mode: {@link IllegalArgumentException} at expansion when the pipeline's shard option is below 1.
 */
public final class GroupIntoPromptShards<T> extends PTransform<PCollection<T>, PCollection<KV<Integer, Iterable<T>>>> {
  private final SerializableFunction<T, String> promptId;

  private GroupIntoPromptShards(SerializableFunction<T, String> promptId) {
    super("GroupIntoPromptShards");
    this.promptId = Objects.requireNonNull(promptId, "promptId");
  }

  public static <T> GroupIntoPromptShards<T> of(SerializableFunction<T, String> promptId) {
    return new GroupIntoPromptShards<>(promptId);
  }

  @Override
  public PCollection<KV<Integer, Iterable<T>>> expand(PCollection<T> input) {
    int n = PromptShards.count(input.getPipeline().getOptions());
    SerializableFunction<T, String> id = promptId;
    return input
        .apply("KeyByShard", WithKeys.<Integer, T>of(v -> PromptShards.of(id.apply(v), n)).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
        .apply("GroupShard", GroupByKey.create());
  }

  /** One shard's elements split by prompt, prompts in id order (so outputs do not depend on arrival order). */
  public static <T> SortedMap<String, List<T>> byPrompt(Iterable<T> shard, Function<T, String> promptId) {
    SortedMap<String, List<T>> out = new TreeMap<>();
    for (T v : shard) {
      out.computeIfAbsent(promptId.apply(v), k -> new ArrayList<>()).add(v);
    }
    return out;
  }
}
