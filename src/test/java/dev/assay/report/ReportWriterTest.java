package dev.assay.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReportWriter}: every chart present, empty ones marked, nothing fetched from anywhere. */
class ReportWriterTest {
  @TempDir Path tmp;

  static String read(Path p) throws Exception {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** Asserts a chart is an svg with data (not the empty note). */
  static void assertChart(String html, String name) {
    assertThat(name, html, containsString("<svg data-chart=\"" + name + "\""));
  }

  static void assertEmptyChart(String html, String name) {
    assertThat(name, html, containsString("data-chart=\"" + name + "\" data-empty=\"true\""));
  }

  static void assertSelfContained(String html) {
    assertThat(html, not(containsString("http://")));
    assertThat(html, not(containsString("https://")));
    assertThat(html, not(containsString("<script")));
    assertThat(html, not(containsString("<link")));
    assertThat(html, not(containsString("@import")));
    assertThat(html, not(containsString("url(")));
  }

  @Test
  void everyChartOfARunIsDrawn() throws Exception {
    Path run = ReportFixture.full(tmp.resolve("run"), 1);
    Path report = ReportWriter.write(run);
    assertThat(report, is(run.toAbsolutePath().resolve("report.html")));
    String html = read(report);
    for (String name : ReportWriter.RUN_CHARTS) {
      assertChart(html, name);
    }
    assertThat(html, not(containsString("data-empty")));
    assertSelfContained(html);
    // Tables: stage accounting, usage, simulated truth, label smoothing.
    for (String table : List.of("stages", "usage", "costs", "simulated-truth", "label-smoothing")) {
      assertThat(table, html, containsString("data-table=\"" + table + "\""));
    }
    assertThat(html, containsString("0.250")); // label_smoothing
    assertThat(html, containsString("chosen truly better in unfiltered 80.0% (4/5)"));
    // The manifest's costs: $0.5 for the judge stage, 5 kept pairs.
    assertThat(html, containsString("5 kept pairs, $0.100000 per kept pair"));
  }

  @Test
  void textFromTheRunIsEscaped() throws Exception {
    String html = read(ReportWriter.write(ReportFixture.full(tmp.resolve("run"), 0)));
    assertThat(html, containsString("./assay demo &lt;x&gt;"));
    // Iteration 0 measured no consistency: that one chart is marked, the others are drawn.
    assertEmptyChart(html, "consistency-histogram");
    assertThat(html, not(containsString("demo <x>")));
  }

  @Test
  void chartsWithoutDataAreMarkedNotMeasured() throws Exception {
    String html = read(ReportWriter.write(ReportFixture.bare(tmp.resolve("bare"))));
    for (String name : ReportWriter.RUN_CHARTS) {
      assertEmptyChart(html, name);
    }
    assertThat(html, containsString("not measured in this run"));
    assertSelfContained(html);
  }

  @Test
  void agreementMatrixCountsPairsWhereBothVotersChoseASide() throws Exception {
    String html = read(ReportWriter.write(ReportFixture.full(tmp.resolve("run"), 0)));
    // judge-self prefers "second" on all 18 pairs; pairwise-self prefers "first" on 6 of them (a + p = 0 mod 3).
    assertThat(html, containsString("judge-self vs pairwise-self: 67%\n12/18"));
    // implicit has a preference only on even prompts (9 pairs), always "second".
    assertThat(html, containsString("implicit vs judge-self: 100%\n9/9"));
  }

  @Test
  void acrossIterationsDrawsEveryChartAndEachIterationsReport() throws Exception {
    Path runs = tmp.resolve("runs");
    ReportFixture.full(runs.resolve("iter-0"), 0);
    ReportFixture.full(runs.resolve("iter-1"), 1);
    ReportFixture.full(runs.resolve("iter-10"), 2);
    Files.createDirectories(runs.resolve("notes"));
    assertThat(ReportWriter.holdsIterations(runs), is(true));
    String html = read(ReportWriter.writeAcross(runs));
    for (String name : ReportWriter.ACROSS_CHARTS) {
      assertChart(html, name);
    }
    assertSelfContained(html);
    assertThat(html, containsString("not measured")); // iter-0's C in the table, and a gap in the line
    // Numeric order, not lexicographic: iter-10 comes after iter-1.
    assertThat(html.indexOf(">iter-10<"), greaterThan(html.indexOf(">iter-1<")));
    for (String it : List.of("iter-0", "iter-1", "iter-10")) {
      assertThat(Files.isRegularFile(runs.resolve(it).resolve("report.html")), is(true));
      assertThat(html, containsString("href=\"" + it + "/report.html\""));
    }
  }

  @Test
  void notARunDirectoryIsRejected() throws Exception {
    Files.createDirectories(tmp.resolve("empty"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(tmp.resolve("empty")));
    assertThat(e.getMessage(), containsString("no manifest.json"));
    assertThrows(IllegalArgumentException.class, () -> ReportWriter.writeAcross(tmp.resolve("empty")));
  }

  @Test
  void aCorruptStageFileNamesTheFile() throws Exception {
    Path run = ReportFixture.full(tmp.resolve("run"), 0);
    Files.writeString(run.resolve("pairs/pairs.jsonl"), "{not json\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(run));
    assertThat(e.getMessage(), containsString("pairs.jsonl"));
  }

  @Test
  void rendersInHeadlessChromiumWithEveryChart() throws Exception {
    HeadlessChromium.requireInstalled();
    Path runs = tmp.resolve("runs");
    ReportFixture.full(runs.resolve("iter-0"), 0);
    ReportFixture.full(runs.resolve("iter-1"), 1);
    Path across = ReportWriter.writeAcross(runs);
    assertRendered(runs.resolve("iter-1/report.html"), ReportWriter.RUN_CHARTS, tmp);
    assertRendered(across, ReportWriter.ACROSS_CHARTS, tmp);
  }

  /** Renders {@code html} and checks that every named chart's svg is in the DOM chromium built, then screenshots. */
  static void assertRendered(Path html, List<String> charts, Path scratch) throws Exception {
    String dom = HeadlessChromium.dumpDom(html, scratch);
    for (String name : charts) {
      Matcher m = Pattern.compile("<svg[^>]*data-chart=\"" + Pattern.quote(name) + "\"").matcher(dom);
      assertThat("chart " + name + " in the rendered DOM", m.find(), is(true));
    }
    Path png = scratch.resolve(html.getParent().getFileName() + "-report.png");
    HeadlessChromium.screenshot(html, png, scratch);
    assertThat(Files.size(png), greaterThan(10_000L));
    byte[] head = Files.readAllBytes(png);
    assertThat("PNG signature", head[1] == 'P' && head[2] == 'N' && head[3] == 'G', is(true));
  }
}
