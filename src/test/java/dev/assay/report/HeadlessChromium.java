package dev.assay.report;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a page in Debian's headless {@code chromium} for tests. Without the binary a test is skipped, except
 * under CI (environment variable {@code CI} set), where the missing browser is a failure: CI installs it, so its
 * absence there means the render check silently stopped running.
 */
public final class HeadlessChromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  /** Skips the calling test (or fails it under CI) when chromium is not installed. */
  public static void requireInstalled() {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    String why = BINARY + " not found: headless render check skipped (install: apt-get update && apt-get install -y"
        + " chromium)";
    if (System.getenv("CI") != null) {
      fail("CI is set but " + why);
    }
    assumeTrue(false, why);
  }

  /** The DOM after load, as chromium serializes it. */
  public static String dumpDom(Path html, Path scratch) throws IOException, InterruptedException {
    return run(scratch, List.of("--dump-dom", html.toUri().toString()));
  }

  /** Writes a screenshot of the page to {@code png}. */
  public static void screenshot(Path html, Path png, Path scratch) throws IOException, InterruptedException {
    run(scratch, List.of("--screenshot=" + png, "--window-size=1200,3000", html.toUri().toString()));
  }

  private static String run(Path scratch, List<String> args) throws IOException, InterruptedException {
    // A fresh profile per call and every background service off: nothing may reach the network, and a shared
    // profile would let one test's state leak into the next.
    Path profile = Files.createTempDirectory(scratch, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path out = scratch.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = scratch.resolve("chromium-" + System.nanoTime() + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 90 s: " + Files.readString(err, StandardCharsets.UTF_8));
    }
    if (p.exitValue() != 0) {
      fail("chromium exited " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
