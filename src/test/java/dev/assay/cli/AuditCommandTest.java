package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.consistency.AuditReport;
import dev.assay.consistency.PromptConsistency;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code assay audit} on hand-written run directories. Two prompts, three candidates each, two samples per
 * candidate with the same score, so each mean is that score:
 *
 * <pre>
 *              p1/a p1/b p1/c   p2/d p2/e p2/f
 *   current      5    3    1      4    2    3      (and p1/x 4, judged only now; one unparseable sample of p1/a)
 *   previous     4    3    2      5    1    3      same order in both prompts: C = 1
 *   drifted      1    3    5      5    1    3      p1 reversed: C(p1) = 0, C(p2) = 1
 * </pre>
 *
 * The current run also has pairwise judgments of judge "pair": (a, b) A then (b, a) B, consistent; (a, c) A then
 * (c, a) A, a flip; (b, c) tie both times; (d, e) in one order only, not a comparison. Flip rate 1/3.
 */
class AuditCommandTest {
  @TempDir Path tmp;

  private static Judgment absolute(String judge, String candidate, int sample, Integer score) {
    String prompt = candidate.substring(0, candidate.indexOf('/'));
    return new Judgment(judge + "/" + candidate + "/" + sample, prompt, JudgmentKind.ABSOLUTE, judge, "m",
        "absolute@0", candidate, null, sample, score == null ? JudgmentStatus.UNPARSEABLE : JudgmentStatus.OK, score,
        null, "", "raw", ReferenceMode.NONE, null, "llm", score == null ? "no score" : null);
  }

  private static Judgment pairwise(String a, String b, Verdict verdict) {
    String prompt = a.substring(0, a.indexOf('/'));
    return new Judgment("pair/" + a + "/" + b + "/0", prompt, JudgmentKind.PAIRWISE, "pair", "m", "pairwise@0", a, b,
        0, JudgmentStatus.OK, null, verdict, "", "raw", ReferenceMode.NONE, null, "llm", null);
  }

  /** Two ok samples per candidate: ids then scores, in pairs. */
  private static List<Judgment> scored(String judge, Object... candidateThenScore) {
    List<Judgment> out = new ArrayList<>();
    for (int i = 0; i < candidateThenScore.length; i += 2) {
      for (int s = 0; s < 2; s++) {
        out.add(absolute(judge, (String) candidateThenScore[i], s, (Integer) candidateThenScore[i + 1]));
      }
    }
    return out;
  }

  private Path runDir(String name, List<Judgment> judgments) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir.resolve("judgments"));
    StringBuilder sb = new StringBuilder();
    for (Judgment j : judgments) {
      sb.append(Json.line(j)).append('\n');
    }
    Files.writeString(dir.resolve("judgments/judgments.jsonl"), sb);
    return dir;
  }

  private Path current() throws IOException {
    List<Judgment> js = scored("self", "p1/a", 5, "p1/b", 3, "p1/c", 1, "p2/d", 4, "p2/e", 2, "p2/f", 3, "p1/x", 4);
    js.add(absolute("self", "p1/a", 2, null));
    js.add(pairwise("p1/a", "p1/b", Verdict.A));
    js.add(pairwise("p1/b", "p1/a", Verdict.B));
    js.add(pairwise("p1/a", "p1/c", Verdict.A));
    js.add(pairwise("p1/c", "p1/a", Verdict.A));
    js.add(pairwise("p1/b", "p1/c", Verdict.TIE));
    js.add(pairwise("p1/c", "p1/b", Verdict.TIE));
    js.add(pairwise("p2/d", "p2/e", Verdict.A));
    return runDir("iter-1", js);
  }

  private Path stable() throws IOException {
    return runDir("iter-0", scored("self", "p1/a", 4, "p1/b", 3, "p1/c", 2, "p2/d", 5, "p2/e", 1, "p2/f", 3));
  }

  private Path drifted() throws IOException {
    return runDir("iter-0-drifted", scored("self", "p1/a", 1, "p1/b", 3, "p1/c", 5, "p2/d", 5, "p2/e", 1, "p2/f", 3,
        "p3/g", 3, "p3/h", 3));
  }

  private record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  private static Run audit(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AuditCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void stablePairOfIterationsPassesTheGate() throws IOException {
    Run r = audit("--current", current(), "--previous", stable(), "--min-consistency", "0.8");
    assertThat(r.err(), emptyString());
    assertThat(r.exit(), is(0));
    assertThat(r.out(), containsString("C                 1.0000   mean C(x) over 2 defined prompts of 2"));
    assertThat(r.out(), containsString("label_smoothing   0.0000"));
    assertThat(r.out(), containsString("matched   6 candidates judged in both, in 2 prompts (current only 1,"
        + " previous only 0)"));
    assertThat(r.out(), containsString("Cohen's kappa   0.1429   unweighted, 2 of 6 equal, 5 categories"));
    assertThat(r.out(), containsString("Cohen's kappa   0.8000   quadratic, 2 of 6 equal, 5 categories"));
    assertThat(r.out(), containsString("judge pair: 0.3333   1 of 3 comparisons followed the position"));
    assertThat(r.out(), containsString("previous  no pairwise judgments"));
    assertThat(r.out(), containsString("mean shift +0.0000; total variation distance 0.0000"));
    assertThat(r.out(), containsString("gate passed: consistency C 1.0000 >= --min-consistency 0.8000"));
  }

  @Test
  void theFiguresByHand() throws IOException {
    AuditReport report = AuditReport.compute(current(), stable());
    assertThat(report.consistency().consistency(), is(1.0));
    assertThat(report.consistency().labelSmoothing(), is(0.0));
    assertThat(report.prompts().stream().map(PromptConsistency::promptId).toList(), contains("p1", "p2"));
    // Rounded means now [5 3 1 4 2 3], before [4 3 2 5 1 3]: p_o = 2/6, p_e = 8/36, kappa = 1/7. Quadratic over
    // 1..5: observed Σd = 4 · 1/16 over 6; expected 2 var = 10/3, over 16; kappa = 1 - (1/24) / (10/48) = 0.8.
    assertThat(report.kappa().kappa(), closeTo(1.0 / 7, 1e-12));
    assertThat(report.kappaQuadratic().kappa(), closeTo(0.8, 1e-12));
    assertThat(report.kappa().items(), is(6L));
    // Each side: scores 1, 2, 4, 5 twice and 3 four times over the six matched candidates.
    AuditReport.Distribution now = report.scores().current();
    assertThat(now.n(), is(12L));
    assertThat(now.mean(), is(3.0));
    assertThat(now.std(), closeTo(Math.sqrt(20.0 / 12), 1e-12));
    assertThat(now.histogram(), equalTo(Map.of(1, 2L, 2, 2L, 3, 4L, 4, 2L, 5, 2L)));
    assertThat(report.scores().totalVariation(), is(0.0));
    assertThat(report.current().okScores(), is(14L));
    assertThat(report.current().judgments(), is(22L));
    AuditReport.FlipRate flips = report.flipRates().current().get("pair");
    assertThat(flips.comparisons(), is(3L));
    assertThat(flips.flips(), is(1L));
    assertThat(report.flipRates().previous(), nullValue());
    assertThat(report.gate(), nullValue());
  }

  @Test
  void driftedIterationsFailTheGateAndSayByHowMuch() throws IOException {
    Run r = audit("--current", current(), "--previous", drifted(), "--min-consistency", "0.8");
    assertThat(r.exit(), is(1));
    // p1 reversed (C 0), p2 same (C 1); p3 tied before: undefined, counted, not averaged.
    assertThat(r.out(), containsString("C                 0.5000   mean C(x) over 2 defined prompts of 2"));
    assertThat(r.err(), is("assay: gate failed: consistency C 0.5000 is below --min-consistency 0.8000 by 0.3000"
        + System.lineSeparator()));
    assertThat(r.out(), containsString("p1                                3  -1.0000   0.0000"));
    AuditReport report = AuditReport.compute(current(), drifted(), new AuditReport.Options(null, null, 0.8));
    assertThat(report.gate().passed(), is(false));
    assertThat(report.gate().shortfall(), closeTo(0.3, 1e-12));
    assertThat(report.matching().previousOnly(), is(2L));
  }

  @Test
  void undefinedPromptsAreCountedAndAnUndefinedConsistencyFailsTheGate() throws IOException {
    Path now = runDir("now", scored("self", "p3/g", 4, "p3/h", 2));
    Run r = audit("--current", now, "--previous", drifted(), "--min-consistency", "0.1", "--json");
    assertThat(r.exit(), is(1));
    JsonNode j = r.json();
    assertThat(j.get("consistency").get("consistency").isNull(), is(true));
    assertThat(j.get("consistency").get("undefined_reasons").get("all_tied_previous").asLong(), is(1L));
    assertThat(j.get("prompts").get(0).get("undefined_reason").asText(), is("all_tied_previous"));
    assertThat(j.get("gate").get("passed").asBoolean(), is(false));
    assertThat(r.err(), containsString("consistency C is undefined"));
  }

  @Test
  void anchorSetAskedForWhereARunHasNoneIsBadInput() throws IOException {
    Run r = audit("--current", current(), "--previous", stable(), "--on", "anchor");
    assertThat(r.exit(), is(2));
    assertThat(r.err(), containsString("no anchor set: the run had no anchor: section"));
    Run auto = audit("--current", current(), "--previous", stable(), "--json");
    assertThat("without anchor sets the default compares the candidates", auto.json().get("on").asText(), is("candidates"));
    assertThat(audit("--current", current(), "--previous", stable(), "--on", "everything").exit(), is(2));
  }

  @Test
  void jsonShapeWithSortedKeys() throws IOException {
    Run r = audit("--current", current(), "--previous", stable(), "--json", "--min-consistency", "0.9");
    assertThat(r.exit(), is(0));
    JsonNode j = r.json();
    assertThat(names(j), contains("consistency", "current", "flip_rates", "gate", "kappa", "kappa_quadratic",
        "matching", "on", "previous", "prompts", "scores"));
    assertThat(names(j.get("consistency")), contains("consistency", "defined", "failed", "failures", "histogram",
        "kept", "label_smoothing", "mean_tau_b", "measured", "prompts", "rejected", "rejections", "undefined",
        "undefined_reasons"));
    assertThat(j.get("consistency").get("label_smoothing").asDouble(), is(0.0));
    assertThat(j.get("consistency").get("histogram").size(), is(10));
    JsonNode p1 = j.get("prompts").get(0);
    assertThat(p1.get("prompt_id").asText(), is("p1"));
    assertThat(p1.get("tau_b").asDouble(), is(1.0));
    assertThat(p1.get("candidates").get(0).get("current_rank").asDouble(), is(1.0));
    assertThat(names(j.get("scores").get("current").get("histogram")), contains("1", "2", "3", "4", "5"));
    assertThat(j.get("flip_rates").has("previous"), is(false));
    assertThat(j.get("flip_rates").get("current").get("pair").get("rate").asDouble(), closeTo(1.0 / 3, 1e-12));
    assertThat(j.get("gate").get("min_consistency").asDouble(), is(0.9));
    assertThat(j.get("gate").has("shortfall"), is(false));
    assertThat(j.get("current").get("judge").asText(), is("self"));
    // Without pairwise judgments on either side there are no flip rates at all.
    Run none = audit("--current", stable(), "--previous", stable(), "--json");
    assertThat(none.json().has("flip_rates"), is(false));
    assertThat(none.json().has("gate"), is(false));
  }

  @Test
  void badInputExitsTwoNamingFileLineAndFieldWithoutStackTrace() throws IOException {
    Path prev = stable();
    Path missing = tmp.resolve("nowhere");
    Run r = audit("--current", missing, "--previous", prev);
    assertThat(r.exit(), is(2));
    assertThat(r.out(), emptyString());
    assertThat(r.err(), is("assay: " + missing + ": run directory not found" + System.lineSeparator()));

    Path bad = current();
    Path file = bad.resolve("judgments/judgments.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(1, "{not json");
    Files.write(file, lines);
    r = audit("--current", bad, "--previous", prev);
    assertThat(r.exit(), is(2));
    assertThat(r.err(), startsWith("assay: " + file + ":2: malformed JSON"));
    assertThat(r.err(), not(containsString("\tat ")));

    lines.set(1, Json.line(absolute("self", "p1/a", 1, 5)).replace("\"status\":\"ok\",", ""));
    Files.write(file, lines);
    r = audit("--current", bad, "--previous", prev);
    assertThat(r.err(), is("assay: " + file + ":2: field 'status': missing required field" + System.lineSeparator()));

    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    r = audit("--current", empty, "--previous", prev);
    assertThat(r.exit(), is(2));
    assertThat(r.err(), is("assay: " + empty.resolve("judgments/judgments.jsonl").toAbsolutePath()
        + ": file not found" + System.lineSeparator()));
  }

  @Test
  void badUsageExitsTwo() throws IOException {
    Path prev = stable();
    Run range = audit("--current", current(), "--previous", prev, "--min-consistency", "1.5");
    assertThat(range.exit(), is(2));
    assertThat(range.err(), is("assay: --min-consistency must be in [0, 1]: 1.5" + System.lineSeparator()));
    assertThat(audit("--current", prev).exit(), is(2));

    Path other = runDir("other", scored("self", "q/a", 1, "q/b", 2));
    Run disjoint = audit("--current", other, "--previous", prev);
    assertThat(disjoint.exit(), is(2));
    assertThat(disjoint.err(), containsString("no candidate was judged in both iterations"));

    List<Judgment> two = scored("self", "p1/a", 5, "p1/b", 3);
    two.addAll(scored("prev", "p1/a", 1, "p1/b", 3));
    Path both = runDir("two-judges", two);
    Run ambiguous = audit("--current", both, "--previous", prev);
    assertThat(ambiguous.exit(), is(2));
    assertThat(ambiguous.err(), containsString("field 'judge': several absolute judges [prev, self]; name one"));
    assertThat(audit("--current", both, "--previous", prev, "--judge", "self").exit(), is(0));
    Run unknown = audit("--current", both, "--previous", prev, "--judge", "nobody");
    assertThat(unknown.err(), containsString("no ok absolute judgment by judge 'nobody'"));
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
