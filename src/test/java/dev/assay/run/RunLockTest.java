package dev.assay.run;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunLock}: who may take a run directory, and what a refused or replacing process says. */
class RunLockTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
  private final PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8);

  private String notices() {
    return noticeBytes.toString(StandardCharsets.UTF_8);
  }

  private void writeHolder(Path dir, RunLock.Holder h) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(RunLock.FILE), Json.line(h) + "\n");
  }

  @Test
  void theHolderFileNamesThisProcessAndGoesAwayOnClose() throws Exception {
    Path dir = tmp.resolve("run");
    try (RunLock lock = RunLock.acquire(dir, "./assay run r.yaml", false, notices)) {
      RunLock.Holder h = Json.parse(Files.readString(dir.resolve(RunLock.FILE)).strip(), RunLock.Holder.class);
      assertThat(h, is(lock.holder()));
      assertThat(h.pid(), is(ProcessHandle.current().pid()));
      assertThat(h.host(), is(RunLock.hostName()));
      assertThat(h.command(), is("./assay run r.yaml"));
    }
    assertThat(Files.exists(dir.resolve(RunLock.FILE)), is(false));
    assertThat("nothing to say when the folder was free", notices(), is(emptyString()));
    // Free again: the next run takes it.
    RunLock.acquire(dir, "", false, notices).close();
  }

  @Test
  void aSecondRunInThisJvmIsRefusedWhileTheFirstHoldsTheFolder() {
    Path dir = tmp.resolve("run");
    try (RunLock first = RunLock.acquire(dir, "first", false, notices)) {
      RunLock.HeldException e = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(dir, "second", false, notices));
      assertThat(e.getMessage(), containsString("pid " + ProcessHandle.current().pid()));
      // The refusal must not have released what the first run holds.
      assertThat(Files.exists(dir.resolve(RunLock.FILE)), is(true));
    }
  }

  @Test
  void theSameFolderReachedThroughASymlinkIsTheSameFolder() throws Exception {
    Path dir = tmp.resolve("run");
    Files.createDirectories(dir);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
    try (RunLock first = RunLock.acquire(dir, "first", false, notices)) {
      // Refused before a second channel is opened on the mutex file: closing one would drop the first's OS lock.
      assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(link, "second", false, notices));
    }
    RunLock.acquire(link, "", false, notices).close();
  }

  @Test
  void theLockOfADeadProcessOnThisHostIsTakenOverWithANotice() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS), is(true));
    Path dir = tmp.resolve("run");
    writeHolder(dir, new RunLock.Holder(RunLock.hostName(), gone.pid(), null, "2026-12-06T00:00:00Z", "./assay demo"));
    try (RunLock lock = RunLock.acquire(dir, "", false, notices)) {
      assertThat(lock.holder().pid(), is(ProcessHandle.current().pid()));
    }
    assertThat(notices(), containsString("stale lock of pid " + gone.pid()));
  }

  @Test
  void aReusedPidIsNotTakenForTheHolder() throws Exception {
    // This JVM's pid, but a process start long before it: the holder was another process that had this pid.
    Path dir = tmp.resolve("run");
    writeHolder(dir, new RunLock.Holder(RunLock.hostName(), ProcessHandle.current().pid(), "2001-01-01T00:00:00Z", null, ""));
    RunLock.acquire(dir, "", false, notices).close();
    assertThat(notices(), containsString("stale lock"));
  }

  @Test
  void aLiveHolderIsNeverOverriddenEvenWhereOsLocksAreMissing() throws Exception {
    // A live process named in the file while the OS lock is free: what a file system without working locks shows.
    Process live = new ProcessBuilder("sleep", "60").start();
    try {
      String started = live.toHandle().info().startInstant().orElseThrow().truncatedTo(ChronoUnit.SECONDS).toString();
      Path dir = tmp.resolve("run");
      writeHolder(dir, new RunLock.Holder(RunLock.hostName(), live.pid(), started, "2026-12-06T00:00:00Z", "./assay run"));
      RunLock.HeldException e = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(dir, "", true, notices));
      assertThat(e.getMessage(), containsString("pid " + live.pid()));
      assertThat(e.holder().pid(), is(live.pid()));
    } finally {
      live.destroyForcibly();
    }
  }

  @Test
  void aForeignHostsLockNeedsBreakLock() throws Exception {
    Path dir = tmp.resolve("run");
    RunLock.Holder foreign = new RunLock.Holder("elsewhere.internal", 77, null, "2026-12-06T00:00:00Z", "");
    writeHolder(dir, foreign);
    RunLock.HeldException e = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(dir, "", false, notices));
    assertThat(e.getMessage(), containsString("pid 77 on host elsewhere.internal since 2026-12-06T00:00:00Z"));
    assertThat(e.getMessage(), containsString("--break-lock"));
    RunLock.acquire(dir, "", true, notices).close();
    assertThat(notices(), containsString("breaking the lock of pid 77 on host elsewhere.internal"));
  }

  @Test
  void anUnreadableHolderFileIsReplacedWithANotice() throws Exception {
    Path dir = tmp.resolve("run");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(RunLock.FILE), "{\"host\": \"half");
    RunLock.acquire(dir, "", false, notices).close();
    assertThat(notices(), containsString("unreadable"));
  }

  @Test
  void clearingOutputsKeepsTheLockFiles() {
    Path dir = tmp.resolve("run");
    try (RunLock lock = RunLock.acquire(dir, "", false, notices)) {
      new RunDirectory(dir).clearOutputs();
      assertThat(Files.exists(dir.resolve(RunLock.FILE)), is(true));
      assertThat(Files.exists(dir.resolve(RunLock.MUTEX)), is(true));
    }
  }
}
