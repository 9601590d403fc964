package dev.assay.generation;

import java.util.Objects;

/**
 * One input prompt of a run.
 *
 * @param id stable, unique within the input (ids are how every later stage joins records)
 * @param text the instruction given to the policy
 * @param reference an optional reference answer (used by {@code given} reference-mode judging and verifiers)
 */
public record Prompt(String id, String text, String reference) {
  public Prompt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    if (id.isBlank()) {
      throw new IllegalArgumentException("prompt id is blank");
    }
  }
}
