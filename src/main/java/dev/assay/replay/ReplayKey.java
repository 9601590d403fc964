package dev.assay.replay;

import dev.assay.io.Hashing;
import dev.assay.judging.PromptTemplate;
import java.util.Objects;

/**
 * The content key under which a published answer is filed and a request is looked up: SHA-256 of the instruction and
 * the response(s) in the order the judge was shown them.
 *
 * <p>Each text is taken as a rendered prompt carries it: {@link PromptTemplate#neutraliseDelimiters} applied (the
 * template does this to every inserted value, and doing it again changes nothing) and outer whitespace stripped (the
 * templates put each value on lines of its own). So a published text and the same text read back out of a rendered
 * request give the same key, whatever the template says around them.
 */
public final class ReplayKey {
  private ReplayKey() {}

  /** The key of a pairwise request that shows {@code first} as response A and {@code second} as response B. */
  public static String pairwise(String instruction, String first, String second) {
    return Hashing.sha256("pairwise\u0000" + norm(instruction) + "\u0000" + norm(first) + "\u0000" + norm(second));
  }

  /** The key of an absolute request that grades {@code response} alone. */
  public static String absolute(String instruction, String response) {
    return Hashing.sha256("absolute\u0000" + norm(instruction) + "\u0000" + norm(response));
  }

  /** The key of an instruction alone: lets a miss say whether the item or only its outputs were unknown. */
  public static String instruction(String instruction) {
    return Hashing.sha256("instruction\u0000" + norm(instruction));
  }

  private static String norm(String text) {
    return PromptTemplate.neutraliseDelimiters(Objects.requireNonNull(text, "text")).strip();
  }
}
