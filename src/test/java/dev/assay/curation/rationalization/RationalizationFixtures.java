package dev.assay.curation.rationalization;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;

/** Hand-made judgments for the self-rationalization tests: judge {@code j}, item = candidate id. */
final class RationalizationFixtures {
  static final String JUDGE = "j";

  private RationalizationFixtures() {}

  /** An ok sample with a raw answer that ends in its score; {@code note} makes texts differ or repeat on purpose. */
  static Judgment ok(String item, int sample, int score, String note) {
    return new Judgment(
        JUDGE + "/" + item + "/" + sample, "prompt-of-" + item, JudgmentKind.ABSOLUTE, JUDGE, "m", "absolute@test", item, null,
        sample, JudgmentStatus.OK, score, null, note, "Feedback: " + note + "\n[RESULT] " + score, ReferenceMode.NONE, null,
        "llm", null);
  }

  static Judgment ok(String item, int sample, int score) {
    return ok(item, sample, score, "sample " + sample + " of " + item + " says " + score);
  }

  /** An imported-style ok sample: rationale only, no raw answer. */
  static Judgment imported(String item, int sample, int score, String rationale) {
    return new Judgment(
        JUDGE + "/" + item + "/" + sample, "prompt-of-" + item, JudgmentKind.ABSOLUTE, JUDGE, JUDGE, null, item, null,
        sample, JudgmentStatus.OK, score, null, rationale, null, ReferenceMode.GIVEN, null, "import:test.json", null);
  }

  static Judgment notOk(String item, int sample, JudgmentStatus status) {
    return new Judgment(
        JUDGE + "/" + item + "/" + sample, "prompt-of-" + item, JudgmentKind.ABSOLUTE, JUDGE, "m", "absolute@test", item, null,
        sample, status, null, null, "", status == JudgmentStatus.FAILED ? null : "no score here", ReferenceMode.NONE, null, "llm",
        "scripted " + status.wire());
  }

  static JudgePrompt prompt(String item) {
    return new JudgePrompt(item, "You grade.", "Grade the response of " + item + ".");
  }
}
