package dev.assay.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingTest {
  @Test
  void knownVectors() {
    assertThat(Hashing.sha256(""), is("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assertThat(Hashing.sha256("abc"), is("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    assertThat(
        Hashing.sha256("abc".getBytes(StandardCharsets.UTF_8)),
        is("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }

  @Test
  void aFileHashesLikeItsBytes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f.txt");
    Files.writeString(file, "abc", StandardCharsets.UTF_8);
    assertThat(Hashing.sha256(file), is(Hashing.sha256("abc")));
  }

  @Test
  void concurrentCallersGetIndependentDigests() {
    // Each call gets its own digest: hashing from many threads at once gives what hashing one at a time gives.
    List<String> expected = IntStream.range(0, 2000).mapToObj(i -> Hashing.sha256("text " + i)).toList();
    List<String> parallel = IntStream.range(0, 2000).parallel().mapToObj(i -> Hashing.sha256("text " + i)).toList();
    assertThat(parallel, is(expected));
  }
}
