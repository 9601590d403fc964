package dev.assay.cli;

import java.nio.file.Path;
import java.util.List;

/** Helpers shared by subcommands: the command line as recorded in a manifest, and the bad-input message. */
final class Commands {
  private Commands() {}

  /** The reproducing command line; {@code --set} values are recorded as given (they never hold secrets by contract). */
  static String commandLine(String verb, Path recipe, List<Path> configs, List<String> sets, Path dir, boolean resume) {
    StringBuilder sb = new StringBuilder("./assay ").append(verb).append(' ').append(recipe);
    for (Path c : configs) {
      sb.append(" --config ").append(c);
    }
    for (String s : sets) {
      sb.append(" --set ").append(s);
    }
    sb.append(" --run-dir ").append(dir);
    if (resume) {
      sb.append(" --resume");
    }
    return sb.toString();
  }

  /** Prints {@code assay: <message>} to the error writer and returns the bad-input exit code. */
  static int fail(java.io.PrintWriter err, String message) {
    err.println("assay: " + message);
    err.flush();
    return Main.BAD_INPUT;
  }

  /**
   * Removes a command's temporary scratch folder. A folder left behind is not worth failing a finished command for,
   * so a failure to delete is ignored.
   */
  static void deleteScratch(java.nio.file.Path dir) {
    try {
      dev.assay.io.Folders.deleteRecursively(dir);
    } catch (java.io.IOException e) {
      // Left behind in the temporary folder; the command's result stands.
    }
  }
}
