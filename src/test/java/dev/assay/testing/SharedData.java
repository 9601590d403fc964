package dev.assay.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Locates the read-only real-data folder {@code shared/data} (see its SOURCES.md) for the tests that use it.
 *
 * <p>The contract is {@code ../shared/data} from the project directory (checkout and CI). A git worktree kept one
 * level deeper ({@code wt/<name>}) finds it at {@code ../../shared/data}; the system property {@code
 * assay.sharedData} overrides both. When the file is absent the calling test is skipped, saying so.
 */
public final class SharedData {
  /**
   * Reads numbers as BigDecimal with trailing zeros kept, so a test can see how many decimals a reference value was
   * written with ("0.1380" is a 4-decimal claim). Derived from the shared mapper, not a second ObjectMapper.
   */
  private static final ObjectReader EXACT_READER =
      Json.mapper()
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

  private SharedData() {}

  public static List<Path> roots() {
    String override = System.getProperty("assay.sharedData");
    return override != null
        ? List.of(Path.of(override))
        : List.of(Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data"));
  }

  /**
   * The existing path {@code shared/data/<relative>} (file or folder), or the test is skipped; under {@code CI} (where
   * the folder is promised beside the checkout) a missing folder fails the test instead, so CI cannot pass by skipping.
   */
  public static Path require(String relative) {
    Path found = find(relative);
    String where =
        relative + " not found under " + roots().stream().map(p -> p.toAbsolutePath().normalize()).toList()
            + " (tests that read real data need ../shared/data beside the project; see shared/data/SOURCES.md)";
    if (found == null && System.getenv("CI") != null) {
      throw new AssertionError("CI is set but " + where);
    }
    assumeTrue(found != null, () -> "skipped: " + where);
    return found;
  }

  /** The path {@code shared/data/<relative>} if it exists, else null. */
  public static Path find(String relative) {
    for (Path root : roots()) {
      Path p = root.resolve(relative);
      if (Files.exists(p)) {
        return p;
      }
    }
    return null;
  }

  /** A JSON file as a tree with exact decimals. */
  public static JsonNode readTree(Path file) {
    try {
      return EXACT_READER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
