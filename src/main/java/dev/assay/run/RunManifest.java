package dev.assay.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: everything needed to reproduce a run exactly and to know what it cost.
 *
 * @param runId unique per run
 * @param recipe the recipe's name
 * @param status {@code complete}, {@code gate_failed} (complete, but a gate was missed), {@code budget_exhausted},
 *     {@code failed} or {@code running}
 * @param startedAt ISO-8601 UTC
 * @param finishedAt ISO-8601 UTC, null while running
 * @param command the command line that started it
 * @param config the merged configuration with {@code ${...}} left unexpanded (secrets never written)
 * @param configHash SHA-256 of the canonical config
 * @param inputs input files with hashes
 * @param configFiles recipe, included and {@code --config} files with hashes
 * @param templates judge templates and rubrics with hashes (each judgment also records its template version)
 * @param seed the master seed
 * @param versions Assay, Java, Beam, runner, OS
 * @param stages per-stage accounting
 * @param usage per-endpoint requests, ledger hits, retries, failures, tokens, cost
 * @param consistency the CREAM consistency summary (set-level C, counts, histogram), or null when not measured
 * @param labelSmoothing {@code 1 - C} for trainers that take it, or null when C was not measured
 * @param notes anything a reader must know (e.g. "simulated: the embedded simulator answered every request")
 * @param iteration the training iteration t the run produced data for (the recipe's {@code iteration}); null in
 *     manifests written before rounds existed
 * @param previousIteration the run directory of iteration t-1 when the run is one of a series of rounds and that
 *     folder existed, else null
 * @param gates the result of every gate the recipe set, in the order checked; empty when none
 * @param preflight the checks made before the first request (model lists, capability probes); empty in manifests
 *     written before preflight existed
 * @param costs tokens and cost per stage and per kept pair; null in manifests written before costs existed and
 *     while a run is running
 * @param ledger the ledger the run's calls went through, with its hits and misses; null in manifests written before
 *     it was recorded
 * @param anchor what the recipe's {@code anchor:} step did (the set, its judges, their requests and the
 *     self-preference), or null when the recipe has none
 * @param filterGains on a simulated run (or one whose imported candidates carry gold scores), what each pair filter
 *     gained in truly-better rate, with intervals, and consistency's filter mode against report mode ({@link
 *     FilterGains}); null on real endpoints without gold and in manifests written before it was recorded
 */
public record RunManifest(
    String runId,
    String recipe,
    String status,
    String startedAt,
    String finishedAt,
    String command,
    JsonNode config,
    String configHash,
    List<FileHash> inputs,
    List<FileHash> configFiles,
    List<FileHash> templates,
    long seed,
    Map<String, String> versions,
    Map<String, StageCount> stages,
    Map<String, EndpointUsage> usage,
    JsonNode consistency,
    Double labelSmoothing,
    List<String> notes,
    Integer iteration,
    String previousIteration,
    List<GateResult> gates,
    List<PreflightCheck> preflight,
    RunCosts costs,
    LedgerUsage ledger,
    JsonNode anchor,
    FilterGains filterGains) {
  /** A manifest that does not say which ledger served it (fixtures, and manifests read from before it was recorded). */
  public RunManifest(
      String runId, String recipe, String status, String startedAt, String finishedAt, String command, JsonNode config,
      String configHash, List<FileHash> inputs, List<FileHash> configFiles, List<FileHash> templates, long seed,
      Map<String, String> versions, Map<String, StageCount> stages, Map<String, EndpointUsage> usage,
      JsonNode consistency, Double labelSmoothing, List<String> notes, Integer iteration, String previousIteration,
      List<GateResult> gates, List<PreflightCheck> preflight, RunCosts costs) {
    this(runId, recipe, status, startedAt, finishedAt, command, config, configHash, inputs, configFiles, templates,
        seed, versions, stages, usage, consistency, labelSmoothing, notes, iteration, previousIteration, gates,
        preflight, costs, null, null, null);
  }

  /** This manifest with {@code anchor} as its anchor step's record. */
  public RunManifest withAnchor(JsonNode anchor) {
    return new RunManifest(runId, recipe, status, startedAt, finishedAt, command, config, configHash, inputs, configFiles,
        templates, seed, versions, stages, usage, consistency, labelSmoothing, notes, iteration, previousIteration, gates,
        preflight, costs, ledger, anchor, filterGains);
  }

  /** This manifest with {@code gains} as its filter gains. */
  public RunManifest withFilterGains(FilterGains gains) {
    return new RunManifest(runId, recipe, status, startedAt, finishedAt, command, config, configHash, inputs, configFiles,
        templates, seed, versions, stages, usage, consistency, labelSmoothing, notes, iteration, previousIteration, gates,
        preflight, costs, ledger, anchor, gains);
  }

  public RunManifest {
    notes = notes == null ? List.of() : List.copyOf(notes);
    gates = gates == null ? List.of() : List.copyOf(gates);
    preflight = preflight == null ? List.of() : List.copyOf(preflight);
  }
}
