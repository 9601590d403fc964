package dev.assay.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Asserts that two finished runs of one recipe (say, on the direct runner and on Flink) published the same thing.
 *
 * <p>What may differ, and why: the run id (a timestamp and a random suffix, made per run; pairs and SFT records carry
 * it so a dataset row can be traced to its run), the start and finish times, the command line (it names the output
 * folder) and the runner's description. Everything else must be equal: every published file byte for byte once the
 * two run ids are replaced by one placeholder, the manifest's tree without those fields (config, hashes, stage
 * counts, per-endpoint usage, notes), and the ledger's entries as a set (shard names hold a host, a process id and a
 * random id; lines within a shard come in completion order).
 */
public final class RunComparison {
  private static final List<String> PER_RUN_FIELDS = List.of("run_id", "started_at", "finished_at", "command");

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
    JsonNode m1 = manifest(expected);
    JsonNode m2 = manifest(actual);
    List<String> per1 = perRunValues(m1);
    List<String> per2 = perRunValues(m2);

    assertThat("published files", files(actual), equalTo(files(expected)));
    for (String rel : files(expected)) {
      if (rel.equals("manifest.json") || rel.startsWith("ledger/") || (!sameUsage && rel.equals("report.html"))) {
        continue;
      }
      assertThat(rel + " (run-specific values masked)", masked(actual.resolve(rel), per2), equalTo(masked(expected.resolve(rel), per1)));
    }
    JsonNode s1 = stable(m1);
    JsonNode s2 = stable(m2);
    if (!sameUsage) {
      for (JsonNode s : List.of(s1, s2)) {
        ((ObjectNode) s).remove("usage");
        // What a stage paid is the usage's kind: a resumed run paid only what it sent.
        ((ObjectNode) s).remove("costs");
        // The ledger's hits and misses are the usage's kind too: a resumed run finds what the first one recorded.
        if (s.path("ledger").isObject()) {
          ((ObjectNode) s.get("ledger")).remove(List.of("hits", "misses"));
        }
        // Preflight's retries depend on the transport (injected faults) as the usage's do.
        s.path("preflight").forEach(check -> ((ObjectNode) check).remove("retries"));
      }
    }
    assertThat("manifest without run-specific fields", s2, equalTo(s1));
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
    List<String> per1 = perRunValues(manifest(expected));
    List<String> per2 = perRunValues(manifest(actual));
    java.util.function.Predicate<String> data =
        rel -> !rel.equals("manifest.json") && !rel.equals("report.html") && !rel.startsWith("ledger/")
            && skipped.stream().noneMatch(rel::startsWith);
    TreeSet<String> want = new TreeSet<>(files(expected).stream().filter(data).toList());
    assertThat("published data files", new TreeSet<>(files(actual).stream().filter(data).toList()), equalTo(want));
    for (String rel : want) {
      assertThat(rel + " (run ids masked)", masked(actual.resolve(rel), per2), equalTo(masked(expected.resolve(rel), per1)));
    }
  }

  /** Every stage of the run's manifest satisfies {@code in = out + rejected + failed}; returns how many stages. */
  public static int assertEveryStageBalances(Path run) {
    JsonNode stages = manifest(run).path("stages");
    assertThat("the manifest has stages", stages.size() > 0, is(true));
    stages.fields().forEachRemaining(
        e -> {
          JsonNode s = e.getValue();
          long in = s.path("in").asLong();
          long sum = s.path("out").asLong() + s.path("rejected").asLong() + s.path("failed").asLong();
          assertThat(e.getKey() + " balances: " + s, sum, is(in));
        });
    return stages.size();
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
    try {
      return Json.mapper().readTree(run.resolve("manifest.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The manifest's per-run values, longest first so that no value is masked inside a longer one. */
  private static List<String> perRunValues(JsonNode manifest) {
    List<String> values = new ArrayList<>();
    for (String f : PER_RUN_FIELDS) {
      values.add(manifest.path(f).asText());
    }
    values.add(manifest.path("versions").path("runner").asText());
    values.removeIf(String::isEmpty);
    values.sort((a, b) -> b.length() - a.length());
    return values;
  }

  private static JsonNode stable(JsonNode manifest) {
    ObjectNode copy = manifest.deepCopy();
    PER_RUN_FIELDS.forEach(copy::remove);
    ((ObjectNode) copy.path("versions")).remove("runner");
    // The run's own ledger folder is in the run directory, which differs between the two runs as the command does.
    if (copy.path("ledger").isObject()) {
      ((ObjectNode) copy.get("ledger")).remove("path");
    }
    return copy;
  }

  private static String masked(Path file, List<String> perRun) {
    try {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      for (String v : perRun) {
        text = text.replace(v, "<per-run>");
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TreeSet<String> files(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      TreeSet<String> out = new TreeSet<>();
      walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .map(rel -> rel.startsWith("ledger/") ? "ledger/" + (rel.endsWith(".jsonl") ? "<shard>.jsonl" : rel.substring(7)) : rel)
          .forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ledger's lines from every shard, sorted. */
  public static List<String> ledgerLines(Path run) {
    try (Stream<Path> shards = Files.list(run.resolve("ledger"))) {
      List<String> lines = new ArrayList<>();
      for (Path shard : shards.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        lines.addAll(Files.readAllLines(shard, StandardCharsets.UTF_8));
      }
      lines.sort(null);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
