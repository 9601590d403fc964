package dev.assay.rewards.implicit;

import dev.assay.llm.CompletionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The log-probs a model gave to the response part of a scored text ({@link ScoringFormat.Joined}), one per token.
 *
 * <p>A token belongs to the response when it covers at least one character of the response part: it ends after the
 * response starts and starts before the text sent ends. So a token that straddles the boundary (GPT-style tokenizers
 * fold the space before the response's first word into that word's token) counts as the response's, and tokens a
 * server generated beyond the text sent do not count. A token ends where the next one starts (the last one at the end
 * of the echoed text); token strings are never measured, because servers render partial UTF-8 bytes oddly.
 *
 * <p>Offsets: OpenAI-style servers written in Python count {@code text_offset} in code points, Java strings in UTF-16
 * units; the two differ only around characters outside the Basic Multilingual Plane (emoji). Code points are assumed
 * unless the offsets evidently count UTF-16 units (the last token then ends exactly at the text's UTF-16 length and
 * not at its code point length). An echoed text that starts with something before the text sent (a BOS token's text)
 * is allowed: offsets are shifted by that prefix. So is one that lacks the text's first token (vLLM's {@code
 * prompt_logprobs}, which score every token but the first): offsets are shifted back by what is missing.
 *
 * @param tokens the response's tokens as the server returned them
 * @param logprobs their log-probs, all finite
 */
public record ResponseLogprobs(List<String> tokens, List<Double> logprobs) {
  public ResponseLogprobs {
    tokens = List.copyOf(tokens);
    logprobs = List.copyOf(logprobs);
    if (tokens.size() != logprobs.size() || tokens.isEmpty()) {
      throw new IllegalArgumentException("need one log-prob per token, at least one token");
    }
  }

  /**
   * Picks the response's tokens out of an echoed scoring response.
   *
   * @throws UnusableLogprobsException when the response cannot say what the response part cost (see that class)
   */
  public static ResponseLogprobs of(CompletionResponse response, ScoringFormat.Joined sent) {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(sent, "sent");
    List<String> tokens = response.tokens();
    List<Integer> offsets = response.textOffsets();
    if (tokens.isEmpty()) {
      throw new UnusableLogprobsException(
          "the server returned no token log-probs (does its /v1/completions support echo with logprobs?)");
    }
    if (offsets.size() != tokens.size()) {
      throw new UnusableLogprobsException("the server returned no text_offset for its tokens");
    }
    String echoed = response.text();
    int shift = echoed.startsWith(sent.text()) ? 0 : echoed.indexOf(sent.text());
    boolean firstTokenUnscored = shift < 0 && !echoed.isEmpty() && sent.text().endsWith(echoed);
    if (firstTokenUnscored) {
      // vLLM's prompt_logprobs give no text for the first token (nothing precedes it to score it against): the
      // decoded tokens spell the text sent less its first token. Offsets then start that many characters in.
      shift = echoed.length() - sent.text().length();
      if (shift + sent.responseStart() < 0) {
        throw new UnusableLogprobsException("the scored tokens do not reach back to the response's start");
      }
    }
    if (shift < 0 && !firstTokenUnscored) {
      throw new UnusableLogprobsException("the echoed text is not the text sent (did the server echo the prompt?)");
    }
    int start16 = shift + sent.responseStart();
    int end16 = shift + sent.text().length();
    int last = tokens.size() - 1;
    boolean utf16 =
        offsets.get(last) + tokens.get(last).length() == echoed.length()
            && offsets.get(last) + tokens.get(last).codePointCount(0, tokens.get(last).length())
                != echoed.codePointCount(0, echoed.length());
    int start = utf16 ? start16 : echoed.codePointCount(0, start16);
    int end = utf16 ? end16 : echoed.codePointCount(0, end16);
    int textEnd = utf16 ? echoed.length() : echoed.codePointCount(0, echoed.length());

    List<String> picked = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      int from = offsets.get(i);
      int to = i < last ? offsets.get(i + 1) : Math.max(textEnd, from);
      if (to < from) {
        throw new UnusableLogprobsException("text offsets go backwards at token " + i);
      }
      if (to <= start || from >= end) {
        continue;
      }
      Double lp = response.tokenLogprobs().get(i);
      if (lp == null || !Double.isFinite(lp)) {
        throw new UnusableLogprobsException(
            "response token " + i + " (" + quote(tokens.get(i)) + ") has no finite log-prob: " + lp);
      }
      picked.add(tokens.get(i));
      values.add(lp);
    }
    if (picked.isEmpty()) {
      throw new UnusableLogprobsException("no token of the response was scored (empty response?)");
    }
    return new ResponseLogprobs(picked, values);
  }

  public int size() {
    return tokens.size();
  }

  /** log pi(y|x): the sum of the response tokens' log-probs. */
  public double sum() {
    double s = 0;
    for (double v : logprobs) {
      s += v;
    }
    return s;
  }

  /** The length-normalised log-likelihood: the mean log-prob per response token. */
  public double mean() {
    return sum() / logprobs.size();
  }

  private static String quote(String token) {
    String t = token.length() > 20 ? token.substring(0, 20) + "..." : token;
    return "'" + t.replace("\n", "\\n") + "'";
  }
}
