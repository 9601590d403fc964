package dev.assay.bench;

import dev.assay.consistency.ConsistencySummary;
import dev.assay.io.Hashing;
import dev.assay.io.Json;
import dev.assay.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one mode of {@code assay bench cpu} produced: the SHA-256 and line count of every published file, the
 * consistency C, and the time and peak memory it took. Two modes computed the same thing iff their
 * {@link #hashes()} are equal.
 *
 * @param mode {@code loop}, {@code direct} or {@code flink}
 * @param judgments judgments read
 * @param wallSeconds from reading the inputs to the last published file (JVM start excluded)
 * @param cpuSeconds CPU time of the whole JVM (every thread: workers, GC, JIT) over the same interval: on a shared
 *     machine a steadier measure of the work than wall time, which grows with the neighbours' load
 * @param peakRssMb the JVM's VmHWM at the end, in MiB; -1 where /proc is not available
 * @param hashes published file ({@code folder/file}) to the SHA-256 of its bytes
 * @param lines published file to its number of lines
 * @param consistency the set-level C of the summary; null when no prompt had a defined C(x)
 */
public record RunOutcome(
    String mode, long judgments, double wallSeconds, double cpuSeconds, long peakRssMb, Map<String, String> hashes, Map<String, Long> lines, Double consistency) {
  public RunOutcome {
    hashes = Map.copyOf(hashes);
    lines = Map.copyOf(lines);
  }

  /** Hashes and counts the published files of {@code dir}, and reads its consistency summary. */
  static RunOutcome of(String mode, long judgments, double wallSeconds, double cpuSeconds, RunDirectory dir) {
    Map<String, String> hashes = new TreeMap<>();
    Map<String, Long> lines = new TreeMap<>();
    for (RunDirectory.Publication o : BenchRecipe.OUTPUTS) {
      Path file = dir.output(o.folder(), o.file());
      if (!Files.exists(file)) {
        throw new IllegalStateException(mode + " published no " + o.path());
      }
      hashes.put(o.path(), Hashing.sha256(file));
      try (var s = Files.lines(file)) {
        lines.put(o.path(), s.count());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<ConsistencySummary> summary = dir.read("consistency", "summary.json", ConsistencySummary.class);
    Double c = summary.isEmpty() ? null : summary.get(0).consistency();
    return new RunOutcome(mode, judgments, wallSeconds, cpuSeconds, currentPeakRssMb(), hashes, lines, c);
  }

  /** The line count of a published file ({@code folder/file}); 0 when unknown. */
  public long count(String path) {
    return lines.getOrDefault(path, 0L);
  }

  /** This JVM's peak resident set (VmHWM) in MiB, or -1 where /proc does not have it. */
  static long currentPeakRssMb() {
    return ProcessSample.of(ProcessHandle.current().pid()).peakRssMb();
  }

  /** CPU seconds this JVM has used so far, all threads. */
  static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  String toJson() {
    return Json.line(this);
  }
}
