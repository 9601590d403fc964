package dev.assay.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.testing.Pipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteSortedJsonl}: each output's records once each, as sorted files in its folder, nothing left in {@code
 * .tmp/}; a bundle over its budget writes several sorted runs; an element's records go to their own outputs; the
 * fold sees every element once; the commit is idempotent.
 */
class WriteSortedJsonlTest {
  /** Each word goes to "words"; words ending in 7 also to "sevens"; nothing ever to "none". */
  private static void lines(String word, WriteSortedJsonl.Sink to) {
    to.write("words", word);
    if (word.endsWith("7")) {
      to.write("sevens", word);
    }
  }

  @TempDir Path root;

  @Test
  void everyRecordLandsOnceInSortedFilesOfItsOutput() throws IOException {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      words.add("w" + ((i * 7919) % 500));
    }
    TestPipeline p = Pipelines.create();
    PCollection<Long> count = p.apply("Words", Create.of(words).withCoder(StringUtf8Coder.of()))
        .apply(WriteSortedJsonl.to(root.toString(), WriteSortedJsonlTest::lines).withBudget(200).folding(Count.combineFn()));
    PAssert.thatSingleton(count).isEqualTo(500L);
    p.run().waitUntilFinish();

    List<Path> files = files(root.resolve("words"));
    assertThat("a 200-character budget splits 500 lines into several runs", files.size(), greaterThan(1));
    List<String> all = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      List<String> sorted = new ArrayList<>(lines);
      sorted.sort(null);
      assertThat(f + " is sorted", lines, is(sorted));
      all.addAll(lines);
    }
    List<String> expected = new ArrayList<>(words.stream().map(w -> "\"" + w + "\"").toList());
    expected.sort(null);
    all.sort(null);
    assertThat(all, is(expected));
    List<String> sevens = new ArrayList<>();
    for (Path f : files(root.resolve("sevens"))) {
      sevens.addAll(Files.readAllLines(f));
    }
    assertThat(sevens.size(), is((int) expected.stream().filter(w -> w.endsWith("7\"")).count()));
    assertThat("an output no element writes to has no file", files(root.resolve("none")), is(List.of()));
    assertThat("nothing is left uncommitted", files(root.resolve("words").resolve(".tmp")), is(List.of()));
  }

  @Test
  void theCommitMovesARunOnceAndFailsWhenItVanished() throws IOException {
    Path tmp = root.resolve("out").resolve(".tmp").resolve("run-1.jsonl");
    Files.createDirectories(tmp.getParent());
    Files.writeString(tmp, "\"a\"\n");
    WriteSortedJsonl.CommitFn commit = new WriteSortedJsonl.CommitFn();
    commit.process(KV.of(0, List.of(tmp.toString())));
    commit.process(KV.of(0, List.of(tmp.toString()))); // a retried commit: already in place
    assertThat(Files.readString(root.resolve("out").resolve("run-1.jsonl")), is("\"a\"\n"));
    Path gone = root.resolve("out").resolve(".tmp").resolve("run-2.jsonl");
    assertThrows(IllegalStateException.class, () -> commit.process(KV.of(0, List.of(gone.toString()))));
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
