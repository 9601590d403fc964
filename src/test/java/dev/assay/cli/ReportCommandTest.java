package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.assay.report.ReportFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code assay report}: a run or a folder of iterations; bad input exits 2 with one line, no stack trace. */
class ReportCommandTest {
  @TempDir Path tmp;

  private static CliRun report(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ReportCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  @Test
  void writesTheReportOfARun() {
    Path run = ReportFixture.full(tmp.resolve("run"), 0);
    CliRun r = report(run.toString());
    assertThat(r.err(), r.exit(), is(0));
    assertThat(r.out(), containsString("report.html"));
    assertThat(Files.isRegularFile(run.resolve("report.html")), is(true));
  }

  @Test
  void writesTheCrossIterationReportOfAFolderOfIterations() {
    Path runs = tmp.resolve("runs");
    ReportFixture.full(runs.resolve("iter-0"), 0);
    ReportFixture.full(runs.resolve("iter-1"), 1);
    CliRun r = report(runs.toString());
    assertThat(r.err(), r.exit(), is(0));
    assertThat(Files.isRegularFile(runs.resolve("report.html")), is(true));
    assertThat(Files.isRegularFile(runs.resolve("iter-1/report.html")), is(true));
  }

  @Test
  void aMissingDirectoryExitsTwoWithoutAStackTrace() {
    CliRun r = report(tmp.resolve("nope").toString());
    assertThat(r.exit(), is(Main.BAD_INPUT));
    assertThat(r.err(), startsWith("assay: no such run directory"));
    assertThat(r.err(), not(containsString("Exception")));
    assertThat(r.err(), not(containsString("\tat ")));
    assertThat(r.out(), is(emptyString()));
  }

  @Test
  void aFolderThatIsNoRunExitsTwo() throws Exception {
    Files.createDirectories(tmp.resolve("plain"));
    CliRun r = report(tmp.resolve("plain").toString());
    assertThat(r.exit(), is(Main.BAD_INPUT));
    assertThat(r.err(), startsWith("assay: not a run directory"));
  }

  @Test
  void aCorruptFileExitsTwoNamingIt() throws Exception {
    Path run = ReportFixture.full(tmp.resolve("run"), 0);
    Files.writeString(run.resolve("judgments/judgments.jsonl"), "{\"id\": 3\n");
    CliRun r = report(run.toString());
    assertThat(r.exit(), is(Main.BAD_INPUT));
    assertThat(r.err(), containsString("judgments.jsonl"));
    assertThat(r.err(), not(containsString("\tat ")));
  }
}
