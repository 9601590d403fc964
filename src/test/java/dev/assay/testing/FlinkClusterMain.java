package dev.assay.testing;

import java.net.URI;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink session cluster in a process of its own, for tests that submit through {@code --flink-master host:port}
 * the way a user submits to a real cluster: the job's DoFns then run in this JVM, not in the driver's.
 *
 * <p>Arguments: {@code [slots [resolve-order]]}. Starts a {@link MiniCluster} (one TaskManager with {@code slots} task
 * slots, default 2; class loading {@code child-first}, Flink's default, or {@code parent-first}) whose REST endpoint
 * listens on a free loopback port, prints {@code FLINK_REST_PORT=<port>} on standard output, and runs until its
 * standard input closes or it is killed: the parent holds the pipe, so a test JVM that dies takes this one with it.
 * Exit code 1 when the cluster cannot start (the cause is printed).
 */
public final class FlinkClusterMain {
  /** The line prefix the parent waits for. */
  public static final String PORT_LINE = "FLINK_REST_PORT=";

  private FlinkClusterMain() {}

  public static void main(String[] args) throws Exception {
    int slots = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Configuration conf = new Configuration();
    if (args.length > 1) {
      // parent-first: the job's classes come from this JVM's classpath, as when Assay's jar sits in Flink's lib/, so
      // static state survives from one job to the next (child-first gives each job fresh statics and would hide that).
      conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, args[1]);
    }
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0"); // any free port: tests run side by side
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    MiniClusterConfiguration config =
        new MiniClusterConfiguration.Builder().setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build();
    MiniCluster cluster = new MiniCluster(config);
    try {
      cluster.start();
      URI rest = cluster.getRestAddress().get();
      System.out.println(PORT_LINE + rest.getPort());
      System.out.flush();
      // Blocks until the parent closes the pipe (or exits): the cluster never outlives its test.
      while (System.in.read() >= 0) {
        // nothing to read; the parent never writes
      }
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    } finally {
      cluster.close();
    }
    System.exit(0);
  }
}
