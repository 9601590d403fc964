package dev.assay.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a chat request asks the simulated model to do, read from its content the way Assay's templates lay it out:
 * absolute grading ({@code <response>...</response>} plus the {@code [RESULT]} format instruction), pairwise grading
 * ({@code <response_a>...</response_a>} and {@code <response_b>...</response_b>}), or otherwise writing a response.
 *
 * <p>The response block runs from the first opening tag to the last closing tag, so a response that itself contains
 * the tag cannot end its block early. The rubric's {@code Score N:} lines (outside the response blocks) give the scale;
 * without at least two of them the scale is 1-5.
 */
record JudgeTask(
    Kind kind,
    String response,
    String responseA,
    String responseB,
    boolean hasReference,
    int scaleMin,
    int scaleMax) {
  enum Kind {
    POLICY,
    ABSOLUTE,
    PAIRWISE
  }

  private static final Pattern SCORE_LINE = Pattern.compile("(?m)^[\\s>*#-]*Score\\s+(\\d{1,2})\\s*[:.)]");

  static JudgeTask detect(String lastUser, String systemText) {
    String[] a = block(lastUser, "<response_a>", "</response_a>");
    String[] b = block(lastUser, "<response_b>", "</response_b>");
    if (a != null && b != null) {
      String rest = a[1].replace(b[0], "");
      int[] scale = scale(rest);
      return new JudgeTask(Kind.PAIRWISE, null, a[0], b[0], rest.contains("<reference>"), scale[0], scale[1]);
    }
    String[] r = block(lastUser, "<response>", "</response>");
    if (r != null && (r[1].contains("[RESULT]") || systemText.contains("[RESULT]"))) {
      int[] scale = scale(r[1]);
      return new JudgeTask(Kind.ABSOLUTE, r[0], null, null, r[1].contains("<reference>"), scale[0], scale[1]);
    }
    return new JudgeTask(Kind.POLICY, null, null, null, false, 1, 5);
  }

  /** {content, text with the content cut out}, or null when the tags are absent or out of order. */
  private static String[] block(String text, String open, String close) {
    int from = text.indexOf(open);
    int to = text.lastIndexOf(close);
    if (from < 0 || to < from + open.length()) {
      return null;
    }
    String content = text.substring(from + open.length(), to);
    return new String[] {content, text.substring(0, from + open.length()) + text.substring(to)};
  }

  private static int[] scale(String text) {
    Matcher m = SCORE_LINE.matcher(text);
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    int count = 0;
    while (m.find()) {
      int v = Integer.parseInt(m.group(1));
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      count++;
    }
    return count >= 2 && hi > lo ? new int[] {lo, hi} : new int[] {1, 5};
  }
}
