package dev.assay.run;

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
