package dev.assay.bench;

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
 * What two finished runs of one recipe published, compared: the differences found, as sentences, so that a test can
 * assert there are none and a benchmark can print them.
 *
 * <p>What may differ, and why: the run id (a timestamp and a random suffix, made per run; pairs and SFT records carry
 * it so a dataset row can be traced to its run), the start and finish times, the command line (it names the output
 * folder) and the runner's description. Everything else must be equal: every published file byte for byte once the
 * two run ids are replaced by one placeholder, and the manifest's tree without those fields (config, hashes, stage
 * counts, per-endpoint usage, notes). The ledger is compared apart ({@link #ledgerLines}): its shard names hold a
 * host, a process id and a random id, and a killed run's shard may end in a torn line.
 *
 * <p>Failure modes: {@link UncheckedIOException} when a run's files cannot be read.
 */
public final class RunDiff {
  private static final List<String> PER_RUN_FIELDS = List.of("run_id", "started_at", "finished_at", "command");

  private RunDiff() {}

  /**
   * The differences between two runs' published files and manifests (empty when they published the same). With
   * {@code sameUsage} false, for a resumed run against a fresh one, the manifest's usage (ledger hits instead of
   * requests) and costs, preflight's retries and the report that shows them are left out.
   */
  public static List<String> differences(Path expected, Path actual, boolean sameUsage) {
    JsonNode m1 = manifest(expected);
    JsonNode m2 = manifest(actual);
    List<String> per1 = perRunValues(m1);
    List<String> per2 = perRunValues(m2);
    List<String> out = new ArrayList<>();
    TreeSet<String> want = files(expected);
    TreeSet<String> got = files(actual);
    if (!got.equals(want)) {
      TreeSet<String> missing = new TreeSet<>(want);
      missing.removeAll(got);
      TreeSet<String> extra = new TreeSet<>(got);
      extra.removeAll(want);
      out.add("published files differ: missing " + missing + ", extra " + extra);
    }
    for (String rel : want) {
      if (!got.contains(rel) || rel.equals("manifest.json") || rel.startsWith("ledger/")
          || (!sameUsage && rel.equals("report.html"))) {
        continue;
      }
      if (!masked(actual.resolve(rel), per2).equals(masked(expected.resolve(rel), per1))) {
        out.add(rel + " differs (run-specific values masked)");
      }
    }
    JsonNode s1 = stable(m1, sameUsage);
    JsonNode s2 = stable(m2, sameUsage);
    if (!s2.equals(s1)) {
      out.add("manifest without run-specific fields differs: expected " + s1 + " but was " + s2);
    }
    return out;
  }

  /** The run's {@code manifest.json} as a tree. */
  public static JsonNode manifest(Path run) {
    try {
      return Json.mapper().readTree(run.resolve("manifest.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The manifest's stages that do not balance ({@code in = out + rejected + failed}), one sentence each; also one
   * when the manifest has no stages.
   */
  public static List<String> unbalancedStages(Path run) {
    JsonNode stages = manifest(run).path("stages");
    List<String> out = new ArrayList<>();
    if (stages.size() == 0) {
      out.add(run + ": the manifest has no stages");
    }
    stages.fields().forEachRemaining(e -> {
      JsonNode s = e.getValue();
      long in = s.path("in").asLong();
      long sum = s.path("out").asLong() + s.path("rejected").asLong() + s.path("failed").asLong();
      if (sum != in) {
        out.add(run + ": stage " + e.getKey() + " does not balance: " + s);
      }
    });
    return out;
  }

  /** The ledger's lines from every shard, sorted. */
  public static List<String> ledgerLines(Path run) {
    try {
      List<String> lines = LedgerProbe.lines(run.resolve("ledger"));
      lines.sort(null);
      return lines;
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

  private static JsonNode stable(JsonNode manifest, boolean sameUsage) {
    ObjectNode copy = manifest.deepCopy();
    PER_RUN_FIELDS.forEach(copy::remove);
    ((ObjectNode) copy.path("versions")).remove("runner");
    // The run's own ledger folder is in the run directory, which differs between the two runs as the command does.
    if (copy.path("ledger").isObject()) {
      ((ObjectNode) copy.get("ledger")).remove("path");
    }
    if (!sameUsage) {
      copy.remove("usage");
      // What a stage paid is the usage's kind: a resumed run paid only what it sent.
      copy.remove("costs");
      // The ledger's hits and misses are the usage's kind too: a resumed run finds what the first one recorded.
      if (copy.path("ledger").isObject()) {
        ((ObjectNode) copy.get("ledger")).remove(List.of("hits", "misses"));
      }
      // Preflight's retries depend on the transport (injected faults) as the usage's do.
      copy.path("preflight").forEach(check -> ((ObjectNode) check).remove("retries"));
    }
    return copy;
  }

  /** The file's text with every per-run value replaced by one placeholder. */
  public static String masked(Path file, List<String> perRun) {
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

  /** The per-run values of a run (its manifest's run id, times, command and runner), longest first. */
  public static List<String> perRunValues(Path run) {
    return perRunValues(manifest(run));
  }

  /** The run's files, relative; ledger shards under one name, as their names are per writer. */
  public static TreeSet<String> files(Path root) {
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
}
