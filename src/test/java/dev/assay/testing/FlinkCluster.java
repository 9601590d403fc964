package dev.assay.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Flink session cluster in a child JVM ({@link FlinkClusterMain}) for tests that submit to {@code localhost:port},
 * so the DoFns run in another process than the test's driver, as on a real cluster.
 *
 * <p>The child's classpath holds the runtime dependencies and the test classes (for {@link FlinkClusterMain}), from
 * what surefire passes ({@code assay.runtimeClasspath}, {@code assay.classesDir}). With {@code child-first} class
 * loading (Flink's default) Assay's own classes are left off it, so the job can only run if the FlinkRunner staged
 * the driver's {@code target/classes} folder as a jar, as a real cluster, which has never seen Assay, needs. With
 * {@code parent-first} they are on it, so its statics outlive a job as they do when Assay's jar sits in a cluster's
 * {@code lib/}. Failure modes: an {@link IllegalStateException} with the child's log when it exits or
 * prints no port within 60 s.
 */
public final class FlinkCluster implements AutoCloseable {
  private final Process process;
  private final int port;
  private final long startMillis;

  private FlinkCluster(Process process, int port, long startMillis) {
    this.process = process;
    this.port = port;
    this.startMillis = startMillis;
  }

  /** Starts a cluster with two task slots; {@code resolveOrder} is {@code child-first} or {@code parent-first}. */
  public static FlinkCluster start(Path log, String resolveOrder) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    String deps = Files.readString(Path.of(System.getProperty("assay.runtimeClasspath", "target/runtime-classpath.txt"))).trim();
    String classes = System.getProperty("assay.classesDir", "target/classes");
    String testClasses;
    try {
      testClasses = Path.of(FlinkClusterMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    boolean parentFirst = resolveOrder.equals("parent-first");
    cmd.add(testClasses + File.pathSeparator + (parentFirst ? classes + File.pathSeparator : "") + deps);
    cmd.add(FlinkClusterMain.class.getName());
    cmd.add("2");
    cmd.add(resolveOrder);
    // Standard input stays a pipe held by this JVM: the child exits when it closes, even if this JVM is killed.
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith(FlinkClusterMain.PORT_LINE)) {
          return new FlinkCluster(p, Integer.parseInt(line.substring(FlinkClusterMain.PORT_LINE.length()).trim()), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException("the Flink cluster did not start; its log:\n" + Files.readString(log));
  }

  /** The REST port of the JobManager, for {@code --flink-master localhost:PORT}. */
  public int port() {
    return port;
  }

  /** The child's process id (ledger shard names carry the writer's pid). */
  public long pid() {
    return process.pid();
  }

  /** How long the child took to print its port. */
  public long startMillis() {
    return startMillis;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // the child's cue to shut the cluster down
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
