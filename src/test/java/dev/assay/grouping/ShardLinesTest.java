package dev.assay.grouping;

import dev.assay.io.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ShardLines}: files named by the shard, moved into place on commit, nothing left by an attempt that failed. */
class ShardLinesTest {
  @TempDir Path root;

  record Row(String id, int n) {}

  @Test
  void committedLinesLandInTheShardsFile() throws IOException {
    try (ShardLines files = ShardLines.open(root.toString(), 2, 16)) {
      files.add("rewards", new Row("a", 1));
      files.add("rewards", new Row("b", 2));
      files.add("pairs", new Row("c", 3));
      assertFalse(Files.exists(files.target("rewards")), "nothing is visible before the commit");
      files.commit();
    }
    Path rewards = root.resolve("rewards").resolve("shard-00002-of-00016.jsonl");
    assertEquals(List.of(Json.line(new Row("a", 1)), Json.line(new Row("b", 2))), Files.readAllLines(rewards));
    assertEquals(List.of(Json.line(new Row("c", 3))), Files.readAllLines(root.resolve("pairs").resolve("shard-00002-of-00016.jsonl")));
    assertFalse(Files.exists(root.resolve("sft")), "an output without lines gets no file");
  }

  @Test
  void aRetriedShardReplacesTheFileAndAFailedAttemptLeavesNoRegularFile() throws IOException {
    try (ShardLines first = ShardLines.open(root.toString(), 0, 2)) {
      first.add("rewards", new Row("a", 1));
      first.commit();
    }
    try (ShardLines failed = ShardLines.open(root.toString(), 0, 2)) {
      failed.add("rewards", new Row("partial", 0));
      // no commit: the attempt failed
    }
    try (ShardLines retried = ShardLines.open(root.toString(), 0, 2)) {
      retried.add("rewards", new Row("a", 1));
      retried.commit();
    }
    try (Stream<Path> files = Files.list(root.resolve("rewards"))) {
      assertEquals(List.of("shard-00000-of-00002.jsonl"), files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList());
    }
    assertEquals(List.of(Json.line(new Row("a", 1))), Files.readAllLines(root.resolve("rewards").resolve("shard-00000-of-00002.jsonl")));
    try (Stream<Path> temps = Files.list(root.resolve("rewards").resolve(".tmp"))) {
      assertTrue(temps.findAny().isEmpty(), "the failed attempt's temporary file was removed");
    }
  }

  @Test
  void eachFileIsWrittenSortedSoPublishingOnlyMerges() throws IOException {
    try (ShardLines files = ShardLines.open(root.toString(), 1, 4)) {
      for (String id : List.of("p9", "p10", "é", "p1", "P2", "p1")) {
        files.add("rewards", new Row(id, id.length()));
      }
      files.commit();
    }
    List<String> lines = Files.readAllLines(root.resolve("rewards").resolve("shard-00001-of-00004.jsonl"));
    List<String> sorted = new java.util.ArrayList<>(lines);
    sorted.sort(null);
    assertEquals(sorted, lines, "String order, duplicates kept");
    assertEquals(6, lines.size());
  }

  /** Past its budget a shard writes in the order added: the same lines, which publishing sorts itself. */
  @Test
  void aShardPastItsBudgetWritesInTheOrderAdded() throws IOException {
    List<Row> rows = List.of(new Row("c", 1), new Row("a", 2), new Row("b", 3), new Row("a", 4));
    long oneLine = Json.line(rows.get(0)).length();
    try (ShardLines files = ShardLines.open(root.toString(), 0, 1, 2 * oneLine)) {
      rows.forEach(r -> files.add("rewards", r));
      files.add("pairs", new Row("z", 0));
      files.commit();
    }
    assertEquals(rows.stream().map(Json::line).toList(), Files.readAllLines(root.resolve("rewards").resolve("shard-00000-of-00001.jsonl")));
    assertEquals(List.of(Json.line(new Row("z", 0))), Files.readAllLines(root.resolve("pairs").resolve("shard-00000-of-00001.jsonl")));
  }

  @Test
  void theBudgetIsBoundedByTheHeapPerCore() {
    long budget = ShardLines.budgetChars();
    assertTrue(budget > 0 && budget <= ShardLines.SORT_BUDGET_CHARS, "budget " + budget);
    assertTrue(budget * 2 * Runtime.getRuntime().availableProcessors() <= Runtime.getRuntime().maxMemory() / 8,
        "one shard per core, UTF-16, within an eighth of the heap: " + budget);
  }

  @Test
  void aShardOutsideTheCountIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ShardLines.open(root.toString(), 16, 16));
    assertThrows(IllegalArgumentException.class, () -> ShardLines.open(root.toString(), -1, 16));
  }
}
