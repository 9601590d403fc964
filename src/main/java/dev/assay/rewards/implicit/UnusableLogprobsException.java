package dev.assay.rewards.implicit;

/**
 * A completions response arrived but its log-probs cannot give a reward: no log-probs or offsets (the server ignored
 * {@code echo}/{@code logprobs}), an echoed text that is not the text sent, offsets that go backwards, a response
 * token without a finite log-prob, no response token at all, or current and reference models that tokenized the
 * response differently. Bad data from the outside world, not a caller mistake; the candidate goes to the failures
 * output under this class name.
 */
public final class UnusableLogprobsException extends RuntimeException {
  public UnusableLogprobsException(String message) {
    super(message);
  }
}
