package dev.assay.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.pipeline.RunnerChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On embedded Flink with 2 workers, prompt shards and file ranges are spread evenly ({@link ShardRouting}): the
 * check that Beam's Flink runner still partitions as the routing assumes. Where a record was processed is read from
 * the Flink task thread's name, which ends in {@code (subtask/parallelism)#attempt}.
 */
class FlinkSpreadTest {
  private static final Pattern SUBTASK = Pattern.compile("\\((\\d+)/(\\d+)\\)#\\d+$");

  /** What each probe saw, by test: records per subtask, and the shards each subtask processed. */
  static final Map<String, Map<String, List<Integer>>> SEEN = new ConcurrentHashMap<>();

  @TempDir Path tmp;

  private static Pipeline flinkWithTwoWorkers() {
    return Pipeline.create(new RunnerChoice(RunnerChoice.Kind.FLINK, RunnerChoice.LOCAL, 2).options());
  }

  /** Notes {@code value} as seen by this Flink subtask, for {@code test}. */
  static void seen(String test, int value) {
    SEEN.computeIfAbsent(test, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(subtask(), s -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(value);
  }

  static String subtask() {
    Matcher m = SUBTASK.matcher(Thread.currentThread().getName());
    if (!m.find()) {
      throw new AssertionError("not a Flink task thread: " + Thread.currentThread().getName());
    }
    return m.group(1) + "/" + m.group(2);
  }

  /** Records where each shard of a join was processed. */
  static final class ShardProbe extends DoFn<KV<Integer, Iterable<RawUnionValue>>, Void> {
    private final String test;

    ShardProbe(String test) {
      this.test = test;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard) {
      seen(test, shard.getKey());
    }
  }

  /** Records where each line of a read was parsed (one entry per line). */
  static final class LineProbe extends DoFn<String, Void> {
    private final String test;

    LineProbe(String test) {
      this.test = test;
    }

    @ProcessElement
    public void process(@Element String line) {
      seen(test, 1);
    }
  }

  @Test
  void sixteenPromptShardsGoEightToEachWorker() {
    Pipeline p = flinkWithTwoWorkers();
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      records.add("p" + i);
    }
    PCollection<String> prompts = p.apply(Create.of(records).withCoder(StringUtf8Coder.of()));
    JoinPromptShards.join("Join", List.of(new JoinPromptShards.Input<>("KeyPrompts", prompts, (String s) -> s, StringUtf8Coder.of())))
        .apply(ParDo.of(new ShardProbe("shards")));
    p.run().waitUntilFinish();

    Map<String, List<Integer>> bySubtask = new TreeMap<>(SEEN.get("shards"));
    assertThat(bySubtask.keySet().toString(), is("[1/2, 2/2]"));
    List<Integer> all = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : bySubtask.entrySet()) {
      assertThat("shards on subtask " + e.getKey() + ": " + e.getValue(), e.getValue().size(), is(8));
      all.addAll(e.getValue());
    }
    all.sort(null);
    List<Integer> everyShard = new ArrayList<>();
    for (int s = 0; s < 16; s++) {
      everyShard.add(s);
    }
    assertThat("each shard once, by its own number", all, is(everyShard));
  }

  @Test
  void twelveRangesOfAFileGoSixToEachWorker() throws IOException {
    Path file = tmp.resolve("lines.jsonl");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1_200; i++) {
      text.append(String.format("\"line %04d\"", i)).append('\n'); // 12 bytes a line
    }
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    Pipeline p = flinkWithTwoWorkers();
    p.apply(ReadJsonl.of(String.class, file.toString()).withRangeBytes(1_200)) // 100 lines a range, 12 ranges
        .apply(ParDo.of(new LineProbe("ranges")));
    p.run().waitUntilFinish();

    Map<String, List<Integer>> bySubtask = new TreeMap<>(SEEN.get("ranges"));
    assertThat(bySubtask.keySet().toString(), is("[1/2, 2/2]"));
    for (Map.Entry<String, List<Integer>> e : bySubtask.entrySet()) {
      assertThat("lines parsed on subtask " + e.getKey(), e.getValue().size(), is(600));
    }
  }
}
