package dev.assay.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How many HTTP attempts to one endpoint may be on the wire at once, adapted to what the server can take (AIMD): the
 * window starts at {@code max_in_flight}, halves when an attempt is answered 429 or 503 or times out, and grows by one
 * after a window's worth of successes, never above {@code max_in_flight} nor below {@code min_in_flight} (default 1). A setting above a server's slots
 * then costs speed, not results: the attempts beyond what the server answers in time wait here, where no timeout
 * runs, instead of in the server's queue, where the read timeout does.
 *
 * <p>One congestion signal per window: the attempts already on the wire when the window halved were sent into the
 * same overload, so their signals do not halve it again (each permit carries the epoch it was granted in, and only a
 * signal from the current epoch counts). Without this a burst of 15 refusals would collapse a window of 16 to 1 at
 * once.
 *
 * <p>Never blocks: {@link #submit} runs the attempt at once when the window has room, else queues it (first come,
 * first served), and {@link Permit#done} starts the queued attempts the freed room allows, on the releasing thread.
 * Thread-safe.
 */
final class AdaptiveWindow {
  /** What an attempt's outcome says about the server's load. */
  enum Signal {
    /** Answered (whatever the status): the server kept up. */
    SUCCESS,
    /** 429, 503 or a timeout: the server is over its capacity. */
    CONGESTION,
    /** Says nothing about load (a 400, a malformed body, a connection reset, a cancelled call). */
    NEUTRAL
  }

  /** The right to have one attempt on the wire; {@link #done} exactly once. */
  interface Permit {
    void done(Signal signal);
  }

  private final int min;
  private final int max;
  private final ArrayDeque<Consumer<Permit>> waiting = new ArrayDeque<>();
  // Guarded by this.
  private int limit;
  private int inFlight;
  private int successes;
  private long epoch;
  private long decreases;

  AdaptiveWindow(int max) {
    this(1, max);
  }

  /** A window between {@code min} and {@code max}, starting at {@code max}. */
  AdaptiveWindow(int min, int max) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("need 1 <= min <= max: " + min + ", " + max);
    }
    this.min = min;
    this.max = max;
    this.limit = max;
  }

  /** Runs {@code attempt} with a permit now if the window has room, else when it has. */
  void submit(Consumer<Permit> attempt) {
    Permit permit;
    synchronized (this) {
      if (inFlight >= limit || !waiting.isEmpty()) {
        waiting.add(attempt);
        return;
      }
      inFlight++;
      permit = new Grant(epoch);
    }
    attempt.accept(permit);
  }

  /** The current window. */
  synchronized int limit() {
    return limit;
  }

  /** Attempts on the wire now. */
  synchronized int inFlight() {
    return inFlight;
  }

  /** How often the window halved. */
  synchronized long decreases() {
    return decreases;
  }

  /** Attempts waiting for room. */
  synchronized int waiting() {
    return waiting.size();
  }

  private void release(long grantedIn, Signal signal) {
    List<Runnable> start = new ArrayList<>();
    synchronized (this) {
      inFlight--;
      if (signal == Signal.CONGESTION) {
        if (grantedIn == epoch) {
          limit = Math.max(min, limit / 2);
          successes = 0;
          epoch++;
          decreases++;
        }
      } else if (signal == Signal.SUCCESS && ++successes >= limit) {
        limit = Math.min(max, limit + 1);
        successes = 0;
      }
      while (inFlight < limit && !waiting.isEmpty()) {
        inFlight++;
        Consumer<Permit> next = waiting.poll();
        Permit p = new Grant(epoch);
        start.add(() -> next.accept(p));
      }
    }
    // Outside the lock: an attempt may complete (and release) synchronously.
    start.forEach(Runnable::run);
  }

  private final class Grant implements Permit {
    private final long grantedIn;
    private boolean released;

    Grant(long grantedIn) {
      this.grantedIn = grantedIn;
    }

    @Override
    public void done(Signal signal) {
      synchronized (this) {
        if (released) {
          return; // a second outcome of one attempt (a cancel racing a reply) frees no second slot
        }
        released = true;
      }
      release(grantedIn, signal);
    }
  }
}
