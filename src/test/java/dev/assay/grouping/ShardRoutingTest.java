package dev.assay.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.pipeline.RunnerChoice;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardRouting}: its model of Flink's partitioning, the keys it picks from it, and the options it reads.
 * {@code FlinkSpreadTest} checks on embedded Flink that the keys land where the model says.
 */
class ShardRoutingTest {
  /** The model reproduces the splits Flink's workers logged for the plain keys (BENCHMARKS.md, CPU path). */
  @Test
  void plainKeysSplitSixteenShardsTenAndSixOnTwoFlinkWorkers() {
    int[] perWorker = new int[2];
    for (int s = 0; s < 16; s++) {
      perWorker[ShardRouting.flinkWorker(s, 2)]++;
    }
    assertThat(perWorker[0] + " and " + perWorker[1], is("6 and 10"));
    int[] of64 = new int[2];
    for (int s = 0; s < 64; s++) {
      of64[ShardRouting.flinkWorker(s, 2)]++;
    }
    assertThat(of64[0] + " and " + of64[1], is("27 and 37"));
  }

  @Test
  void routedKeysGiveEachWorkerItsShareAndMapBackToTheirGroups() {
    for (int workers : new int[] {2, 3, 4, 8, 64}) {
      ShardRouting routing = ShardRouting.flinkWorkers(workers);
      for (int groups : new int[] {1, 2, 16, 100, 512}) {
        Set<Integer> keys = new HashSet<>();
        int[] perWorker = new int[workers];
        for (int g = 0; g < groups; g++) {
          int key = routing.key(g, groups);
          assertThat("group of key " + key, ShardRouting.group(key, groups), is(g));
          assertThat("key " + key + " of group " + g + " on its worker", ShardRouting.flinkWorker(key, workers), is(g % workers));
          keys.add(key);
          perWorker[ShardRouting.flinkWorker(key, workers)]++;
        }
        assertThat("distinct keys", keys.size(), is(groups));
        for (int w = 0; w < workers; w++) {
          int share = groups / workers + (w < groups % workers ? 1 : 0);
          assertThat(groups + " groups, worker " + w + " of " + workers, perWorker[w], is(share));
        }
      }
    }
  }

  @Test
  void withOneWorkerOrOffFlinkTheKeysAreTheGroups() {
    for (ShardRouting routing : new ShardRouting[] {
        ShardRouting.flinkWorkers(1),
        ShardRouting.of(RunnerChoice.direct().options()),
        ShardRouting.of(null)}) {
      assertThat(routing.workers(), is(1));
      assertThat(java.util.List.of(routing.key(0, 16), routing.key(7, 16), routing.key(15, 16)), contains(0, 7, 15));
    }
  }

  @Test
  void onFlinkTheWorkersAreThePipelinesParallelism() {
    assertThat(ShardRouting.of(new RunnerChoice(RunnerChoice.Kind.FLINK, RunnerChoice.LOCAL, 3).options()).workers(), is(3));
    // A cluster whose parallelism is its own: not known here, so no spreading.
    assertThat(ShardRouting.of(new RunnerChoice(RunnerChoice.Kind.FLINK, "jobmanager:8081", 0).options()).workers(), is(1));
  }

  @Test
  void aGroupOutsideItsStrideIsRefused() {
    ShardRouting routing = ShardRouting.flinkWorkers(2);
    assertThrows(IllegalArgumentException.class, () -> routing.key(16, 16));
    assertThrows(IllegalArgumentException.class, () -> routing.key(-1, 16));
    assertThrows(IllegalArgumentException.class, () -> ShardRouting.flinkWorkers(0));
  }
}
