package dev.assay.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.testing.Pipelines;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** The one-pass shard join that replaced CoGroupByKey in the consistency, consensus and pair transforms. */
class JoinPromptShardsTest {
  /** An Iterable that, like Flink's batch GroupByKey result, can be iterated once. */
  private static <T> Iterable<T> once(List<T> values) {
    AtomicBoolean used = new AtomicBoolean();
    return () -> {
      if (used.getAndSet(true)) {
        throw new IllegalStateException("GBK result is not re-iterable");
      }
      Iterator<T> it = values.iterator();
      return it;
    };
  }

  @Test
  void partsReadTheGroupOnceAndSplitItByInput() {
    List<RawUnionValue> values = new ArrayList<>();
    for (int i = 0; i < 25_000; i++) {
      values.add(new RawUnionValue(i % 3, "v" + i));
    }
    JoinPromptShards.Parts parts = JoinPromptShards.Parts.of(once(values), 3);
    assertThat(parts.<String>get(0).size(), is(8334));
    assertThat(parts.<String>get(1).size(), is(8333));
    assertThat(parts.<String>get(2).get(0), is("v2"));
  }

  @Test
  void aTagOutsideTheJoinIsAnError() {
    assertThrows(IllegalStateException.class, () -> JoinPromptShards.Parts.of(List.of(new RawUnionValue(2, "x")), 2));
  }

  @Test
  void everyRecordOfAPromptLandsInOneGroupWithItsInputTag() {
    TestPipeline p = Pipelines.create(1);
    PCollection<String> left = p.apply("Left", Create.of("p1:a", "p2:b", "p1:c").withCoder(StringUtf8Coder.of()));
    PCollection<String> right = p.apply("Right", Create.of("p1:x", "p3:y").withCoder(StringUtf8Coder.of()));
    PCollection<String> groups =
        JoinPromptShards.join("Join", List.of(
                new JoinPromptShards.Input<>("KeyLeft", left, (String s) -> s.split(":")[0], StringUtf8Coder.of()),
                new JoinPromptShards.Input<>("KeyRight", right, (String s) -> s.split(":")[0], StringUtf8Coder.of())))
            .apply(MapElements.into(TypeDescriptors.strings()).via((KV<Integer, Iterable<RawUnionValue>> kv) -> {
              JoinPromptShards.Parts parts = JoinPromptShards.Parts.of(kv.getValue(), 2);
              List<String> l = new ArrayList<>(parts.get(0));
              List<String> r = new ArrayList<>(parts.get(1));
              l.sort(null);
              r.sort(null);
              return kv.getKey() + " " + l + " " + r;
            }));
    PAssert.that(groups).containsInAnyOrder("0 [p1:a, p1:c, p2:b] [p1:x, p3:y]");
    p.run().waitUntilFinish();
  }

  /** More records than one batch per shard: every record arrives once, in its prompt's shard, with its input's tag. */
  @Test
  void recordsBeyondOneBatchArriveOnceEach() {
    recordsArriveOnceEach(3);
  }

  /** With 5,000 shards a batch is 13 records, so each prompt's ~62 records cross in several. */
  @Test
  void recordsArriveOnceEachInTheSmallBatchesOfManyShards() {
    assertThat(JoinPromptShards.batchSize(5_000), is(13));
    recordsArriveOnceEach(5_000);
  }

  @Test
  void aShardCountBelowOneIsRefusedWhenTheJoinIsBuilt() {
    TestPipeline p = Pipelines.create(0);
    PCollection<String> left = p.apply("Left", Create.of("p1:a").withCoder(StringUtf8Coder.of()));
    assertThrows(IllegalArgumentException.class, () -> JoinPromptShards.join("Join",
        List.of(new JoinPromptShards.Input<>("KeyLeft", left, (String s) -> s.split(":")[0], StringUtf8Coder.of()))));
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  void moreShardsMeanSmallerBatchesSoTheRecordsAStepHoldsStayBounded() {
    assertThat(JoinPromptShards.batchSize(16), is(JoinPromptShards.BATCH));
    assertThat(JoinPromptShards.batchSize(64), is(JoinPromptShards.BATCH));
    assertThat(JoinPromptShards.batchSize(512), is(128));
    assertThat(JoinPromptShards.batchSize(1_000_000), is(1));
    for (int shards = 1; shards <= 70_000; shards++) {
      int b = JoinPromptShards.batchSize(shards);
      if (b < 1 || b > JoinPromptShards.BATCH || (long) shards * b > Math.max(JoinPromptShards.MAX_PENDING, shards)) {
        throw new AssertionError(shards + " shards: batches of " + b);
      }
    }
  }

  private static void recordsArriveOnceEach(int shards) {
    TestPipeline p = Pipelines.create(shards);
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 3 * JoinPromptShards.BATCH + 7; i++) {
      many.add("p" + (i % 50) + ":" + i);
    }
    PCollection<String> left = p.apply("Left", Create.of(many).withCoder(StringUtf8Coder.of()));
    PCollection<String> right = p.apply("Right", Create.of("p1:x", "p7:y").withCoder(StringUtf8Coder.of()));
    PCollection<String> seen =
        JoinPromptShards.join("Join", List.of(
                new JoinPromptShards.Input<>("KeyLeft", left, (String s) -> s.split(":")[0], StringUtf8Coder.of()),
                new JoinPromptShards.Input<>("KeyRight", right, (String s) -> s.split(":")[0], StringUtf8Coder.of())))
            .apply(org.apache.beam.sdk.transforms.FlatMapElements.into(TypeDescriptors.strings()).via((KV<Integer, Iterable<RawUnionValue>> kv) -> {
              JoinPromptShards.Parts parts = JoinPromptShards.Parts.of(kv.getValue(), 2);
              List<String> out = new ArrayList<>();
              for (int tag = 0; tag < 2; tag++) {
                for (String s : parts.<String>get(tag)) {
                  if (dev.assay.grouping.PromptShards.of(s.split(":")[0], shards) != kv.getKey()) {
                    throw new AssertionError(s + " in the wrong shard " + kv.getKey());
                  }
                  out.add(tag + "|" + s);
                }
              }
              return out;
            }));
    List<String> expected = new ArrayList<>();
    many.forEach(s -> expected.add("0|" + s));
    expected.add("1|p1:x");
    expected.add("1|p7:y");
    PAssert.that(seen).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
