package dev.assay.reliability;

import dev.assay.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ./assay} in this JVM through {@link Main#execute} with {@code System.out} and {@code System.err}
 * captured, so a test sees exactly what a user's terminal would show (picocli, the runner's accounting lines, the
 * error handler, and slf4j-simple, which writes to the current {@code System.err}).
 */
final class Cli {
  /** What one invocation left: its exit code and its two streams. */
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli() {}

  static Result run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    // Tests in this JVM run one after another (no parallel execution configured), so swapping the streams is safe.
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      System.setOut(po);
      System.setErr(pe);
      code = Main.execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** {@code run RECIPE --run-dir DIR [--resume] [--set ...]}. */
  static List<String> runArgs(Path recipe, Path dir, boolean resume, String... sets) {
    List<String> a = new ArrayList<>(List.of("run", recipe.toString(), "--run-dir", dir.toString()));
    for (String s : sets) {
      a.add("--set");
      a.add(s);
    }
    if (resume) {
      a.add("--resume");
    }
    return a;
  }
}
