package dev.assay.run;

import dev.assay.grouping.SortedLines;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path tmp;

  /** Shards as a runner leaves them: several files, unsorted lines, duplicates, an empty line, non-ASCII text. */
  private static List<String> writeShards(RunDirectory dir, String name, int shards, int lines, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> all = new ArrayList<>();
    Path shardDir = Path.of(dir.shardPrefix(name)).getParent();
    Files.createDirectories(shardDir);
    for (int s = 0; s < shards; s++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        String line = "{\"id\":\"p" + random.nextInt(lines) + "\",\"text\":\"" + (i % 7 == 0 ? "é→" : "x") + random.nextInt(1000) + "\"}";
        all.add(line);
        text.append(line).append('\n');
        if (i == lines / 2) {
          text.append('\n');
        }
      }
      Files.writeString(shardDir.resolve("part-" + s + "-of-" + shards + ".jsonl"), text.toString(), StandardCharsets.UTF_8);
    }
    all.sort(null);
    return all;
  }

  @Test
  void publishAllPublishesEveryOutputAsPublishDoesAndCountsEach() throws IOException {
    RunDirectory dir = new RunDirectory(tmp.resolve("run"));
    dir.prepare();
    List<String> a = writeShards(dir, "rewards", 3, 400, 2);
    List<String> b = writeShards(dir, "preferences", 2, 300, 3);
    List<String> c = writeShards(dir, "pairs", 1, 10, 4);
    java.util.Map<String, Long> counts = dir.publishAll(List.of(
        new RunDirectory.Publication("rewards", "rewards", "rewards.jsonl"),
        new RunDirectory.Publication("preferences", "rewards", "preferences.jsonl"),
        new RunDirectory.Publication("pairs", "pairs", "pairs.jsonl"),
        new RunDirectory.Publication("sft", "sft", "sft.jsonl")));
    assertThat(counts, equalTo(java.util.Map.of("rewards", 1200L, "preferences", 600L, "pairs", 10L, "sft", 0L)));
    assertThat(Files.readAllLines(dir.output("rewards", "rewards.jsonl")), equalTo(a));
    assertThat(Files.readAllLines(dir.output("rewards", "preferences.jsonl")), equalTo(b));
    assertThat(Files.readAllLines(dir.output("pairs", "pairs.jsonl")), equalTo(c));
    assertThat(Files.readAllLines(dir.output("sft", "sft.jsonl")), equalTo(List.of()));
  }

  @Test
  void publishAllReportsAFailureAfterTheOthersFinish() throws IOException {
    RunDirectory dir = new RunDirectory(tmp.resolve("run"));
    dir.prepare();
    List<String> a = writeShards(dir, "rewards", 2, 50, 5);
    Files.createDirectories(dir.output("blocked", "x").getParent().getParent());
    Files.writeString(dir.output("blocked", "x").getParent(), "a file where the folder should be");
    writeShards(dir, "other", 1, 5, 6);
    org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, () -> dir.publishAll(List.of(
        new RunDirectory.Publication("other", "blocked", "x"),
        new RunDirectory.Publication("rewards", "rewards", "rewards.jsonl"))));
    assertThat(Files.readAllLines(dir.output("rewards", "rewards.jsonl")), equalTo(a));
  }

  @Test
  void publishSortsAllShardsIntoOneFile() throws IOException {
    RunDirectory dir = new RunDirectory(tmp.resolve("run"));
    dir.prepare();
    List<String> expected = writeShards(dir, "judgments", 3, 500, 1);
    long n = dir.publish("judgments", "judgments", "judgments.jsonl");
    assertThat(n, is(1500L));
    assertThat(Files.readAllLines(dir.output("judgments", "judgments.jsonl")), equalTo(expected));
    assertThat(dir.count("judgments", "judgments.jsonl"), is(1500L));
  }

  @Test
  void spillingToSortedRunsGivesTheSameBytes() throws IOException {
    RunDirectory inMemory = new RunDirectory(tmp.resolve("a"));
    RunDirectory spilling = new RunDirectory(tmp.resolve("b"), 2_000); // ~50 lines per run: dozens of spilled runs
    for (RunDirectory dir : List.of(inMemory, spilling)) {
      dir.prepare();
      writeShards(dir, "rewards", 4, 700, 7);
      assertThat(dir.publish("rewards", "rewards", "rewards.jsonl"), is(2800L));
    }
    byte[] expected = Files.readAllBytes(inMemory.output("rewards", "rewards.jsonl"));
    assertThat(Files.readAllBytes(spilling.output("rewards", "rewards.jsonl")), equalTo(expected));
    try (Stream<Path> left = Files.list(spilling.work())) {
      assertThat("spilled runs are removed", left.filter(p -> p.getFileName().toString().startsWith(".sort")).toList(), is(empty()));
    }
  }

  /** Sorted shards, as WriteSortedJsonl writes them, are merged in one pass and give the bytes the full sort gives. */
  @Test
  void sortedShardsAreOnlyMergedAndGiveTheSameBytes() throws IOException {
    RunDirectory unsorted = new RunDirectory(tmp.resolve("a"));
    unsorted.prepare();
    List<String> expected = writeShards(unsorted, "rewards", 5, 400, 3);
    Path shardDir = Path.of(unsorted.shardPrefix("rewards")).getParent();
    List<Path> shards;
    try (Stream<Path> listed = Files.list(shardDir)) {
      shards = listed.sorted().toList();
    }
    Path sortedDir = tmp.resolve("sorted");
    Files.createDirectories(sortedDir);
    List<Path> sortedShards = new ArrayList<>();
    for (Path shard : shards) {
      List<String> lines = new ArrayList<>(Files.readAllLines(shard, StandardCharsets.UTF_8));
      lines.sort(null); // the empty line sorts first: merging drops it as sorting does
      Path copy = sortedDir.resolve(shard.getFileName());
      Files.write(copy, lines, StandardCharsets.UTF_8);
      sortedShards.add(copy);
    }

    SortedLines.Result merged = SortedLines.merge(sortedShards, tmp.resolve("merged.jsonl"), tmp.resolve(".scratch-m"), 2_000);
    SortedLines.Result sorted = SortedLines.merge(shards, tmp.resolve("sorted.jsonl"), tmp.resolve(".scratch-s"), 2_000);
    assertThat(merged, is(new SortedLines.Result(2000, true)));
    assertThat(sorted, is(new SortedLines.Result(2000, false)));
    assertThat(Files.readAllLines(tmp.resolve("merged.jsonl")), equalTo(expected));
    assertThat(Files.readAllBytes(tmp.resolve("merged.jsonl")), equalTo(Files.readAllBytes(tmp.resolve("sorted.jsonl"))));

    // One unsorted input among sorted ones: found out, and the whole output sorted instead.
    List<Path> mixed = new ArrayList<>(sortedShards);
    mixed.set(2, shards.get(2));
    assertThat(SortedLines.merge(mixed, tmp.resolve("mixed.jsonl"), tmp.resolve(".scratch-x"), 2_000), is(new SortedLines.Result(2000, false)));
    assertThat(Files.readAllLines(tmp.resolve("mixed.jsonl")), equalTo(expected));
    for (String scratch : List.of(".scratch-m", ".scratch-s", ".scratch-x")) {
      assertThat(scratch + " removed", Files.exists(tmp.resolve(scratch)), is(false));
    }
  }

  /** Characters from every UTF-8 length and both sides of the UTF-16 surrogate range, where byte and code-unit orders part. */

  @Test
  void aStageThatWroteNothingPublishesAnEmptyFile() throws IOException {
    RunDirectory dir = new RunDirectory(tmp.resolve("run"));
    dir.prepare();
    assertThat(dir.publish("failures", "failures", "failures.jsonl"), is(0L));
    assertThat(Files.readAllLines(dir.output("failures", "failures.jsonl")), is(empty()));
    assertThat(dir.count("failures", "failures.jsonl"), is(0L));
  }

  @Test
  void forEachStreamsRecordsInFileOrderAndMissingFilesAreEmpty() throws IOException {
    RunDirectory dir = new RunDirectory(tmp.resolve("run"));
    dir.prepare();
    Files.createDirectories(dir.output("rejected", "x").getParent());
    Files.writeString(dir.output("rejected", "pairs.jsonl"), "{\"a\":2}\n\n{\"a\":1}\n");
    List<Integer> seen = new ArrayList<>();
    dir.forEach("rejected", "pairs.jsonl", Row.class, r -> seen.add(r.a()));
    assertThat(seen, contains(2, 1));
    assertThat(dir.read("rejected", "missing.jsonl", Row.class), is(empty()));
    assertThat(dir.count("rejected", "missing.jsonl"), is(0L));
  }

  record Row(int a) {}
}
