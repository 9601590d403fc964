package dev.assay.cli;

import dev.assay.batch.BatchOutputs;
import dev.assay.batch.PendingRequest;
import dev.assay.ledger.Ledger;
import dev.assay.pipeline.BatchWrite;
import dev.assay.pipeline.UsageException;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.LoadedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./assay batch write|read}: run an iteration on a machine with a GPU and no server, stage by stage, through
 * OpenAI batch files ({@code vllm run-batch} reads and writes the same format). See README, "Batch files".
 */
@Command(
    name = "batch",
    description = "Write what a run still needs as OpenAI batch files; read the answers into its ledger.",
    subcommands = {BatchCommand.Write.class, BatchCommand.Read.class})
final class BatchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("batch needs a subcommand: write or read (./assay batch --help)");
  }

  @Command(
      name = "write",
      description =
          "Write the requests the run cannot answer from its ledger to RUN_DIR/batch/round-NNN/, one file per endpoint"
              + " and API; nothing is sent.")
  static final class Write implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "the recipe (as given to ./assay run)")
    Path recipe;

    @Option(names = "--config", paramLabel = "FILE", description = "extra config merged over the recipe (repeatable)")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--run-dir", paramLabel = "DIR", description = "run directory (default: runs/<recipe name>)")
    Path runDir;

    @Mixin LedgerOption ledger = new LedgerOption();

    @Override
    public Integer call() {
      LoadedConfig loaded = ConfigLoader.load(recipe, configs, ledger.withSets(sets), System::getenv);
      Path dir = runDir != null ? runDir : Path.of("runs", loaded.recipe().name());
      BatchWrite.Written written = BatchWrite.write(loaded, dir);
      if (written.total() == 0) {
        System.out.println("nothing left to send: the ledger answers every request of the run.");
        System.out.println("finish the run with: ./assay run " + recipe + " --run-dir " + dir + " --resume --offline" + ledger.describe());
        return Main.OK;
      }
      System.out.println("wrote " + written.total() + " requests to " + written.round().toAbsolutePath().normalize() + ":");
      written.requests().forEach((file, n) -> System.out.printf("  %-40s %,d%n", file, n));
      System.out.println("answer each file (vllm run-batch -i FILE -o OUTPUT --model MODEL, or OpenAI's Batch API), then:");
      System.out.println("  ./assay batch read " + dir + " OUTPUT...");
      System.out.println("and write again for the next stage until nothing is left.");
      return Main.OK;
    }
  }

  @Command(
      name = "read",
      description =
          "Read batch output files (OpenAI's format, as vllm run-batch writes it) into the run's ledger. Exit 3 when"
              + " some lines carry no answer (the next batch write asks for those again).")
  static final class Read implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the run directory batch write wrote into")
    Path runDir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "batch output files")
    List<Path> files = new ArrayList<>();

    @Option(
        names = "--ledger",
        paramLabel = "DIR",
        description =
            "the shared ledger batch write was given (default: the one it recorded in RUN_DIR/batch/, else the run's"
                + " own ledger/); another one is refused")
    Path ledger;

    @Override
    public Integer call() {
      Map<String, PendingRequest> pending = BatchOutputs.pending(BatchWrite.batchDir(runDir));
      if (pending.isEmpty()) {
        throw new UsageException(
            "no batch files were written for " + runDir + ": run ./assay batch write RECIPE --run-dir " + runDir + " first");
      }
      Path ledgerDir = BatchWrite.ledgerFor(runDir, ledger);
      BatchOutputs.Summary summary;
      try {
        summary = BatchOutputs.read(Ledger.open(ledgerDir), pending, files);
      } finally {
        Ledger.release(ledgerDir);
      }
      System.out.printf(
          "read %,d lines: %,d answers recorded in the ledger, %,d already there, %,d without an answer%n",
          summary.lines(), summary.recorded(), summary.alreadyInLedger(), summary.errorCount());
      if (summary.errorCount() == 0) {
        return Main.OK;
      }
      System.out.println("lines without an answer, by reason (batch write asks for these again):");
      summary.errors().forEach((reason, n) -> System.out.printf("  %,8d  %s%n", n, reason));
      return Main.BACKEND;
    }
  }
}
