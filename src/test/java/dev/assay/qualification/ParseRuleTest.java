package dev.assay.qualification;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.judging.PairwiseParser;
import dev.assay.judging.Verdict;
import org.junit.jupiter.api.Test;

/** LLMBar's first-match rule, set beside Assay's last-marker rule on the answers where they part. */
class ParseRuleTest {
  private static final String QUOTED =
      "Assistant (a) argues that Output (a) is better. Assistant (b) disagrees. Therefore, Output (b) is better.";
  private static final String MENTION = "Output (b)\n\nOutput (a) provides less detail than the instruction asks for.";

  @Test
  void llmbarTakesTheFirstListedPatternWhereverItMatches() {
    assertThat(ParseRule.LLMBAR_COT.verdict(QUOTED), is(Verdict.A));
    assertThat(PairwiseParser.parse(QUOTED, "stop").verdict(), is(Verdict.B));
    assertThat(ParseRule.LLMBAR_LINE.verdict(MENTION), is(Verdict.A));
    assertThat(PairwiseParser.parse(MENTION, "stop").verdict(), is(Verdict.B));
    assertThat(ParseRule.LLMBAR_LINE.verdict("Neither is good."), nullValue());
  }

  @Test
  void swapUsesTheCotPatternsWhereTheAnswerHasThemElseTheLinePatterns() {
    String firstRound = "Output (a) is concise. Therefore, Output (b) is better.";
    assertThat("line patterns would read the opening mention", ParseRule.LLMBAR_LINE.verdict(firstRound), is(Verdict.A));
    assertThat(ParseRule.LLMBAR_SWAP.verdict(firstRound), is(Verdict.B));
    assertThat(ParseRule.LLMBAR_SWAP.verdict("Output (b)"), is(Verdict.B));
  }

  @Test
  void ratingsAreReadAsPythonsIntReadsThem() {
    assertThat(ParseRule.LLMBAR_LINE.score(" 10\n"), is(10));
    assertThat(ParseRule.LLMBAR_LINE.score("7 out of 9"), nullValue());
  }

  @Test
  void namesAndStrategies() {
    assertThat(ParseRule.llmbarFor("Swap_CoT"), is(ParseRule.LLMBAR_COT));
    assertThat(ParseRule.llmbarFor("CoT"), is(ParseRule.LLMBAR_COT));
    assertThat(ParseRule.llmbarFor("Swap"), is(ParseRule.LLMBAR_SWAP));
    assertThat(ParseRule.llmbarFor("Vanilla_1shot"), is(ParseRule.LLMBAR_LINE));
    assertThat(ParseRule.parse("llmbar", "Swap"), is(ParseRule.LLMBAR_SWAP));
    assertThat(ParseRule.parse("LLMBar-Line", null), is(ParseRule.LLMBAR_LINE));
    assertThrows(IllegalArgumentException.class, () -> ParseRule.parse("llmbar", null));
    assertThrows(IllegalArgumentException.class, () -> ParseRule.parse("first-match", null));
    assertThrows(IllegalStateException.class, () -> ParseRule.ASSAY.verdict("Output (a)"));
  }
}
