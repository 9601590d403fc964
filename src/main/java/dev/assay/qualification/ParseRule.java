package dev.assay.qualification;

import dev.assay.judging.Verdict;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How qualification reads a verdict out of each judge answer.
 *
 * <p>{@link #ASSAY} (the default) takes what the judge's own parser read ({@link dev.assay.judging.PairwiseParser},
 * {@link dev.assay.judging.AbsoluteParser}): the last explicit verdict marker, a score on the rubric's scale, and equal
 * scores as a tie. The {@code LLMBAR_*} rules are LLMBar's own, from its {@code evaluate.py} and configs, offered so
 * that its published answers can be counted exactly as LLMBar counted them: the pattern for Output (a) is searched
 * first and wins wherever it matches, else the pattern for Output (b); a rating answer is read with Python's {@code
 * int()} (so "10" on the 0-9 scale counts), and equal ratings go to the output shown second. The rules differ on a
 * few answers (see {@code LlmBarParserTest}): an answer that quotes a claim about Output (a) before concluding
 * "Output (b) is better", or explains "Output (a) provides…" after a verdict line "Output (b)", is (b) for Assay and
 * (a) for LLMBar.
 */
public enum ParseRule {
  /** The judge's own parser. */
  ASSAY,
  /** LLMBar's CoT-style patterns: {@code Output \(a\) is better.} before {@code Output \(b\) is better.}. */
  LLMBAR_COT,
  /** LLMBar's line-start patterns: {@code (?:^|\n) ?Output \(a\)} before the same for (b). */
  LLMBAR_LINE,
  /**
   * LLMBar's Swap strategy: its first round asks for the CoT form and its synthesis round for the plain form, so the
   * CoT patterns where the answer has either, else the line-start patterns.
   */
  LLMBAR_SWAP;

  private static final Pattern COT_A = Pattern.compile("Output \\(a\\) is better.");
  private static final Pattern COT_B = Pattern.compile("Output \\(b\\) is better.");
  private static final Pattern LINE_A = Pattern.compile("(?:^|\\n) ?Output \\(a\\)");
  private static final Pattern LINE_B = Pattern.compile("(?:^|\\n) ?Output \\(b\\)");
  private static final Pattern INTEGER = Pattern.compile("\\s*([+-]?\\d+)\\s*");

  /** The name on the command line: {@code assay}, {@code llmbar-cot}, {@code llmbar-line}, {@code llmbar-swap}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * LLMBar's rule for one of its prompting strategies (the folder name): CoT and Swap_CoT use the CoT patterns, Swap
   * its two-round rule, every other strategy the line-start patterns (rating strategies read integers either way).
   */
  public static ParseRule llmbarFor(String strategy) {
    if (strategy.contains("CoT")) {
      return LLMBAR_COT;
    }
    return strategy.equals("Swap") ? LLMBAR_SWAP : LLMBAR_LINE;
  }

  /**
   * Parses the command line's value; {@code llmbar} alone is LLMBar's rule for {@code strategy}.
   *
   * @param strategy the LLMBar strategy being replayed, or null when none is
   * @throws IllegalArgumentException for an unknown name, or {@code llmbar} without a strategy
   */
  public static ParseRule parse(String name, String strategy) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.equals("llmbar")) {
      if (strategy == null) {
        throw new IllegalArgumentException(
            "--parse llmbar picks LLMBar's rule from the replayed strategy; without --replay llmbar:DIR name it:"
                + " llmbar-cot, llmbar-line or llmbar-swap");
      }
      return llmbarFor(strategy);
    }
    for (ParseRule r : values()) {
      if (r.id().equals(n)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "--parse must be assay, llmbar, llmbar-cot, llmbar-line or llmbar-swap, not '" + name + "'");
  }

  /** The position verdict LLMBar's rule reads from {@code answer} (A or B), or null when neither pattern matches. */
  public Verdict verdict(String answer) {
    if (this == ASSAY) {
      throw new IllegalStateException("the Assay rule reads verdicts with the judge's own parser");
    }
    boolean cot = this == LLMBAR_COT || (this == LLMBAR_SWAP && (COT_A.matcher(answer).find() || COT_B.matcher(answer).find()));
    Pattern a = cot ? COT_A : LINE_A;
    Pattern b = cot ? COT_B : LINE_B;
    if (a.matcher(answer).find()) {
      return Verdict.A;
    }
    return b.matcher(answer).find() ? Verdict.B : null;
  }

  /** A rating as LLMBar reads it ({@code int(answer)}), or null when the answer is not an integer. */
  public Integer score(String answer) {
    if (this == ASSAY) {
      throw new IllegalStateException("the Assay rule reads scores with the judge's own parser");
    }
    Matcher m = INTEGER.matcher(answer);
    return m.matches() ? Integer.valueOf(m.group(1)) : null;
  }
}
