package dev.assay.pipeline;

import dev.assay.io.InputException;
import dev.assay.llm.BackendProvider;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.run.RunLock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a recipe into a run directory: the command line's entry point. The work is done by three classes of this
 * package: {@link RunPlan} turns the recipe into the Beam pipeline and its typed outputs, {@link RunAccounting}
 * counts {@code in = out + rejected + failed} for every stage from what it published, and {@link RunLifecycle} holds
 * the run directory, its lock, the ledger session, the manifest, the gates and the exit code.
 *
 * <p>Inputs are read and validated on the driver before any model is called, so bad input fails fast with file,
 * line and field ({@link InputException}). A run directory that holds a run is only reused with {@code resume} (the
 * ledger replays every completed request: a finished run replays for free and yields byte-identical outputs) or
 * {@code overwrite} (start from nothing). Exit codes: 0 complete; 1 stopped at a budget cap (resume later to
 * continue); 1 a gate of the recipe's {@code gates:} was missed (status {@code gate_failed}, see {@link Gates}); 3 the
 * backend failed every request of a stage (unreachable, rejecting or failing: {@link StageFailures} says which).
 */
public final class RecipeRunner {
  /** Version of Assay itself, from the build. */
  public static final String ASSAY_VERSION = AssayVersion.get();

  /**
   * @param runDir the run (iteration) folder
   * @param resume reuse the ledger and outputs of an earlier, possibly interrupted, run in {@code runDir}
   * @param overwrite discard whatever {@code runDir} holds, ledger included
   * @param command the command line, recorded in the manifest
   * @param backends endpoint name to provider; endpoints missing here use the shared production client
   * @param notes lines recorded in the manifest (e.g. that a simulator answered)
   * @param previousIteration the run directory of iteration t-1 in a series of rounds, recorded in the manifest, or
   *     null
   * @param progress whether to show a progress line on standard error while the pipeline runs (a rewritten line on a
   *     terminal, a plain line every 10 s elsewhere); off for library callers and tests unless asked
   * @param runner the Beam runner every pipeline of the run uses; null means the direct runner
   * @param breakLock take over the run directory's lock when a process on another host holds it ({@link RunLock})
   */
  public record Options(
      Path runDir,
      boolean resume,
      boolean overwrite,
      String command,
      Map<String, BackendProvider> backends,
      List<String> notes,
      Path previousIteration,
      boolean progress,
      RunnerChoice runner,
      boolean breakLock) {
    /** Options of a single run on the direct runner: no previous iteration, no progress line. */
    public Options(
        Path runDir, boolean resume, boolean overwrite, String command, Map<String, BackendProvider> backends, List<String> notes) {
      this(runDir, resume, overwrite, command, backends, notes, null, false, null, false);
    }

    /** Options that leave a lock held from another host alone ({@code breakLock} false), as every caller but the CLI's. */
    public Options(
        Path runDir, boolean resume, boolean overwrite, String command, Map<String, BackendProvider> backends, List<String> notes,
        Path previousIteration, boolean progress, RunnerChoice runner) {
      this(runDir, resume, overwrite, command, backends, notes, previousIteration, progress, runner, false);
    }

    public Options {
      Objects.requireNonNull(runDir, "runDir");
      runner = runner == null ? RunnerChoice.direct() : runner;
      command = command == null ? "" : command;
      backends = backends == null ? Map.of() : Map.copyOf(backends);
      notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** These options with {@code notes} as the manifest's notes. */
    Options withNotes(List<String> notes) {
      return new Options(runDir, resume, overwrite, command, backends, notes, previousIteration, progress, runner, breakLock);
    }

    /** These options on {@code runner}. */
    Options withRunner(RunnerChoice runner) {
      return new Options(runDir, resume, overwrite, command, backends, notes, previousIteration, progress, runner, breakLock);
    }
  }

  private RecipeRunner() {}

  /**
   * Runs {@code loaded} as {@code options} say, printing each stage's accounting and the outcome to {@code out}.
   *
   * @return the exit code and the manifest written
   * @throws InputException for bad input (file, line, field), before anything is written
   * @throws UsageException when the run directory is in use or holds a run that is neither resumed nor overwritten
   */
  public static RunResult run(LoadedConfig loaded, Options options, PrintStream out) {
    return RunLifecycle.run(loaded, options, out);
  }
}
