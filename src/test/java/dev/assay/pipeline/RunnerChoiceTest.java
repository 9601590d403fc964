package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.junit.jupiter.api.Test;

/** Runner names, the auto choice's threshold, and the options each choice builds. */
class RunnerChoiceTest {
  @Test
  void namesParseCaseInsensitivelyAndUnknownOnesSayWhatIsAccepted() {
    assertThat(RunnerChoice.kind("Flink"), is(RunnerChoice.Kind.FLINK));
    assertThat(RunnerChoice.kind(" direct "), is(RunnerChoice.Kind.DIRECT));
    assertThat(RunnerChoice.kind("auto"), is(RunnerChoice.Kind.AUTO));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunnerChoice.kind("spark"));
    assertThat(e.getMessage(), is("--runner must be auto, direct or flink, not 'spark'"));
    assertThrows(IllegalArgumentException.class, () -> new RunnerChoice(RunnerChoice.Kind.DIRECT, null, -1));
  }

  @Test
  void autoPicksFlinkFromTheThresholdOnAndKeepsTheParallelism() {
    RunnerChoice auto = new RunnerChoice(RunnerChoice.Kind.AUTO, null, 3);
    long t = RunnerChoice.AUTO_FLINK_FROM_JUDGMENTS;
    assertThat(auto.resolve(t - 1, 0), is(new RunnerChoice(RunnerChoice.Kind.DIRECT, RunnerChoice.LOCAL, 3)));
    assertThat(auto.resolve(t, 0), is(new RunnerChoice(RunnerChoice.Kind.FLINK, RunnerChoice.LOCAL, 3)));
    assertThat(RunnerChoice.direct().resolve(10 * t, 0), is(RunnerChoice.direct()));
    // Many model calls go to Flink too: the direct runner's monitor polls without pause while a model stage waits.
    long calls = RunnerChoice.AUTO_FLINK_FROM_MODEL_CALLS;
    assertThat(auto.resolve(1_000, calls - 1), is(new RunnerChoice(RunnerChoice.Kind.DIRECT, RunnerChoice.LOCAL, 3)));
    assertThat(auto.resolve(1_000, calls), is(new RunnerChoice(RunnerChoice.Kind.FLINK, RunnerChoice.LOCAL, 3)));
    assertThat(RunnerChoice.direct().resolve(0, 10 * calls), is(RunnerChoice.direct()));
    IllegalStateException e = assertThrows(IllegalStateException.class, auto::options);
    assertThat(e.getMessage(), containsString("resolved"));
    assertThrows(IllegalStateException.class, auto::shards);
  }

  @Test
  void directOptionsSwitchOffTheTestOnlyChecks() {
    var o = new RunnerChoice(RunnerChoice.Kind.DIRECT, null, 3).options();
    assertThat(o.getRunner().equals(DirectRunner.class), is(true));
    DirectOptions d = o.as(DirectOptions.class);
    assertThat(d.isEnforceImmutability(), is(false));
    assertThat(d.isEnforceEncodability(), is(false));
    assertThat(d.getTargetParallelism(), is(3));
    assertThat(new RunnerChoice(RunnerChoice.Kind.DIRECT, null, 3).describe(), is("DirectRunner x3"));
    assertThat("one shard per worker: the direct runner pays per key", new RunnerChoice(RunnerChoice.Kind.DIRECT, null, 3).shards(), is(3));
  }

  @Test
  void flinkOptionsNameTheMasterAndLeaveAClustersParallelismAlone() {
    var local = new RunnerChoice(RunnerChoice.Kind.FLINK, null, 0);
    FlinkPipelineOptions f = local.options().as(FlinkPipelineOptions.class);
    assertThat(f.getRunner().equals(FlinkRunner.class), is(true));
    assertThat(f.getFlinkMaster(), is("[local]"));
    assertThat(f.getParallelism(), is(Runtime.getRuntime().availableProcessors()));
    assertThat(f.getObjectReuse(), is(true));
    assertThat(local.embedded(), is(true));
    // Flink hashes each shard to a slot once: eight per slot, so no slot is left with none and the busiest holds
    // about twice the mean rather than four times; never fewer than 16.
    assertThat(new RunnerChoice(RunnerChoice.Kind.FLINK, null, 1).shards(), is(16));
    assertThat(new RunnerChoice(RunnerChoice.Kind.FLINK, null, 2).shards(), is(16));
    assertThat(new RunnerChoice(RunnerChoice.Kind.FLINK, null, 4).shards(), is(32));
    assertThat(new RunnerChoice(RunnerChoice.Kind.FLINK, "jm:8081", 64).shards(), is(512));

    var cluster = new RunnerChoice(RunnerChoice.Kind.FLINK, "jobmanager:8081", 0);
    FlinkPipelineOptions c = cluster.options().as(FlinkPipelineOptions.class);
    assertThat(c.getFlinkMaster(), is("jobmanager:8081"));
    assertThat(c.getParallelism(), is(-1)); // Flink's "use the cluster's default"
    assertThat(cluster.embedded(), is(false));
    assertThat(cluster.describe(), is("FlinkRunner jobmanager:8081 (cluster parallelism)"));
    assertThat(cluster.options(), instanceOf(FlinkPipelineOptions.class));
  }
}
