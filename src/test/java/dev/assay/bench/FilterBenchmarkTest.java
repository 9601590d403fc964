package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.assay.pipeline.UsageException;
import dev.assay.sim.ModelProfile;
import dev.assay.sim.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench filters} without running a sweep: the committed figures ({@code bench/filters/}) read back exactly, the
 * chart rendered from them equals the committed SVG byte for byte (CI renders it; it does not rerun the sweep), and
 * each setting turns the knob it names.
 */
class FilterBenchmarkTest {
  private static final Path FIGURES = Path.of("bench/filters/filter-gains.csv");
  private static final Path CHART = Path.of("bench/filters/filter-gains.svg");

  @Test
  void theCommittedChartIsTheOneTheCommittedFiguresRender() throws Exception {
    List<FilterBenchmark.Figure> figures = FilterBenchmark.readCsv(FIGURES);
    assertThat(FilterBenchmark.csv(figures), is(Files.readString(FIGURES, StandardCharsets.UTF_8)));
    assertThat("rerender with ./assay bench filters --chart-only " + FIGURES + " " + CHART,
        FilterBenchmark.chart(figures), is(Files.readString(CHART, StandardCharsets.UTF_8)));
  }

  @Test
  void theCommittedSweepHasEverySettingPooledAndTheTableShowsEachPooledRow() {
    List<FilterBenchmark.Figure> figures = FilterBenchmark.readCsv(FIGURES);
    String table = FilterBenchmark.table(figures);
    for (FilterBenchmark.Setting s : FilterBenchmark.SETTINGS) {
      List<FilterBenchmark.Figure> pooled = figures.stream().filter(f -> f.setting().equals(s.name()) && f.seed().equals("pooled")).toList();
      assertThat(s.name(), pooled.size(), is(5));
      for (FilterBenchmark.Figure f : pooled) {
        assertThat(table, containsString("| " + s.name() + " | " + f.filter() + " | " + f.input() + " | " + f.removed() + " | "));
        // The pooled input is the seeds' inputs together.
        long seeds = figures.stream().filter(g -> g.setting().equals(s.name()) && g.filter().equals(f.filter()) && !g.seed().equals("pooled"))
            .mapToLong(FilterBenchmark.Figure::input).sum();
        assertThat(f.setting() + " " + f.filter(), f.input(), is(seeds));
      }
    }
  }

  @Test
  void eachSettingTurnsTheKnobItNames() {
    SimulatorConfig d = SimulatorConfig.defaults();
    ModelProfile m1 = d.model("sim-m1").orElseThrow();
    ModelProfile m0 = d.model("sim-m0").orElseThrow();
    SimulatorConfig noisy = FilterBenchmark.setting("judge-noise-x2").change().apply(d);
    assertThat(noisy.model("sim-m1").orElseThrow().judgeNoise(), closeTo(2 * m1.judgeNoise(), 1e-12));
    assertThat(noisy.model("sim-m1").orElseThrow().pairwiseNoise(), closeTo(2 * m1.pairwiseNoise(), 1e-12));
    assertThat(noisy.model("sim-m0").orElseThrow().judgeNoise(), closeTo(2 * m0.judgeNoise(), 1e-12));
    assertThat(FilterBenchmark.setting("pairwise-share-1").change().apply(d).model("sim-m1").orElseThrow().pairwiseShare(), is(1.0));
    assertThat(FilterBenchmark.setting("implicit-share-0").change().apply(d).model("sim-m0").orElseThrow().implicitShare(), is(0.0));
    ModelProfile drifted = FilterBenchmark.setting("drift-0.7").change().apply(d).model("sim-m1").orElseThrow();
    assertThat(drifted.drift(), is(0.7));
    assertThat(drifted.driftFrom(), is("sim-m0"));
    assertThat(FilterBenchmark.setting("calibrated").change().apply(d), is(d));
    assertThat(m1.judgeNoise(), greaterThan(0.0));
  }

  @Test
  void optionsDefaultToTheCommittedSweepAndBadValuesAreUsageErrors() throws Exception {
    FilterBenchmark.Options o = parse("filters", "--work", "w").options();
    assertThat(o.prompts(), is(800));
    assertThat(o.seeds(), is(List.of(1L, 2L, 3L)));
    assertThat(o.settings().size(), is(FilterBenchmark.SETTINGS.size()));
    Assertions.assertThrows(UsageException.class, () -> parse("filters", "--settings", "nope", "--work", "w").options());
    Assertions.assertThrows(UsageException.class, () -> parse("filters", "--prompts", "3", "--work", "w").options());
  }

  @Test
  void chartOnlyRendersTheChartOfACsvAndRunsNothing(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("chart.svg");
    BenchCommand.Filters command = parse("filters", "--chart-only", FIGURES.toString(), out.toString());
    java.io.PrintStream stdout = System.out;
    try (java.io.PrintStream quiet = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      System.setOut(quiet);
      assertThat(command.call(), is(0));
    } finally {
      System.setOut(stdout);
    }
    assertThat(Files.readString(out, StandardCharsets.UTF_8), is(Files.readString(CHART, StandardCharsets.UTF_8)));
  }

  private static BenchCommand.Filters parse(String... args) {
    return (BenchCommand.Filters) new CommandLine(new BenchCommand()).parseArgs(args).subcommand().commandSpec().userObject();
  }
}
