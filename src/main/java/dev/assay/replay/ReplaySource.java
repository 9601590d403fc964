package dev.assay.replay;

import java.io.Serializable;
import java.util.Locale;
import java.nio.file.Path;

/**
 * Where a replay's answers come from; serializable, so a {@link ReplayProvider} travels with a DoFn and each worker
 * loads the same files.
 */
public sealed interface ReplaySource extends Serializable permits LlmBarReplay, PandaLmReplay {
  /**
   * Reads the published files into an index.
   *
   * @throws dev.assay.io.InputException naming file, line and field for files of another shape
   */
  ReplayIndex load();

  /**
   * Parses the command line's {@code --replay} value: {@code llmbar:DIR} (an LLMBar {@code evaluators/<evaluator>/<strategy>}
   * folder) or {@code pandalm:TESTSET,JUDGE_FILE} (PandaLM's test set and one judge's verdict file).
   *
   * @throws IllegalArgumentException for any other form
   */
  static ReplaySource parse(String spec) {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? "" : spec.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String rest = spec.substring(colon + 1);
    switch (kind) {
      case "llmbar":
        return new LlmBarReplay(rest);
      case "pandalm":
        String[] files = rest.split(",", -1);
        if (files.length == 2 && !files[0].isBlank() && !files[1].isBlank()) {
          return new PandaLmReplay(files[0], files[1]);
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(
        "--replay is llmbar:DIR (an LLMBar evaluators/<evaluator>/<strategy> folder) or"
            + " pandalm:TESTSET,JUDGE_FILE (testset-v1.json and e.g. gpt-3.5-turbo-testset-v1.json), not '" + spec + "'");
  }

  /** The file name without its folder, for origins. */
  static String fileName(String path) {
    return Path.of(path).getFileName().toString();
  }
}
