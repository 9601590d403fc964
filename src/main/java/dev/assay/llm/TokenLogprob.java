package dev.assay.llm;

import java.util.List;
import java.util.Objects;

/**
 * One generated token's log-probability in the chat shape ({@code logprobs.content[i]}), which OpenAI, vLLM and
 * llama.cpp's server return for chat completions and llama.cpp also for {@code /v1/completions}.
 *
 * @param token the token's text as the server rendered it (partial UTF-8 sequences may be rendered oddly)
 * @param logprob its natural-log probability, at most 0
 * @param bytes the token's UTF-8 bytes when the server sent them, else empty
 * @param topLogprobs the most likely alternatives at this position, most likely first (empty unless asked for with
 *     {@code top_logprobs}); their own {@code topLogprobs} are empty
 */
public record TokenLogprob(String token, double logprob, List<Integer> bytes, List<TokenLogprob> topLogprobs) {
  public TokenLogprob {
    Objects.requireNonNull(token, "token");
    bytes = bytes == null ? List.of() : List.copyOf(bytes);
    topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
  }
}
