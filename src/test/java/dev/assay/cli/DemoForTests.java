package dev.assay.cli;

import dev.assay.sim.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Opens the package-private {@link DemoCommand#runDemo} to tests in other packages. */
public final class DemoForTests {
  private DemoForTests() {}

  /** Runs the demo recipe with {@code --set} overrides on the default simulator into {@code out}; returns the exit code. */
  public static int runDemo(Path out, List<String> sets, PrintStream console) throws IOException {
    return DemoCommand.runDemo(out, false, sets, SimulatorConfig.defaults(), console);
  }
}
