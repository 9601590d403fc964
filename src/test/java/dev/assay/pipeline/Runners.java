package dev.assay.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The runners recipe tests run on, as command-line options: the direct runner and embedded Flink with two task
 * slots (two, so that work really is split between parallel instances, as on a cluster). A test parameterized with
 * {@code @ValueSource(strings = {"direct", "flink"})} appends {@link #args} to its {@code ./assay run} arguments.
 */
final class Runners {
  private Runners() {}

  static List<String> options(String runner) {
    return runner.equals("flink") ? List.of("--runner", "flink", "--parallelism", "2") : List.of("--runner", "direct");
  }

  /** {@code args} followed by the runner's options. */
  static String[] args(String runner, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(options(runner));
    return all.toArray(String[]::new);
  }
}
