package dev.assay.cli;

import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.pipeline.UsageException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./assay simulate}: the simulator as a standalone OpenAI-compatible server on loopback, until interrupted.
 * Every answer it gives is simulated, and it says so on start and in its model list.
 */
@Command(name = "simulate", description = "Serve the SIMULATOR (a fake OpenAI-compatible server) on loopback until interrupted.")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--port", description = "port on 127.0.0.1 (default: 8089; 0 picks a free one)")
  int port = 8089;

  @Option(names = "--seed", description = "seed of latency and fault draws")
  Long seed;

  @Option(names = "--latency", description = "e.g. 50, fixed:50, uniform:10-80, lognormal:50,0.5 (ms)")
  String latency;

  @Option(
      names = "--faults",
      description = "e.g. 429=0.05,500=0.02,timeout=0.01,malformed=0.01,truncated=0.01,reset=0.01,slow=0.01,retry-after=1,slow-ms=2000")
  String faults;

  @Option(names = "--log", paramLabel = "FILE", description = "append every request served to FILE as JSONL")
  Path log;

  @Override
  public Integer call() throws Exception {
    SimulatorConfig config;
    try {
      config = SimulatorConfig.fromOptions(port, seed, latency, faults, log);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    try (Simulator sim = Simulator.start(config)) {
      System.out.println(sim.banner());
      System.out.println("OpenAI base URL: " + sim.baseUrl() + "   (Ctrl-C to stop)");
      sim.runUntilInterrupted();
    }
    return 0;
  }
}
