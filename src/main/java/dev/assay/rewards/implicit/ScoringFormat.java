package dev.assay.rewards.implicit;

import dev.assay.io.Hashing;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How a prompt and a response are joined into the one text that a completions endpoint scores for the implicit
 * reward: {@code before + prompt + between + response + after}. The response part is everything from the end of
 * {@code between} to the end of the text, so {@code after} (an end-of-turn marker) counts as part of the response: the
 * model's decision to stop is part of {@code y}, as in DPO training.
 *
 * <p>The format must reproduce what the policy saw when it wrote the response, because {@code log pi(y|x)} is
 * conditioned on exactly that text: use the model's chat template ({@link #CHATML}, {@link #LLAMA3}, or one built
 * with {@link #of}), with the run's system prompt, if any, inside {@code before}. Both the current and the reference
 * model score the same text. Leave out a BOS token: servers add it when they tokenize a completions prompt.
 *
 * <p>The simulator needs no chat template: it scores any text, token by token (a token is a word with its leading
 * spaces, or a run of newlines), and its log-prob model only needs the response to start on a token boundary, which
 * any non-empty {@code between} gives. {@link #TRANSCRIPT} is the format for the simulator and for base models.
 *
 * <p>The joined text is what the ledger records for each scoring request, and a changed format changes every ledger
 * key, so a run never mixes scores from two formats. {@link #ref()} names the format in run records.
 *
 * @param id a short name, recorded with {@link #ref()}
 * @param before text before the prompt (chat template opening, system turn)
 * @param between text between the prompt and the response; must not be empty, or the prompt's last word and the
 *     response's first could become one token and the boundary would be lost
 * @param after text after the response (end-of-turn marker), scored as part of the response; may be empty
 */
public record ScoringFormat(String id, String before, String between, String after) implements Serializable {
  /** {@code User: <prompt>\nAssistant: <response>}: for the simulator and for base models without a chat template. */
  public static final ScoringFormat TRANSCRIPT = new ScoringFormat("transcript", "User: ", "\nAssistant: ", "");

  /** ChatML (Qwen and many fine-tunes), one user turn. */
  public static final ScoringFormat CHATML =
      new ScoringFormat(
          "chatml", "<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n", "<|im_end|>");

  /** Llama 3 instruct, one user turn, without the BOS token the server adds. */
  public static final ScoringFormat LLAMA3 =
      new ScoringFormat(
          "llama3",
          "<|start_header_id|>user<|end_header_id|>\n\n",
          "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
          "<|eot_id|>");

  private static final List<ScoringFormat> NAMED = List.of(TRANSCRIPT, CHATML, LLAMA3);

  public ScoringFormat {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(between, "between");
    Objects.requireNonNull(after, "after");
    if (id.isBlank()) {
      throw new IllegalArgumentException("scoring format id is blank");
    }
    if (between.isEmpty()) {
      throw new IllegalArgumentException(
          "scoring format " + id + ": 'between' must not be empty (the response must start on a token boundary)");
    }
  }

  /** A custom format (another chat template, or one with a system turn in {@code before}). */
  public static ScoringFormat of(String id, String before, String between, String after) {
    return new ScoringFormat(id, before, between, after);
  }

  /**
   * A built-in format by id: {@code transcript}, {@code chatml} or {@code llama3}.
   *
   * @throws IllegalArgumentException naming the known ids, for any other
   */
  public static ScoringFormat named(String id) {
    for (ScoringFormat f : NAMED) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown scoring format '" + id + "'; known: " + NAMED.stream().map(ScoringFormat::id).toList());
  }

  /** {@code id@<first 12 hex digits of SHA-256 of the three texts>}, so two formats with one id never pass as one. */
  public String ref() {
    return id + "@" + Hashing.sha256(before + "\u0000" + between + "\u0000" + after).substring(0, 12);
  }

  /** The text to score for one prompt and response, and where its response part starts. */
  public Joined join(String prompt, String response) {
    String head = before + prompt + between;
    return new Joined(head + response + after, head.length());
  }

  /**
   * A joined text.
   *
   * @param text the whole text sent for scoring
   * @param responseStart the index (UTF-16 units, as Java strings count) where the response part starts; it runs to
   *     the end of {@code text}
   */
  public record Joined(String text, int responseStart) implements Serializable {
    public Joined {
      Objects.requireNonNull(text, "text");
      if (responseStart < 0 || responseStart > text.length()) {
        throw new IllegalArgumentException("responseStart out of range: " + responseStart);
      }
    }
  }
}
