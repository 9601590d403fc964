package dev.assay.judging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a verdict (A, B or tie, in position terms: A is the response shown first) and rationale from a pairwise
 * judge's answer.
 *
 * <p>Accepted result markers: {@code [RESULT] A|B|tie} (also {@code [RESULT]: B}, {@code [RESULT] Response A}),
 * MT-Bench's {@code [[A]]}, {@code [[B]]}, {@code [[C]]} (C is a tie), LLMBar's {@code Output (a) is better} (with an
 * optional "Therefore,") and a line consisting only of {@code Output (a)} or {@code Output (b)}, JSON
 * {@code "winner": "A"}, and PandaLM's answer layout: a first line {@code 1}, {@code 2} or {@code Tie} (response 1
 * or 2, as shown, is better) followed by a {@code ### Reason:} section. The <em>last</em> marker counts. Not read: the
 * prompt's tagged blocks copied back, and a copied-back list of the choices ({@code [RESULT] A, [RESULT] B or [RESULT]
 * tie}, {@code "Output (a) is better." or "Output (b) is better."}): markers of different verdicts joined only by
 * punctuation, "or" or "and" are the answer format, not an answer. A sentence that merely mentions "Output (a)" is
 * not a verdict.
 *
 * <p>No marker: {@code truncated} when {@code finishReason} is {@code length}, {@code refused} for a refusal or a
 * content-filter stop, else {@code unparseable} (an empty answer, or "both are equally good" without a tie marker).
 * The rationale is the text before the marker, trimmed.
 */
public final class PairwiseParser {
  private static final List<Pattern> MARKERS =
      List.of(
          Pattern.compile(
              "\\[\\s*RESULT\\s*]\\s*[:=]?\\s*[*_\"'(]*\\s*(?:(?:response|output|assistant)[\\s_]*)?(?<v>A|B|tie)\\b",
              Pattern.CASE_INSENSITIVE),
          Pattern.compile(
              "(?:(?:final\\s+)?verdict[*_]*\\s*[:=]?[*_]*\\s*)?\\[\\[\\s*(?<v>A|B|C|tie)\\s*]]", Pattern.CASE_INSENSITIVE),
          Pattern.compile(
              "(?:(?:therefore|thus|hence|so|overall|in\\s+conclusion)\\s*,?\\s*)?output\\s*\\(\\s*(?<v>a|b)\\s*\\)\\s+is\\s+"
                  + "(?:the\\s+)?better",
              Pattern.CASE_INSENSITIVE),
          Pattern.compile(
              "^[ \\t*_#>-]*(?:final\\s+(?:answer|verdict)\\s*:\\s*)?output\\s*\\(\\s*(?<v>a|b)\\s*\\)[ \\t*_.!]*$",
              Pattern.CASE_INSENSITIVE | Pattern.MULTILINE),
          Pattern.compile("\"(?:winner|verdict|preferred)\"\\s*:\\s*\"(?<v>A|B|tie)\"", Pattern.CASE_INSENSITIVE),
          // PandaLM: the verdict alone on the first line, then its reason section; a bare "1" without that section
          // could be the start of a numbered list, so the section is required.
          Pattern.compile("\\A\\s*(?<v>1|2|tie)[ \\t]*\\R\\s*###\\s*Reason\\s*:", Pattern.CASE_INSENSITIVE));

  /** What may separate the choices in a copied-back answer format. */
  private static final Pattern CHOICE_LIST_GAP = Pattern.compile("[\\s,.;:\"'`*()/]*(?:(?:or|and)[\\s,.;:\"'`*()/]*)?");

  private PairwiseParser() {}

  private record Hit(int start, int end, Verdict verdict) {}

  /**
   * Parses one answer.
   *
   * @param completion the judge's whole answer (null is treated as empty)
   * @param finishReason the server's finish reason, may be null or empty
   */
  public static ParsedJudgment parse(String completion, String finishReason) {
    String text = completion == null ? "" : completion;
    String masked = JudgeAnswers.mask(text, finishReason);

    List<Hit> hits = new ArrayList<>();
    for (Pattern p : MARKERS) {
      Matcher m = p.matcher(masked);
      while (m.find()) {
        hits.add(new Hit(m.start(), m.end(), verdictOf(m.group("v"))));
      }
    }
    hits.sort(Comparator.comparingInt(Hit::start).thenComparingInt(h -> -h.end()));
    boolean[] echoed = new boolean[hits.size()];
    for (int i = 0; i + 1 < hits.size(); i++) {
      Hit a = hits.get(i);
      Hit b = hits.get(i + 1);
      if (a.verdict() != b.verdict()
          && b.start() >= a.end()
          && CHOICE_LIST_GAP.matcher(masked.substring(a.end(), b.start())).matches()) {
        echoed[i] = true;
        echoed[i + 1] = true;
      }
    }
    Hit best = null;
    for (int i = 0; i < hits.size(); i++) {
      Hit h = hits.get(i);
      if (!echoed[i] && (best == null || h.end() > best.end() || (h.end() == best.end() && h.start() < best.start()))) {
        best = h;
      }
    }
    if (best == null) {
      return JudgeAnswers.noResult(text, masked, finishReason, "a verdict");
    }
    return ParsedJudgment.verdict(best.verdict(), JudgeAnswers.rationale(text, best.start()));
  }

  private static Verdict verdictOf(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "a", "1" -> Verdict.A;
      case "b", "2" -> Verdict.B;
      default -> Verdict.TIE; // "tie", or MT-Bench's "C"
    };
  }
}
