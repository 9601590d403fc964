package dev.assay.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link Simulator} needs: where to listen, its seeds, its latency and faults, its models and where to
 * log. Immutable; vary it with the {@code with...} methods ({@code SimulatorConfig.defaults().withPort(8000)}).
 *
 * <p>Two seeds with separate jobs: {@code worldSeed} fixes the world (true quality, responses, judge noise,
 * log-probs), {@code seed} fixes the transport (latency draws, fault draws). Changing the fault seed or the fault
 * plan never changes the content of a successful reply; that is what lets a resumed run reproduce its outputs.
 *
 * <p><b>Default models</b> ({@link #defaultModels()}), a self-rewarding run in four iterations plus two reference
 * judges:
 *
 * <table>
 *   <caption>default model profiles</caption>
 *   <tr><th>id</th><th>role</th><th>skill</th><th>judge accuracy / noise / pairwise noise</th>
 *       <th>position / length bias</th><th>parse-fail / refuse / truncate</th><th>obeys injection</th>
 *       <th>learned</th><th>taste</th><th>verbosity</th></tr>
 *   <tr><td>sim-m0</td><td>iteration 0 policy + judge; the DPO reference</td><td>0.40</td><td>0.60 / 0.22 / 0.05</td>
 *       <td>0.12 / 0.20</td><td>0.04 / 0.01 / 0.01</td><td>yes</td><td>0.0</td><td>fresh</td><td>0</td></tr>
 *   <tr><td>sim-m1</td><td>iteration 1</td><td>0.52</td><td>0.72 / 0.18 / 0.02</td><td>0.04 / 0.15</td>
 *       <td>0.03 / 0.01 / 0.01</td><td>yes</td><td>0.6</td><td>from sim-m0, drift 0.35</td><td>2</td></tr>
 *   <tr><td>sim-m2</td><td>iteration 2</td><td>0.62</td><td>0.78 / 0.16 / 0.02</td><td>0.03 / 0.12</td>
 *       <td>0.02 / 0.005 / 0.01</td><td>no</td><td>1.2</td><td>from sim-m1, drift 0.30</td><td>4</td></tr>
 *   <tr><td>sim-m3</td><td>iteration 3</td><td>0.70</td><td>0.84 / 0.14 / 0.015</td><td>0.02 / 0.10</td>
 *       <td>0.02 / 0.005 / 0.005</td><td>no</td><td>1.8</td><td>from sim-m2, drift 0.25</td><td>6</td></tr>
 *   <tr><td>sim-judge-strict</td><td>judge: near-truth, no biases, no failures</td><td>0.60</td>
 *       <td>0.95 / 0.03 / 0.03</td><td>0 / 0</td><td>0 / 0 / 0</td><td>no</td><td>0.0</td><td>fresh</td><td>0</td></tr>
 *   <tr><td>sim-judge-lenient</td><td>judge: noisy, position- and length-biased, gullible</td><td>0.50</td>
 *       <td>0.45 / 0.20 / 0.20</td><td>0.30 / 0.25</td><td>0.08 / 0.02 / 0.03</td><td>yes</td><td>0.0</td><td>fresh</td>
 *       <td>0</td></tr>
 * </table>
 *
 * <p>sim-m1, the judge the recipes use, is calibrated to GPT-4's published behaviour on MT-Bench and sim-m0's swap
 * consistency to ChatGPT's on LLMBar (SIMULATOR.md, {@code ./assay bench calibration}); sim-m2 and sim-m3 continue
 * the progression. sim-m0..m3 share half of their judge taste with their pairwise judge ({@link #SHARE}) and a fifth
 * with their log-probs ({@link #IMPLICIT_SHARE}); the two reference judges share all of it with their pairwise judge
 * and none with log-probs.
 *
 * <p>Policies hack (write an instruction to the judge) at rates 0.06, 0.05, 0.04, 0.03 for sim-m0..m3, none for the
 * two judges. Any model answers any kind of request; "judge" in the role column only says what it is meant for.
 *
 * @param port the TCP port on 127.0.0.1, 0 for an ephemeral one
 * @param seed the transport seed (latency and faults)
 * @param worldSeed the world seed (truth, text, judge noise, log-probs); {@link SimWorld#DEFAULT_SEED} by default
 * @param latency the reply delay distribution
 * @param faults the injected faults
 * @param models the served models, in the order {@code /v1/models} lists them; ids unique, drift parents present, no
 *     drift cycles
 * @param requestLogFile a JSONL file the request log is appended to (one flushed line per request), or null
 * @param logCapacity how many recent records the in-memory log keeps (counts stay exact beyond it), >= 0
 */
public record SimulatorConfig(
    int port,
    long seed,
    long worldSeed,
    Latency latency,
    FaultPlan faults,
    List<ModelProfile> models,
    Path requestLogFile,
    int logCapacity) {

  /** The transport seed of {@link #defaults()}. */
  public static final long DEFAULT_SEED = 42L;

  /** The in-memory log capacity of {@link #defaults()}. */
  public static final int DEFAULT_LOG_CAPACITY = 100_000;

  public SimulatorConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(faults, "faults");
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("the simulator needs at least one model");
    }
    if (logCapacity < 0) {
      throw new IllegalArgumentException("logCapacity must be >= 0: " + logCapacity);
    }
    Map<String, ModelProfile> byName = new HashMap<>();
    for (ModelProfile m : models) {
      if (byName.put(m.name(), m) != null) {
        throw new IllegalArgumentException("model id served twice: " + m.name());
      }
    }
    for (ModelProfile m : models) {
      Set<String> seen = new HashSet<>();
      for (ModelProfile at = m; at.driftFrom() != null; at = byName.get(at.driftFrom())) {
        if (!seen.add(at.name())) {
          throw new IllegalArgumentException("drift cycle through " + at.name());
        }
        if (!byName.containsKey(at.driftFrom())) {
          throw new IllegalArgumentException(at.name() + " drifts from " + at.driftFrom() + ", which is not served");
        }
      }
    }
  }

  /** Ephemeral port, default seeds, no latency, no faults, the default models, no log file. */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig(
        0, DEFAULT_SEED, SimWorld.DEFAULT_SEED, Latency.none(), FaultPlan.none(), defaultModels(), null,
        DEFAULT_LOG_CAPACITY);
  }

  /**
   * The configuration the {@code simulate} command builds from its options; a null option keeps the default.
   *
   * @param port the port (0 = ephemeral)
   * @param seed the transport seed
   * @param latency a {@link Latency#parse} spec
   * @param faults a {@link FaultPlan#parse} spec
   * @param requestLogFile the JSONL request log
   * @throws IllegalArgumentException on a malformed spec or out-of-range value, with a message naming it
   */
  public static SimulatorConfig fromOptions(
      Integer port, Long seed, String latency, String faults, Path requestLogFile) {
    SimulatorConfig c = defaults();
    if (port != null) c = c.withPort(port);
    if (seed != null) c = c.withSeed(seed);
    if (latency != null) c = c.withLatency(Latency.parse(latency));
    if (faults != null) c = c.withFaults(FaultPlan.parse(faults));
    if (requestLogFile != null) c = c.withRequestLogFile(requestLogFile);
    return c;
  }

  /**
   * The default share of a self-rewarding model's judge taste that its pairwise judge carries
   * ({@link ModelProfile#pairwiseShare()}): no published figure fixes it, so the middle of the range.
   */
  public static final double SHARE = 0.5;

  /**
   * The default share of a self-rewarding model's judge taste that its learned log-probs carry
   * ({@link ModelProfile#implicitShare()}). No published figure fixes it either. It is smaller than {@link #SHARE}
   * because the judge damps its taste by {@code 1 - judgeAccuracy} and the log-probs do not, and because a policy's
   * responses vary little in true quality (it writes to its skill) but fully in any taste: at 0.2 the implicit reward
   * strays from the truth about as far, relative to it, as sim-m1's judge does (taste to truth spread about 0.6 against
   * 0.75), while at 0.5 the taste would swamp the truth (Spearman with the truth 0.04 on the implicit-reward test).
   */
  public static final double IMPLICIT_SHARE = 0.2;

  /** The default models; see the class documentation for what each is. */
  public static List<ModelProfile> defaultModels() {
    return List.of(
        ModelProfile.builder("sim-m0").skill(0.40).hackRate(0.06)
            .judgeAccuracy(0.60).judgeNoise(0.22).positionBias(0.12).lengthBias(0.20)
            .parseFailureRate(0.04).refusalRate(0.01).truncationRate(0.01).obeysInjection(true)
            .learned(0.0).build()
            .toBuilder().pairwiseNoise(0.05).pairwiseShare(SHARE).implicitShare(IMPLICIT_SHARE).build(),
        ModelProfile.builder("sim-m1").skill(0.52).hackRate(0.05)
            .judgeAccuracy(0.72).judgeNoise(0.18).positionBias(0.04).lengthBias(0.15)
            .parseFailureRate(0.03).refusalRate(0.01).truncationRate(0.01).obeysInjection(true)
            .learned(0.6).driftFrom("sim-m0", 0.35).verbosity(2).build()
            .toBuilder().pairwiseNoise(0.02).pairwiseShare(SHARE).implicitShare(IMPLICIT_SHARE).build(),
        ModelProfile.builder("sim-m2").skill(0.62).hackRate(0.04)
            .judgeAccuracy(0.78).judgeNoise(0.16).positionBias(0.03).lengthBias(0.12)
            .parseFailureRate(0.02).refusalRate(0.005).truncationRate(0.01).obeysInjection(false)
            .learned(1.2).driftFrom("sim-m1", 0.30).verbosity(4).build()
            .toBuilder().pairwiseNoise(0.02).pairwiseShare(SHARE).implicitShare(IMPLICIT_SHARE).build(),
        ModelProfile.builder("sim-m3").skill(0.70).hackRate(0.03)
            .judgeAccuracy(0.84).judgeNoise(0.14).positionBias(0.02).lengthBias(0.10)
            .parseFailureRate(0.02).refusalRate(0.005).truncationRate(0.005).obeysInjection(false)
            .learned(1.8).driftFrom("sim-m2", 0.25).verbosity(6).build()
            .toBuilder().pairwiseNoise(0.015).pairwiseShare(SHARE).implicitShare(IMPLICIT_SHARE).build(),
        ModelProfile.builder("sim-judge-strict").skill(0.60).exact()
            .judgeAccuracy(0.95).judgeNoise(0.03).build(),
        ModelProfile.builder("sim-judge-lenient").skill(0.50)
            .judgeAccuracy(0.45).judgeNoise(0.20).positionBias(0.30).lengthBias(0.25)
            .parseFailureRate(0.08).refusalRate(0.02).truncationRate(0.03).obeysInjection(true).build());
  }

  /** The profile served under {@code name}, if any. */
  public Optional<ModelProfile> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public SimulatorConfig withPort(int v) {
    return new SimulatorConfig(v, seed, worldSeed, latency, faults, models, requestLogFile, logCapacity);
  }

  public SimulatorConfig withSeed(long v) {
    return new SimulatorConfig(port, v, worldSeed, latency, faults, models, requestLogFile, logCapacity);
  }

  public SimulatorConfig withWorldSeed(long v) {
    return new SimulatorConfig(port, seed, v, latency, faults, models, requestLogFile, logCapacity);
  }

  public SimulatorConfig withLatency(Latency v) {
    return new SimulatorConfig(port, seed, worldSeed, v, faults, models, requestLogFile, logCapacity);
  }

  public SimulatorConfig withFaults(FaultPlan v) {
    return new SimulatorConfig(port, seed, worldSeed, latency, v, models, requestLogFile, logCapacity);
  }

  public SimulatorConfig withModels(List<ModelProfile> v) {
    return new SimulatorConfig(port, seed, worldSeed, latency, faults, v, requestLogFile, logCapacity);
  }

  /** Adds {@code profile}, or replaces the model of the same id in place. */
  public SimulatorConfig withModel(ModelProfile profile) {
    List<ModelProfile> next = new ArrayList<>(models);
    int at = -1;
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).name().equals(profile.name())) {
        at = i;
      }
    }
    if (at >= 0) {
      next.set(at, profile);
    } else {
      next.add(profile);
    }
    return withModels(next);
  }

  public SimulatorConfig withRequestLogFile(Path v) {
    return new SimulatorConfig(port, seed, worldSeed, latency, faults, models, v, logCapacity);
  }

  public SimulatorConfig withLogCapacity(int v) {
    return new SimulatorConfig(port, seed, worldSeed, latency, faults, models, requestLogFile, v);
  }
}
