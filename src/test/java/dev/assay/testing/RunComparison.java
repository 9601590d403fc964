package dev.assay.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.bench.RunDiff;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Asserts that two finished runs of one recipe (say, on the direct runner and on Flink) published the same thing:
 * {@link RunDiff}'s comparison (what may differ, and why, is said there), and the ledger's entries as a set (shard
 * names hold a host, a process id and a random id; lines within a shard come in completion order).
 */
public final class RunComparison {
  private RunComparison() {}

  public static void assertSamePublishedOutputs(Path expected, Path actual) {
    assertSamePublishedOutputs(expected, actual, true);
  }

  /**
   * As {@link #assertSamePublishedOutputs(Path, Path)}; with {@code sameUsage} false, for a resumed run against a
   * fresh one, the manifest's usage (ledger hits instead of requests) and costs, preflight's retries and the report
   * that shows them are left out.
   */
  public static void assertSamePublishedOutputs(Path expected, Path actual, boolean sameUsage) {
    assertThat("published outputs", RunDiff.differences(expected, actual, sameUsage), is(empty()));
    assertThat("ledger entries", ledgerLines(actual), equalTo(ledgerLines(expected)));
  }

  /**
   * The published data of two runs are equal, byte for byte with the run ids masked, and so are their ledgers' entries;
   * the manifest, the report (they record how the answers came: live requests, ledger hits, notes) and the files under
   * {@code skipped} folders are left out. For runs answered by different routes, e.g. live and through batch files.
   */
  public static void assertSameData(Path expected, Path actual, List<String> skipped) {
    assertSamePublishedData(expected, actual, skipped);
    assertThat("ledger entries", ledgerLines(actual), equalTo(ledgerLines(expected)));
  }

  /**
   * As {@link #assertSameData} without the ledgers, for a run whose answers are in a ledger shared across runs (compare
   * that one's {@link #ledgerLines} apart).
   */
  public static void assertSamePublishedData(Path expected, Path actual, List<String> skipped) {
    List<String> per1 = RunDiff.perRunValues(expected);
    List<String> per2 = RunDiff.perRunValues(actual);
    java.util.function.Predicate<String> data =
        rel -> !rel.equals("manifest.json") && !rel.equals("report.html") && !rel.startsWith("ledger/")
            && skipped.stream().noneMatch(rel::startsWith);
    TreeSet<String> want = new TreeSet<>(RunDiff.files(expected).stream().filter(data).toList());
    assertThat("published data files", new TreeSet<>(RunDiff.files(actual).stream().filter(data).toList()), equalTo(want));
    for (String rel : want) {
      assertThat(rel + " (run ids masked)", RunDiff.masked(actual.resolve(rel), per2), equalTo(RunDiff.masked(expected.resolve(rel), per1)));
    }
  }

  /** Every stage of the run's manifest satisfies {@code in = out + rejected + failed}; returns how many stages. */
  public static int assertEveryStageBalances(Path run) {
    assertThat(RunDiff.unbalancedStages(run), is(empty()));
    return manifest(run).path("stages").size();
  }


  /**
   * Both runs' manifests hold the same stages with the same counts and reasons, stage by stage (a message names the
   * first stage that differs), and every stage of {@code actual} balances; returns the stage names.
   */
  public static List<String> assertSameStageCounts(Path expected, Path actual) {
    assertEveryStageBalances(actual);
    JsonNode s1 = manifest(expected).path("stages");
    JsonNode s2 = manifest(actual).path("stages");
    List<String> names = new ArrayList<>();
    s1.fieldNames().forEachRemaining(names::add);
    List<String> actualNames = new ArrayList<>();
    s2.fieldNames().forEachRemaining(actualNames::add);
    assertThat("stages", actualNames, equalTo(names));
    for (String stage : names) {
      assertThat("stage " + stage, s2.path(stage), equalTo(s1.path(stage)));
    }
    return names;
  }

  public static JsonNode manifest(Path run) {
    return RunDiff.manifest(run);
  }

  /** The ledger's lines from every shard, sorted. */
  public static List<String> ledgerLines(Path run) {
    return RunDiff.ledgerLines(run);
  }

}
