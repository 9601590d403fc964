package dev.assay.pipeline;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateFile;
import dev.assay.generation.Prompt;
import dev.assay.generation.PromptFile;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentImport;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.run.FileHash;
import dev.assay.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The inputs of a run, read and validated on the driver, line by line (file, line and field on the first bad one),
 * and staged to scratch files as they are read ({@link Staged}): the driver holds none of the records, only their
 * ids while it checks them for duplicates and a count of candidates per prompt.
 *
 * @param prompts the prompts to answer ({@link Staged#NONE} unless the input format is {@code prompts})
 * @param candidates the candidates to judge (imported; {@link Staged#NONE} when they are generated or absent)
 * @param candidatesPerPrompt prompt id to its number of candidates in {@code candidates}
 * @param judgments judgments that came with the input
 */
record RunInputs(
    Staged prompts,
    Staged candidates,
    Map<String, Long> candidatesPerPrompt,
    Staged judgments,
    List<FileHash> files,
    PrometheusEvalImport.Result imported) {
  static RunInputs read(Recipe recipe, Path baseDir) {
    Path path = baseDir.resolve(recipe.input().path());
    int limit = recipe.input().limit();
    List<FileHash> files = List.of(FileHash.of(requireReadable(path)));
    Map<String, Long> perPrompt = new HashMap<>();
    return switch (recipe.input().format()) {
      case "prompts" -> {
        if (recipe.generation() == null) {
          throw new InputException(path.toString(), 0, "input.format", "prompts need a generation: section to answer them");
        }
        yield new RunInputs(Staged.<Prompt>of("prompts", sink -> PromptFile.forEach(path, limit, sink)), Staged.NONE, Map.of(), Staged.NONE, files, null);
      }
      case "candidates" -> {
        Staged candidates = Staged.<Candidate>of("candidates", sink -> CandidateFile.forEach(path, limit, c -> sink.accept(counted(c, perPrompt))));
        yield new RunInputs(Staged.NONE, candidates, perPrompt, Staged.NONE, files, null);
      }
      case "judgments" ->
          new RunInputs(Staged.NONE, Staged.NONE, Map.of(), Staged.<Judgment>of("judgments", sink -> JudgmentImport.forEach(path, sink)), files, null);
      case "prometheus-eval" -> {
        var imported = PrometheusEvalImport.read(path);
        Staged candidates = Staged.<Candidate>of("candidates", sink -> imported.candidates().forEach(c -> sink.accept(counted(c, perPrompt))));
        yield new RunInputs(Staged.NONE, candidates, perPrompt, Staged.<Judgment>of("judgments", imported.judgments()::forEach), files, imported);
      }
      default -> throw new InputException(path.toString(), 0, "input.format", "unknown format " + recipe.input().format());
    };
  }

  private static Candidate counted(Candidate c, Map<String, Long> perPrompt) {
    perPrompt.merge(c.promptId(), 1L, Long::sum);
    return c;
  }

  private static Path requireReadable(Path path) {
    if (!Files.isReadable(path)) {
      throw new InputException(path.toString(), 0, "input.path", "file not found or not readable");
    }
    return path;
  }

  /**
   * Checked input records written, one {@link Json#line} each, to a scratch file as they are read, so the driver
   * never holds them; {@link RunDirectory#adopt} moves the file into the run's {@code .work/} for the pipeline to
   * read.
   *
   * @param count how many there are
   * @param file the scratch file, null when there are none
   */
  record Staged(long count, Path file) {
    static final Staged NONE = new Staged(0, null);

    /** The pipeline's copy of this input, named {@code name}: the scratch file moved into the run, or an empty file. */
    String into(RunDirectory dir, String name) {
      return file == null ? dir.stage(name, List.of()) : dir.adopt(name, file);
    }

    /**
     * Stages what {@code source} hands on, in a scratch file named after {@code what}. The scratch file is removed
     * when the source fails (bad input: nothing of it is used) and, at the latest, when the JVM exits.
     *
     * @throws InputException from the source, for bad input
     * @throws UncheckedIOException when the scratch file cannot be written
     */
    static <T> Staged of(String what, Consumer<Consumer<T>> source) {
      Path file = null;
      try {
        file = Files.createTempFile("assay-" + what + "-", ".jsonl");
        file.toFile().deleteOnExit();
        long[] n = {0};
        try (java.io.BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          source.accept(record -> {
            try {
              w.write(Json.line(record));
              w.write('\n');
              n[0]++;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
        if (n[0] == 0) {
          Files.deleteIfExists(file);
          return NONE;
        }
        return new Staged(n[0], file);
      } catch (IOException e) {
        deleteQuietly(file);
        throw new UncheckedIOException("cannot stage the input's " + what + " in " + (file == null ? "the temporary folder" : file), e);
      } catch (RuntimeException e) {
        deleteQuietly(file);
        throw e;
      }
    }

    private static void deleteQuietly(Path file) {
      try {
        if (file != null) {
          Files.deleteIfExists(file);
        }
      } catch (IOException ignored) {
        // deleteOnExit still holds it
      }
    }
  }
}
