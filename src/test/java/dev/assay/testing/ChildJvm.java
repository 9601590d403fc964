package dev.assay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@code ./assay}'s main class in a separate JVM, as a user's process would run, so a test can kill it with
 * SIGKILL ({@link Process#destroyForcibly()} on Unix) at an arbitrary point.
 *
 * <p>The classpath comes from the build: surefire passes {@code assay.classesDir} and {@code assay.runtimeClasspath}
 * (the file Maven's dependency plugin writes).
 */
public final class ChildJvm {
  private ChildJvm() {}

  public static Process start(Path workDir, Path log, List<String> args) throws IOException {
    return start(workDir, log, List.of(), Map.of(), args);
  }

  /**
   * As {@link #start(Path, Path, List)}, with extra JVM options (e.g. a log level) and extra environment variables
   * (e.g. an API key) for the child only.
   */
  public static Process start(Path workDir, Path log, List<String> jvmArgs, Map<String, String> env, List<String> args)
      throws IOException {
    return startMain("dev.assay.cli.Main", false, workDir, log, jvmArgs, env, args);
  }

  /**
   * A JVM running {@code mainClass}; with {@code withTestClasses} the test classes (beside the main classes in the
   * build folder) are on its classpath too, for a test's own child program.
   */
  public static Process startMain(
      String mainClass, boolean withTestClasses, Path workDir, Path log, List<String> jvmArgs, Map<String, String> env,
      List<String> args) throws IOException {
    String classes = System.getProperty("assay.classesDir", "target/classes");
    String cpFile = System.getProperty("assay.runtimeClasspath", "target/runtime-classpath.txt");
    String deps = Files.readString(Path.of(cpFile)).trim();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    String testClasses = Path.of(classes).resolveSibling("test-classes").toString();
    cmd.add(classes + java.io.File.pathSeparator + (withTestClasses ? testClasses + java.io.File.pathSeparator : "")
        + deps);
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }
}
