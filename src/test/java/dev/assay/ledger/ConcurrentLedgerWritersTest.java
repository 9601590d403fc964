package dev.assay.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.ServerErrorException;
import dev.assay.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a ledger shared across runs is safe with several processes appending at once. Two JVMs
 * ({@link LedgerAppender}, started together) write to one ledger folder, each on 8 answering threads: the same
 * shared questions and their own. Afterwards every answered question of both is there, readable and equal to its
 * answer, no line is torn, and no failed question is in the ledger, so a later caller sends it again instead of being
 * served a failure.
 */
@Timeout(240)
class ConcurrentLedgerWritersTest {
  private static final int QUESTIONS = 300;

  @TempDir Path tmp;

  @Test
  void twoProcessesAppendingAtOnceLoseNothingAndNeverRecordAFailure() throws Exception {
    Path dir = tmp.resolve("ledger");
    Files.createDirectories(dir);
    Process a = start("alpha", dir);
    Process b = start("beta", dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(Files.exists(tmp.resolve("ready-alpha")) && Files.exists(tmp.resolve("ready-beta")))) {
      assertThat("both writers started", System.nanoTime() < deadline && a.isAlive() && b.isAlive(), is(true));
      Thread.sleep(20);
    }
    Files.createFile(tmp.resolve("go"));
    assertThat(Files.readString(tmp.resolve("alpha.log")), a.waitFor(), is(0));
    assertThat(Files.readString(tmp.resolve("beta.log")), b.waitFor(), is(0));

    try (Stream<Path> shards = Files.list(dir)) {
      assertThat("one shard per writer", shards.filter(p -> p.toString().endsWith(".jsonl")).count(), is(2L));
    }
    Ledger.release(dir);
    Ledger ledger = Ledger.open(dir);
    int failing = 0;
    for (int i = 0; i < QUESTIONS; i++) {
      for (String text : List.of("shared question " + i, "alpha question " + i, "beta question " + i)) {
        Optional<LedgerEntry> entry = ledger.lookup(RequestKey.chat(LedgerAppender.question(text), "v1", 0));
        if (LedgerAppender.fails(i)) {
          failing++;
          assertThat(text + " failed, so it is not an answer", entry.isPresent(), is(false));
        } else {
          assertThat(text + " is recorded", entry.isPresent(), is(true));
          ChatResponse response = dev.assay.io.Json.parse(entry.get().response(), ChatResponse.class);
          assertThat(response.choices().get(0).content(), is(LedgerAppender.answer(text)));
        }
      }
    }
    assertThat(ledger.tornLines(), is(0L));
    assertThat(ledger.size(), is(3 * QUESTIONS - failing));

    // A failed question is sent again, answered and recorded; an answered one is served without a request.
    AtomicInteger sent = new AtomicInteger();
    LedgeredChat chat = new LedgeredChat(ledger, counting(sent));
    ChatOutcome retried = chat.call(LedgerAppender.question("shared question 3"), "v1", 0).join();
    ChatOutcome served = chat.call(LedgerAppender.question("shared question 4"), "v1", 0).join();
    assertThat(retried.fromLedger(), is(false));
    assertThat(retried.error() == null, is(true));
    assertThat(served.fromLedger(), is(true));
    assertThat(sent.get(), is(1));
    Ledger.release(dir);
    System.out.println("RELIABILITY shared-ledger: 2 processes x " + (2 * QUESTIONS) + " calls at once; "
        + ledger.size() + " answers recorded, 0 lost, 0 torn, " + failing + " failures never recorded");
  }

  private Process start(String name, Path dir) throws Exception {
    return ChildJvm.startMain(LedgerAppender.class.getName(), true, tmp, tmp.resolve(name + ".log"), List.of(),
        Map.of(), List.of(dir.toString(), name, String.valueOf(QUESTIONS)));
  }

  private static LlmBackend counting(AtomicInteger sent) {
    return new LlmBackend() {
      @Override
      public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        sent.incrementAndGet();
        String text = request.messages().get(0).content();
        return CompletableFuture.completedFuture(new ChatResponse("m",
            List.of(new dev.assay.llm.ChatChoice(0, LedgerAppender.answer(text), "stop", null)), null));
      }

      @Override
      public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
        return CompletableFuture.failedFuture(new ServerErrorException(500, "not used", 1));
      }

      @Override
      public List<String> models() {
        return List.of("m");
      }

      @Override
      public EndpointStats stats() {
        return new EndpointStats(sent.get(), sent.get(), 0, 0, 0, 0, 0);
      }

      @Override
      public void close() {}
    };
  }
}
