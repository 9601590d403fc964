package dev.assay.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --ledger DIR}, shared by {@code run} and {@code demo}: the recipe's {@code ledger} key set to {@code DIR}
 * made absolute, so the flag and the key are one setting (the key alone is resolved against the recipe's folder).
 */
final class LedgerOption {
  @Option(
      names = "--ledger",
      paramLabel = "DIR",
      description =
          "a ledger folder shared across runs (created if missing): any request a run recorded there is answered"
              + " from it in every run directory; the run directory's own ledger/ is then not used")
  Path dir;

  /** The {@code --set} overrides with the ledger's appended last (so the flag wins over a {@code --set ledger=}). */
  List<String> withSets(List<String> sets) {
    List<String> all = new ArrayList<>(sets);
    if (dir != null) {
      all.add("ledger=" + dir.toAbsolutePath().normalize());
    }
    return all;
  }

  /** The flag as the manifest's command line records it, or empty. */
  String describe() {
    return dir == null ? "" : " --ledger " + dir;
  }
}
