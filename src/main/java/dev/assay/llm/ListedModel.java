package dev.assay.llm;

import java.util.Objects;

/**
 * One entry of an endpoint's model list ({@code GET /v1/models}): the id a request may name and what the server
 * says owns it. {@code owned_by} is how a server describes itself: Assay's simulator answers {@value #SIMULATOR},
 * llama.cpp's server {@code llamacpp}, vLLM {@code vllm}, OpenAI an organisation.
 *
 * @param id the model id
 * @param ownedBy the {@code owned_by} field, or null when the server sent none
 */
public record ListedModel(String id, String ownedBy) {
  /** The {@code owned_by} of every model Assay's simulator serves: how a run knows an endpoint is simulated. */
  public static final String SIMULATOR = "assay-simulator";

  public ListedModel {
    Objects.requireNonNull(id, "id");
  }

  /** Whether the server says this model is Assay's simulator. */
  public boolean simulated() {
    return SIMULATOR.equals(ownedBy);
  }
}
