package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.assay.report.HeadlessChromium;
import dev.assay.report.ReportWriter;
import dev.assay.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on a real demo run (the simulator's self-rewarding iteration): every chart has data, and the page
 * renders in headless Chromium with every chart in the DOM.
 */
class ReportOnDemoTest {
  @TempDir static Path tmp;
  private static Path run;
  private static String html;

  @BeforeAll
  static void runTheDemoOnce() throws Exception {
    run = tmp.resolve("demo");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int exit = DemoCommand.runDemo(run, false, List.of(), SimulatorConfig.defaults(),
        new PrintStream(console, true, StandardCharsets.UTF_8));
    assertThat(console.toString(StandardCharsets.UTF_8), exit, is(0));
    CliRun r = report(run.toString());
    assertThat(r.err(), r.exit(), is(0));
    html = Files.readString(run.resolve(ReportWriter.REPORT), StandardCharsets.UTF_8);
  }

  private static CliRun report(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = new picocli.CommandLine(new ReportCommand());
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    return new CliRun(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void everyChartHasDataOnTheDemo() {
    for (String name : ReportWriter.RUN_CHARTS) {
      assertThat(name, html, containsString("<svg data-chart=\"" + name + "\""));
    }
    assertThat(html, not(containsString("data-empty")));
    assertThat(html, not(containsString("http://")));
    assertThat(html, not(containsString("https://")));
    // The demo's judges, reward models, filter gains and consistency modes appear by name.
    for (String s : List.of("judge.self", "pairwise-self", "implicit", "filter-gains", "consistency-modes", "label_smoothing")) {
      assertThat(s, html, containsString(s));
    }
  }

  @Test
  void rendersInHeadlessChromium() throws Exception {
    HeadlessChromium.requireInstalled();
    Path page = run.resolve(ReportWriter.REPORT);
    String dom = HeadlessChromium.dumpDom(page, tmp);
    for (String name : ReportWriter.RUN_CHARTS) {
      assertThat(name, Pattern.compile("<svg[^>]*data-chart=\"" + name + "\"").matcher(dom).find(), is(true));
    }
    Path png = tmp.resolve("demo-report.png");
    HeadlessChromium.screenshot(page, png, tmp);
    assertThat(Files.size(png) > 10_000, is(true));
    // Kept for a person to look at when the test is run by hand (target/ is ignored by git).
    Path keep = Path.of("target", "report-demo.png");
    Files.createDirectories(keep.getParent());
    Files.copy(png, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
