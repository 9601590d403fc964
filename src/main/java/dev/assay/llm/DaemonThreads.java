package dev.assay.llm;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for the client layers: daemon threads, so a pipeline that forgets to close a client still exits. */
final class DaemonThreads {
  private DaemonThreads() {}

  /** Threads named {@code name-1}, {@code name-2}, ..., all daemons. */
  static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
