package dev.assay.rewards.implicit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Candidate;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.TokenUsage;
import dev.assay.rewards.CandidateReward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding the response's tokens by offset, the scoring formats, and the reward and preference formulas. */
class ResponseLogprobsTest {
  /**
   * An echoed response for {@code tokens}, offsets counted the way {@code codePoints} says, log-probs -1, -2, ...
   * (the first null).
   */
  private static CompletionResponse echo(String prefix, List<String> tokens, boolean codePoints) {
    List<Integer> offsets = new ArrayList<>();
    List<Double> lps = new ArrayList<>();
    int at = 0;
    StringBuilder text = new StringBuilder(prefix);
    for (int i = 0; i < tokens.size(); i++) {
      offsets.add(at);
      String t = tokens.get(i);
      at += codePoints ? t.codePointCount(0, t.length()) : t.length();
      lps.add(i == 0 ? null : -(double) i);
      if (i > 0 || prefix.isEmpty()) {
        text.append(t);
      }
    }
    return new CompletionResponse("m", text.toString(), tokens, lps, offsets, "length", TokenUsage.NONE);
  }

  @Test
  void theTokenThatStraddlesTheBoundaryBelongsToTheResponse() {
    ScoringFormat.Joined sent = ScoringFormat.TRANSCRIPT.join("Hi there", "The answer.");
    assertThat(sent.text(), is("User: Hi there\nAssistant: The answer."));
    // GPT-style: the space before "The" is folded into its token, which starts inside "between".
    List<String> tokens = List.of("User:", " Hi", " there", "\n", "Assistant:", " The", " answer.");
    ResponseLogprobs r = ResponseLogprobs.of(echo("", tokens, false), sent);
    assertThat(r.tokens(), equalTo(List.of(" The", " answer.")));
    assertThat(r.logprobs(), equalTo(List.of(-5.0, -6.0)));
    assertThat(r.sum(), is(-11.0));
    assertThat(r.mean(), is(-5.5));
  }

  @Test
  void aCleanBoundaryTakesTheTokensFromTheResponseStartAndTheEndMarker() {
    ScoringFormat.Joined sent = ScoringFormat.CHATML.join("Hi", "Yes");
    List<String> tokens =
        List.of("<|im_start|>", "user", "\n", "Hi", "<|im_end|>", "\n", "<|im_start|>", "assistant", "\n", "Yes", "<|im_end|>");
    ResponseLogprobs r = ResponseLogprobs.of(echo("", tokens, false), sent);
    assertThat("the end-of-turn marker is the model's choice to stop: part of y", r.tokens(), equalTo(List.of("Yes", "<|im_end|>")));
  }

  @Test
  void generatedTokensBeyondTheTextSentAreNotScored() {
    ScoringFormat.Joined sent = ScoringFormat.TRANSCRIPT.join("Hi", "Yes");
    List<String> tokens = new ArrayList<>(List.of("User:", " Hi", "\n", "Assistant:", " Yes"));
    CompletionResponse r = echo("", tokens, false);
    // A server that generated one token despite max_tokens 0.
    List<String> more = new ArrayList<>(r.tokens());
    more.add(" extra");
    List<Double> lps = new ArrayList<>(r.tokenLogprobs());
    lps.add(-9.0);
    List<Integer> offsets = new ArrayList<>(r.textOffsets());
    offsets.add(r.text().length());
    CompletionResponse generated =
        new CompletionResponse("m", r.text() + " extra", more, lps, offsets, "length", TokenUsage.NONE);
    assertThat(ResponseLogprobs.of(generated, sent).tokens(), equalTo(List.of(" Yes")));
  }

  @Test
  void anEchoedBosTextShiftsTheOffsets() {
    ScoringFormat.Joined sent = ScoringFormat.TRANSCRIPT.join("Hi", "Yes");
    List<String> tokens = List.of("<s>", "User:", " Hi", "\n", "Assistant:", " Yes");
    List<Integer> offsets = List.of(0, 3, 8, 11, 12, 22);
    CompletionResponse r =
        new CompletionResponse(
            "m", "<s>" + sent.text(), tokens, Arrays.asList(null, -1.0, -2.0, -3.0, -4.0, -5.0), offsets, "length", TokenUsage.NONE);
    assertThat(ResponseLogprobs.of(r, sent).logprobs(), equalTo(List.of(-5.0)));
  }

  @Test
  void offsetsInCodePointsAndInUtf16UnitsBothFindTheResponse() {
    // An emoji in the prompt: one code point, two UTF-16 units. Python servers count the former, Java the latter.
    ScoringFormat.Joined sent = ScoringFormat.TRANSCRIPT.join("Hi \uD83D\uDE00", "Yes");
    List<String> tokens = List.of("User:", " Hi", " \uD83D\uDE00", "\n", "Assistant:", " Yes");
    for (boolean codePoints : new boolean[] {true, false}) {
      ResponseLogprobs r = ResponseLogprobs.of(echo("", tokens, codePoints), sent);
      assertThat("code points: " + codePoints, r.tokens(), equalTo(List.of(" Yes")));
    }
  }

  @Test
  void unusableResponsesSayWhy() {
    ScoringFormat.Joined sent = ScoringFormat.TRANSCRIPT.join("Hi", "Yes");
    CompletionResponse noLogprobs = new CompletionResponse("m", sent.text(), null, null, null, "length", TokenUsage.NONE);
    assertThat(
        assertThrows(UnusableLogprobsException.class, () -> ResponseLogprobs.of(noLogprobs, sent)).getMessage(),
        containsString("no token log-probs"));

    List<String> tokens = List.of("User:", " Hi", "\n", "Assistant:", " Yes");
    CompletionResponse notEchoed =
        new CompletionResponse("m", "", tokens, Arrays.asList(null, -1.0, -1.0, -1.0, -1.0), List.of(0, 5, 8, 9, 19), "length", TokenUsage.NONE);
    assertThat(
        assertThrows(UnusableLogprobsException.class, () -> ResponseLogprobs.of(notEchoed, sent)).getMessage(),
        containsString("echoed text is not the text sent"));

    CompletionResponse missing =
        new CompletionResponse(
            "m", sent.text(), tokens, Arrays.asList(null, -1.0, -1.0, -1.0, null), List.of(0, 5, 8, 9, 19), "length", TokenUsage.NONE);
    assertThat(
        assertThrows(UnusableLogprobsException.class, () -> ResponseLogprobs.of(missing, sent)).getMessage(),
        containsString("' Yes') has no finite log-prob"));

    ScoringFormat.Joined empty = ScoringFormat.TRANSCRIPT.join("Hi", "");
    List<String> headOnly = List.of("User:", " Hi", "\n", "Assistant:", " ");
    CompletionResponse nothing =
        new CompletionResponse(
            "m", empty.text(), headOnly, Arrays.asList(null, -1.0, -1.0, -1.0, -1.0), List.of(0, 5, 8, 9, 19), "length", TokenUsage.NONE);
    assertThat(
        assertThrows(UnusableLogprobsException.class, () -> ResponseLogprobs.of(nothing, empty)).getMessage(),
        startsWith("no token of the response"));
  }

  @Test
  void formatsAreNamedValidatedAndVersioned() {
    assertThat(ScoringFormat.named("chatml"), is(ScoringFormat.CHATML));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> ScoringFormat.named("alpaca")).getMessage(),
        containsString("[transcript, chatml, llama3]"));
    assertThrows(IllegalArgumentException.class, () -> ScoringFormat.of("glued", "", "", ""));
    assertThat(ScoringFormat.TRANSCRIPT.ref(), startsWith("transcript@"));
    assertThat(
        "same id, other texts: another ref",
        ScoringFormat.of("transcript", "User: ", "\nBot: ", "").ref(),
        is(org.hamcrest.Matchers.not(ScoringFormat.TRANSCRIPT.ref())));
    ScoringFormat.Joined j = ScoringFormat.LLAMA3.join("p", "r");
    assertThat(j.text().substring(j.responseStart()), is("r<|eot_id|>"));
  }

  private static final Candidate C = new Candidate("p/m/0", "p", "Hi", null, "Yes it is", "m", 0, "stop", null);

  @Test
  void theRewardIsBetaTimesTheLogRatioOverResponseTokens() {
    ResponseLogprobs current = new ResponseLogprobs(List.of(" Yes", " it", " is"), List.of(-1.0, -2.0, -0.5));
    ResponseLogprobs reference = new ResponseLogprobs(List.of(" Yes", " it", " is"), List.of(-2.0, -2.5, -1.5));
    CandidateReward r = ScoreWithImplicitReward.reward("implicit", C, 0.1, current, reference);
    assertThat(r.reward(), closeTo(0.1 * (-3.5 - -6.0), 1e-12));
    assertThat(r.samples(), is(3L));
    assertThat(r.usable(), is(3L));
    // Per-token terms 0.1, 0.05, 0.1: sample sd.
    assertThat(r.spread(), closeTo(Math.sqrt((2 * Math.pow(0.1 - 0.25 / 3, 2) + Math.pow(0.05 - 0.25 / 3, 2)) / 2), 1e-12));

    CandidateReward plain = ScoreWithImplicitReward.reward("ll", C, 0.1, current, null);
    assertThat("no reference: mean log-prob, no beta", plain.reward(), closeTo(-3.5 / 3, 1e-12));

    ResponseLogprobs otherTokenizer = new ResponseLogprobs(List.of(" Yes", " it is"), List.of(-2.0, -3.0));
    assertThat(
        assertThrows(UnusableLogprobsException.class, () -> ScoreWithImplicitReward.reward("implicit", C, 0.1, current, otherTokenizer))
            .getMessage(),
        containsString("tokenized the response differently"));
  }

  @Test
  void preferenceIsTheBradleyTerrySigmoidOfTheRewardDifference() {
    assertThat(ScoreWithImplicitReward.preferenceFirst(1.0, 1.0), is(0.5));
    assertThat(ScoreWithImplicitReward.preferenceFirst(2.0, 1.0), closeTo(1 / (1 + Math.exp(-1)), 1e-15));
    assertThat(
        ScoreWithImplicitReward.preferenceFirst(1.0, 2.0) + ScoreWithImplicitReward.preferenceFirst(2.0, 1.0), closeTo(1.0, 1e-15));
    assertThat("no overflow", ScoreWithImplicitReward.preferenceFirst(-1000, 1000), is(0.0));
    assertThat(ScoreWithImplicitReward.preferenceFirst(1000, -1000), is(1.0));
  }
}
