package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import dev.assay.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's calibration table: the committed copy and the defaults it claims. */
class CalibrationBenchmarkTest {
  private static final String BEGIN = "<!-- calibration-table";
  private static final String END = "<!-- end calibration-table -->";

  private static Path data() {
    return SharedData.require("prometheus-eval/mt_bench_eval.json").getParent().getParent();
  }

  @Test
  void publishedFiguresAreMeasuredFromTheRealData() {
    Path data = data();
    assertThat(CalibrationBenchmark.prometheusAllAgree(data)[0], is(141.0));
    assertThat(CalibrationBenchmark.prometheusAllAgree(data)[1], is(320.0));
    assertThat(CalibrationBenchmark.llmbarEqual(data)[0], is(71.0));
    assertThat(CalibrationBenchmark.llmbarEqual(data)[1], is(100.0));
  }

  /** SIMULATOR.md's table has exactly the rows a run prints, in its format; only the measured figures differ. */
  @Test
  void committedTableHasTheRowsAndFormatOfASmallRun() throws IOException {
    List<CalibrationBenchmark.Row> rows = CalibrationBenchmark.measure(CalibrationBenchmark.targets(data()), 200, 3);
    List<String> small = CalibrationBenchmark.format(rows).lines().toList();
    String doc = Files.readString(Path.of("SIMULATOR.md"));
    int from = doc.indexOf('\n', doc.indexOf(BEGIN)) + 1;
    List<String> committed = doc.substring(from, doc.indexOf(END)).strip().lines().toList();
    assertThat(committed.size(), is(small.size() + 2)); // the table, a blank line, the footer
    for (int i = 0; i < small.size(); i++) {
      assertThat(masked(committed.get(i)), is(masked(small.get(i))));
      assertThat(committed.get(i), matchesPattern(i < 2 ? "\\|.*\\|" : ".* \\| \\d{1,3}\\.\\d% \\| \\+-\\d points \\| yes \\|"));
    }
    assertThat(committed.get(committed.size() - 1),
        is(CalibrationBenchmark.footer(CalibrationBenchmark.DEFAULT_ITEMS, CalibrationBenchmark.DEFAULT_SEED,
            CalibrationBenchmark.measure(List.of(), 1, 1)).strip()));
  }

  /** The measured and within columns blanked: what must not depend on the run's size. */
  private static String masked(String line) {
    String[] cells = line.split("\\|", -1);
    if (cells.length > 7 && !cells[5].contains("---") && !cells[5].contains("measured")) {
      cells[5] = " * ";
      cells[7] = " * ";
    }
    return String.join("|", cells);
  }

  /** At 1,500 items every default stays within twice its tolerance (the 5,000-item table holds the stated one). */
  @Test
  void defaultsStayWithinTwiceTheirTolerance() {
    List<CalibrationBenchmark.Row> rows = CalibrationBenchmark.measure(CalibrationBenchmark.targets(data()), 1_500, 11);
    assertThat(
        rows.stream().filter(r -> !r.within(2)).map(r -> r.target().figure() + " " + r.measured()).toList(),
        empty());
    assertThat(rows.stream().map(r -> r.target().judge()).distinct().toList(), contains("sim-m1", "sim-m0"));
  }
}
