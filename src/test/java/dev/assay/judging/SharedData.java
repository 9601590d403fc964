package dev.assay.judging;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the read-only real-data folder {@code shared/data} (see its SOURCES.md) for tests that use it.
 *
 * <p>The contract is {@code ../shared/data} relative to the project directory (the checkout and CI layout). A git
 * worktree kept one level deeper ({@code wt/<name>}) finds it at {@code ../../shared/data}; the system property
 * {@code assay.sharedData} overrides both. When none exists the calling test is skipped with a message saying so.
 */
final class SharedData {
  private SharedData() {}

  /** The folder {@code shared/data/<sub>}, or the test is skipped (JUnit assumption) when it is absent. */
  static Path require(String sub) {
    String override = System.getProperty("assay.sharedData");
    List<Path> roots =
        override != null
            ? List.of(Path.of(override))
            : List.of(Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data"));
    for (Path root : roots) {
      Path dir = root.resolve(sub);
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    assumeTrue(
        false,
        "skipped: real data folder " + sub + " not found under " + roots.stream().map(p -> p.toAbsolutePath().normalize()).toList()
            + " (tests that read published judgments need ../shared/data beside the project; see shared/data/SOURCES.md)");
    throw new AssertionError("unreachable");
  }
}
