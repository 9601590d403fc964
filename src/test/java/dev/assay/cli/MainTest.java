package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void everyVerbOfTheContractIsRegistered() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--help"), is(0));
    for (String verb : new String[] {"demo", "run", "validate", "simulate", "agreement", "export", "audit", "report", "bench", "qualify", "audit-filters"}) {
      assertThat(out.toString(), containsString("  " + verb));
    }
  }

  @Test
  void aMissingRecipeIsBadInputNotACrash() {
    assertThat(Main.execute("run", "does-not-exist.yaml"), is(Main.BAD_INPUT));
  }

  @Test
  void badRunnerOptionsAreUsageErrorsBeforeAnythingRuns() {
    assertThat(Main.execute("demo", "--runner", "spark", "--out", "target/never-written"), is(Main.BAD_INPUT));
    assertThat(Main.execute("demo", "--flink-master", "host:8081", "--out", "target/never-written"), is(Main.BAD_INPUT));
    assertThat(Main.execute("demo", "--parallelism", "-2", "--out", "target/never-written"), is(Main.BAD_INPUT));
    assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("target/never-written")), is(false));
  }
}
