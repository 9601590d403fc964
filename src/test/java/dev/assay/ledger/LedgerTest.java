package dev.assay.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;

  private static ChatRequest request(String text, long seed) {
    return new ChatRequest("m", List.of(ChatMessage.user(text)), 0.7, 1.0, 64, 1, seed);
  }

  @Test
  void keyCoversEverythingThatChangesTheAnswer() {
    String base = RequestKey.chat(request("hi", 1), "t@1", 0);
    assertThat(RequestKey.chat(request("hi", 1), "t@1", 0), equalTo(base));
    assertThat(RequestKey.chat(request("hi!", 1), "t@1", 0), not(equalTo(base)));
    assertThat(RequestKey.chat(request("hi", 2), "t@1", 0), not(equalTo(base)));
    assertThat(RequestKey.chat(request("hi", 1), "t@2", 0), not(equalTo(base)));
    assertThat(RequestKey.chat(request("hi", 1), "t@1", 1), not(equalTo(base)));
    ChatRequest hotter = new ChatRequest("m", List.of(ChatMessage.user("hi")), 0.9, 1.0, 64, 1, 1L);
    assertThat(RequestKey.chat(hotter, "t@1", 0), not(equalTo(base)));
    ChatRequest otherModel = new ChatRequest("m2", List.of(ChatMessage.user("hi")), 0.7, 1.0, 64, 1, 1L);
    assertThat(RequestKey.chat(otherModel, "t@1", 0), not(equalTo(base)));
  }

  @Test
  void entriesSurviveReopeningAndFirstAnswerWins() {
    Ledger ledger = Ledger.open(dir);
    ledger.append(new LedgerEntry("k1", "chat", "m", "{}", "{\"a\":1}"));
    ledger.append(new LedgerEntry("k1", "chat", "m", "{}", "{\"a\":2}"));
    Ledger.release(dir);

    Ledger reopened = Ledger.open(dir);
    assertThat(reopened.size(), is(1));
    assertThat(reopened.lookup("k1").orElseThrow().response(), equalTo("{\"a\":1}"));
    Ledger.release(dir);
  }

  /**
   * A worker in another JVM keeps its instance from job to job (a Flink TaskManager with Assay on its own classpath).
   * Without sessions it would answer an overwritten run from a deleted ledger, and write nothing into the new one.
   * The driver's {@link Ledger#beginSession} makes every JVM read the folder again; no {@code release} is called
   * here, as none reaches a remote worker.
   */
  @Test
  void aNewSessionMakesAnInstanceThatOutlivedItsFolderReadTheFolderAgain() throws Exception {
    Ledger.beginSession(dir);
    Ledger worker = Ledger.open(dir);
    worker.append(new LedgerEntry("k1", "chat", "m", "{}", "{}"));
    assertThat("same session, same instance", Ledger.open(dir), is(worker));

    // --overwrite on the driver: the folder is deleted and a new session begins.
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Ledger.beginSession(dir);
    Ledger fresh = Ledger.open(dir);
    assertThat(fresh, not(worker));
    assertThat("nothing answered from the deleted ledger", fresh.lookup("k1").isPresent(), is(false));
    fresh.append(new LedgerEntry("k2", "chat", "m", "{}", "{}"));

    // Another worker's shard appears; the next pipeline's session makes this JVM see it.
    Files.writeString(dir.resolve("other-1-x.jsonl"), dev.assay.io.Json.line(new LedgerEntry("k3", "chat", "m", "{}", "{}")) + "\n");
    assertThat(Ledger.open(dir).lookup("k3").isPresent(), is(false));
    Ledger.beginSession(dir);
    Ledger next = Ledger.open(dir);
    assertThat(next.lookup("k2").isPresent(), is(true));
    assertThat(next.lookup("k3").isPresent(), is(true));
    assertThat("the same folder, grown: the instance running DoFns hold is kept, not closed", next, is(fresh));
    assertThat("the session marker is not read as a shard", next.tornLines(), is(0L));

    // The other writer appends to its shard, its next line still being written: the complete one is read, the
    // unfinished one is skipped until it is complete.
    Files.writeString(dir.resolve("other-1-x.jsonl"), dev.assay.io.Json.line(new LedgerEntry("k4", "chat", "m", "{}",
        "{}")) + "\n{\"key\":\"k5\",", java.nio.file.StandardOpenOption.APPEND);
    Ledger.beginSession(dir);
    assertThat(Ledger.open(dir).lookup("k4").isPresent(), is(true));
    assertThat(Ledger.open(dir).lookup("k5").isPresent(), is(false));
    assertThat(Ledger.open(dir).tornLines(), is(1L));
    Ledger.release(dir);
  }

  /**
   * The index keeps where each line is, not the entry: every lookup reads its line back, from this writer's own shard
   * while it is being appended and from every shard after reopening, multi-byte text and long lines included.
   */
  @Test
  void lookupsReadEachEntryBackFromItsPlaceInTheShards() throws Exception {
    Ledger ledger = Ledger.open(dir);
    java.util.Map<String, LedgerEntry> expected = new java.util.HashMap<>();
    for (int i = 0; i < 300; i++) {
      String text = (i % 3 == 0 ? "caf\u00e9 \u2192 \ud83d\ude00 " : "plain ") + "x".repeat(i * 37);
      LedgerEntry e = new LedgerEntry("k" + i, "chat", "m", "{\"prompt\":\"" + text + "\"}", "{\"n\":" + i + "}");
      ledger.append(e);
      expected.put(e.key(), e);
      assertThat(ledger.lookup(e.key()).orElseThrow(), equalTo(e));
    }
    // Another worker's shard, as a second JVM leaves it.
    LedgerEntry other = new LedgerEntry("w2", "chat", "m", "{\"p\":\"\u00fc\"}", "{}");
    Files.writeString(dir.resolve("other-2-y.jsonl"), dev.assay.io.Json.line(other) + "\n", StandardCharsets.UTF_8);
    expected.put(other.key(), other);
    Ledger.release(dir);

    Ledger reopened = Ledger.open(dir);
    assertThat(reopened.size(), is(301));
    for (LedgerEntry e : expected.values()) {
      assertThat(reopened.lookup(e.key()).orElseThrow(), equalTo(e));
    }
    assertThat(reopened.lookup("absent").isPresent(), is(false));
    Ledger.release(dir);
  }

  /** A shard cut short after it was read is a changed ledger: the lookup fails and names the shard. */
  @Test
  void aLineThatIsGoneWhenLookedUpFailsTheLookup() throws Exception {
    Ledger ledger = Ledger.open(dir);
    ledger.append(new LedgerEntry("k1", "chat", "m", "{}", "{}"));
    ledger.append(new LedgerEntry("k2", "chat", "m", "{}", "{}"));
    Ledger.release(dir);
    Ledger reopened = Ledger.open(dir);
    Path shard;
    try (var files = Files.list(dir)) {
      shard = files.findFirst().orElseThrow();
    }
    try (var channel = java.nio.channels.FileChannel.open(shard, StandardOpenOption.WRITE)) {
      channel.truncate(10);
    }
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, () -> reopened.lookup("k2"));
    assertThat(e.getMessage(), org.hamcrest.Matchers.containsString(shard.toString()));
    Ledger.release(dir);
  }

  @Test
  void aTornLastLineFromAKilledWriterIsSkipped() throws Exception {
    Ledger ledger = Ledger.open(dir);
    ledger.append(new LedgerEntry("k1", "chat", "m", "{}", "{}"));
    Ledger.release(dir);
    Path shard;
    try (var files = Files.list(dir)) {
      shard = files.findFirst().orElseThrow();
    }
    Files.writeString(shard, "{\"key\":\"k2\",\"api\":\"ch", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    Ledger reopened = Ledger.open(dir);
    assertThat(reopened.size(), is(1));
    assertThat(reopened.tornLines(), is(1L));
    Ledger.release(dir);
  }

  @Test
  void concurrentAppendsAllLand() throws Exception {
    Ledger ledger = Ledger.open(dir);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 2000; i++) {
      int n = i;
      pool.submit(() -> ledger.append(new LedgerEntry("k" + n, "chat", "m", "{}", "{\"n\":" + n + "}")));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS), is(true));
    Ledger.release(dir);

    Ledger reopened = Ledger.open(dir);
    assertThat(reopened.size(), is(2000));
    assertThat(reopened.tornLines(), is(0L));
    try (var files = Files.list(dir)) {
      assertThat("one shard per writer", files.toList(), hasSize(1));
    }
    Ledger.release(dir);
  }
}
