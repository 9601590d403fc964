package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./assay} launcher's class-data archive, end to end, as a newcomer's first command meets it: in a copy of
 * the project whose classes are already built (so the launcher does not call Maven), the launcher packs the classes
 * into {@code target/assay.jar}, runs {@link ClassDataTraining} to write {@code target/assay.jsa}, and starts the CLI
 * from it. {@code -Xshare:on} makes the last JVM fail unless the archive maps, so the test fails when the archive is
 * unusable, not only when it is missing. About 30 s: the training runs the demo twice. Also the collector the launcher
 * picks for every JVM it starts.
 */
class LauncherClassArchiveTest {
  @Test
  void theLauncherWritesAnArchiveTheCliStartsFrom(@TempDir Path root) throws Exception {
    copyBuiltProject(root);

    Result first = launch(root, Map.of(), "--version");
    assertThat(first.output(), first.rc(), is(0));
    assertThat(first.output(), containsString("assay: writing the class-data archive"));
    assertThat(first.output(), not(containsString("no class-data archive")));
    assertThat(Files.size(root.resolve("target/assay.jsa")), greaterThan(1_000_000L));
    assertThat(Files.exists(root.resolve("target/assay.jar")), is(true));

    Result second = launch(root, Map.of("ASSAY_JAVA_OPTS", "-Xshare:on"), "--version");
    assertThat(second.output(), second.rc(), is(0));
    assertThat(second.output().strip(), is(first.output().lines().reduce((a, b) -> b).orElseThrow().strip()));
    assertThat(second.output(), containsString("assay "));
    assertThat(second.output(), not(containsString("archive"))); // written once per build, not again
  }

  /**
   * Assay's JVMs run the throughput collector, chosen from {@code assay bench cpu}'s figures, unless the user picks one
   * in {@code ASSAY_JAVA_OPTS} (the JVM refuses two collectors, so the launcher must then add none).
   */
  @Test
  void theLauncherPicksTheParallelCollectorUnlessTheUserPicksOne(@TempDir Path root) throws Exception {
    copyBuiltProject(root);
    Result chosen = launch(root, Map.of("ASSAY_CLASS_ARCHIVE", "off", "ASSAY_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
    assertThat(chosen.output(), chosen.rc(), is(0));
    assertThat(chosen.output(), containsString("-XX:+UseParallelGC"));

    Result own = launch(root, Map.of("ASSAY_CLASS_ARCHIVE", "off", "ASSAY_JAVA_OPTS", "-XX:+UseSerialGC -XX:+PrintCommandLineFlags"), "--version");
    assertThat(own.output(), own.rc(), is(0));
    assertThat(own.output(), containsString("-XX:+UseSerialGC"));
    assertThat(own.output(), not(containsString("UseParallelGC")));
  }

  /** A copy of the project whose classes are already built, so that the launcher does not call Maven. */
  private static void copyBuiltProject(Path root) throws IOException {
    Path project = Path.of("").toAbsolutePath();
    Files.copy(project.resolve("assay"), root.resolve("assay"), StandardCopyOption.COPY_ATTRIBUTES);
    copyTree(project.resolve("pipelines"), root.resolve("pipelines"));
    copyTree(project.resolve("configs"), root.resolve("configs"));
    Path classes = Path.of(System.getProperty("assay.classesDir", "target/classes"));
    copyTree(classes, root.resolve("target/classes"));
    Files.copy(Path.of(System.getProperty("assay.runtimeClasspath", "target/runtime-classpath.txt")), root.resolve("target/runtime-classpath.txt"));
    Files.writeString(root.resolve("target/classes/.assay-built"), ""); // built: the launcher must not compile
  }

  private record Result(int rc, String output) {}

  private static Result launch(Path root, Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile(root, "launch", ".log");
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", root.resolve("assay").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("ASSAY_JAVA_OPTS");
    pb.environment().remove("ASSAY_CLASS_ARCHIVE");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the launcher did not finish in 300 s: " + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
