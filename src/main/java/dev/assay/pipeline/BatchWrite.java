package dev.assay.pipeline;

import dev.assay.batch.BatchRound;
import dev.assay.batch.DeferringProvider;
import dev.assay.io.Folders;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.run.RunDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./assay batch write}: what a run still needs from its models, as OpenAI batch files, without sending anything.
 *
 * <p>How: the recipe runs, on the direct runner, in a scratch folder under {@code RUN_DIR/batch/} whose ledger is the
 * run's own (its shard files hard-linked, copied where links are not possible), with every endpoint replaced by a
 * {@link dev.assay.batch.DeferringBackend}. Requests the ledger answers cost nothing; every other request is written to
 * the next {@code batch/round-NNN/} and fails in the scratch run, so the stages that depend on it have nothing to work
 * on and ask nothing. One round therefore holds the requests of the stages that can run now (generation first, then
 * the judges and rewards of the generated candidates, ...); the scratch folder is deleted afterwards and the run
 * directory's published files are left alone. A recipe with a ledger shared across runs ({@code ledger:}, {@code
 * --ledger DIR}) is written against that ledger instead, and {@link #SHARED_LEDGER_FILE} names it for {@code batch
 * read}.
 *
 * <p>Failure modes: those of {@link RecipeRunner#run} for a recipe that cannot run at all (bad input: {@link
 * dev.assay.io.InputException}); I/O errors are {@link UncheckedIOException}s.
 */
public final class BatchWrite {
  private BatchWrite() {}

  /**
   * What one write produced.
   *
   * @param round the round folder (deleted again when nothing was needed)
   * @param requests requests written, by file name in the round
   */
  public record Written(Path round, Map<String, Long> requests) {
    public long total() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The folder holding a run's batch rounds. */
  public static Path batchDir(Path runDir) {
    return runDir.resolve("batch");
  }

  /**
   * The file in {@link #batchDir} that names the ledger shared across runs the rounds were written against (one line:
   * its absolute path); absent when the run uses its own {@code ledger/}.
   */
  public static final String SHARED_LEDGER_FILE = "shared-ledger";

  /**
   * The ledger {@code batch read} records a run's answers in: the shared ledger {@code batch write} was told of
   * ({@link #SHARED_LEDGER_FILE}), else the run's own {@code ledger/}; {@code given} ({@code --ledger}) must agree.
   *
   * @throws UsageException when {@code given} names another ledger than the one the rounds were written against
   */
  public static Path ledgerFor(Path runDir, Path given) {
    Path recorded = null;
    Path file = batchDir(runDir).resolve(SHARED_LEDGER_FILE);
    try {
      if (Files.exists(file)) {
        recorded = Path.of(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Path own = new RunDirectory(runDir).ownLedger().toAbsolutePath().normalize();
    Path expected = recorded != null ? recorded : own;
    if (given != null && !given.toAbsolutePath().normalize().equals(expected)) {
      throw new UsageException("--ledger " + given + ": the batch files of " + runDir + " were written against "
          + (recorded != null ? "the shared ledger " + recorded : "the run's own ledger " + own) + "; read them into that one");
    }
    return expected;
  }

  public static Written write(LoadedConfig loaded, Path runDir) {
    Path batch = batchDir(runDir);
    Path round = batch.resolve(String.format("round-%03d", nextRound(batch)));
    Path scratch = batch.resolve(".scratch");
    RunDirectory run = new RunDirectory(runDir);
    // With a shared ledger the scratch run reads it directly (as the run will); else it reads links to the run's own.
    Path shared = RunLifecycle.sharedLedger(loaded);
    try {
      Folders.deleteRecursively(scratch);
      RunDirectory scratchRun = new RunDirectory(scratch);
      Files.createDirectories(scratchRun.ownLedger());
      if (shared == null) {
        linkShards(run.ownLedger(), scratchRun.ownLedger());
        Files.deleteIfExists(batch.resolve(SHARED_LEDGER_FILE));
      } else {
        Files.writeString(batch.resolve(SHARED_LEDGER_FILE), shared + "\n", java.nio.charset.StandardCharsets.UTF_8);
      }
      Map<String, BackendProvider> providers = new TreeMap<>();
      for (String endpoint : loaded.recipe().endpoints().keySet()) {
        providers.put(endpoint, DeferringProvider.writing(endpoint, round));
      }
      Map<String, Long> counts;
      try (BatchRound written = BatchRound.open(round)) {
        RecipeRunner.run(
            loaded,
            new RecipeRunner.Options(scratch, true, false, "batch write", providers, List.of()),
            new PrintStream(OutputStream.nullOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8));
        counts = written.counts();
      } finally {
        Ledger.release(scratchRun.ownLedger());
        if (shared != null) {
          Ledger.release(shared);
        }
      }
      if (counts.isEmpty()) {
        Folders.deleteRecursively(round);
      }
      return new Written(round, counts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write batch files under " + batch, e);
    } finally {
      try {
        Folders.deleteRecursively(scratch);
      } catch (IOException e) {
        // The round is written; a scratch folder left behind is removed by the next write.
      }
    }
  }

  private static int nextRound(Path batch) {
    int last = 0;
    if (Files.isDirectory(batch)) {
      try (DirectoryStream<Path> rounds = Files.newDirectoryStream(batch, "round-*")) {
        for (Path r : rounds) {
          try {
            last = Math.max(last, Integer.parseInt(r.getFileName().toString().substring("round-".length())));
          } catch (NumberFormatException e) {
            // not one of ours
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + batch, e);
      }
    }
    return last + 1;
  }

  /** Makes the run's ledger shards visible in the scratch ledger; writers never append to another writer's shard. */
  private static void linkShards(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(from, "*.jsonl")) {
      for (Path shard : shards) {
        Path target = to.resolve(shard.getFileName());
        try {
          Files.createLink(target, shard);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(shard, target);
        }
      }
    }
  }
}
