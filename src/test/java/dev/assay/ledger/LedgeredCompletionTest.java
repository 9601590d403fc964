package dev.assay.ledger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.TokenUsage;
import dev.assay.testing.ScriptedFailure;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgeredCompletionTest {
  @TempDir Path dir;

  @AfterEach
  void release() {
    Ledger.release(dir);
  }

  /** Answers completions with a scripted function; counts what it was sent. */
  private static final class Scripted implements LlmBackend {
    final AtomicInteger completions = new AtomicInteger();
    final AtomicInteger chats = new AtomicInteger();
    final Function<CompletionRequest, CompletableFuture<CompletionResponse>> answer;

    Scripted(Function<CompletionRequest, CompletableFuture<CompletionResponse>> answer) {
      this.answer = answer;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
      chats.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> new ChatResponse("m", List.of(), TokenUsage.NONE));
    }

    @Override
    public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
      completions.incrementAndGet();
      return answer.apply(request);
    }

    @Override
    public List<String> models() {
      return List.of("m");
    }

    @Override
    public EndpointStats stats() {
      return new EndpointStats(0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {}
  }

  private static CompletionRequest score(String text) {
    return new CompletionRequest("m", text, 0, true, 0, 1.0, null);
  }

  /** What a server returns for an echoed scoring request: the first token has no log-prob. */
  private static CompletionResponse echoed(String text) {
    return new CompletionResponse(
        "m", text, List.of("Q:", " hi"), Arrays.asList(null, -1.25), List.of(0, 2), "length", new TokenUsage(2, 0));
  }

  @Test
  void aFreshAnswerIsRecordedAndReplaysIdenticallyAfterReopening() throws Exception {
    Scripted backend = new Scripted(r -> CompletableFuture.supplyAsync(() -> echoed(r.prompt())));
    CompletionOutcome fresh = new LedgeredCompletion(Ledger.open(dir), backend).call(score("Q: hi")).get();
    assertThat(fresh.ok(), is(true));
    assertThat(fresh.fromLedger(), is(false));
    assertThat(fresh.key(), equalTo(RequestKey.completion(score("Q: hi"))));
    assertThat(fresh.usage(), equalTo(new TokenUsage(2, 0)));
    assertThat("recorded before it was handed on", Ledger.open(dir).lookup(fresh.key()).isPresent(), is(true));
    Ledger.release(dir);

    Scripted second = new Scripted(r -> CompletableFuture.failedFuture(new AssertionError("must not be sent")));
    CompletionOutcome replay = new LedgeredCompletion(Ledger.open(dir), second).call(score("Q: hi")).get();
    assertThat(replay.fromLedger(), is(true));
    assertThat(second.completions.get(), is(0));
    assertThat("tokens, offsets and the unscored first token survive the ledger", replay.response(), equalTo(fresh.response()));
    assertThat(replay.response().tokenLogprobs().get(0), nullValue());
  }

  @Test
  void aTypedFailureIsAnOutcomeAndIsNotRecorded() throws Exception {
    Scripted failing = new Scripted(r -> CompletableFuture.failedFuture(new ScriptedFailure("server kept failing", 4)));
    LedgeredCompletion calls = new LedgeredCompletion(Ledger.open(dir), failing);
    CompletionOutcome o = calls.call(score("Q: hi")).get();
    assertThat(o.ok(), is(false));
    assertThat(o.error().attempts(), is(4));
    assertThat(o.response(), nullValue());
    assertThat(o.usage(), equalTo(TokenUsage.NONE));
    calls.call(score("Q: hi")).get();
    assertThat("a failure is not an answer: the next call sends again", failing.completions.get(), is(2));
  }

  @Test
  void anUntypedErrorFailsTheFuture() {
    Scripted broken = new Scripted(r -> CompletableFuture.failedFuture(new IllegalStateException("bug")));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> new LedgeredCompletion(Ledger.open(dir), broken).call(score("x y")).get());
    assertThat(e.getCause(), instanceOf(IllegalStateException.class));
  }

  @Test
  void identicalRequestsInFlightAtOnceAreSentOnce() throws Exception {
    CompletableFuture<CompletionResponse> gate = new CompletableFuture<>();
    Scripted slow = new Scripted(r -> gate.thenApplyAsync(x -> x));
    Ledger ledger = Ledger.open(dir);
    // Two DoFn instances of one worker share the JVM's ledger, each with its own LedgeredCompletion.
    CompletableFuture<CompletionOutcome> first = new LedgeredCompletion(ledger, slow).call(score("Q: hi"));
    CompletableFuture<CompletionOutcome> twin = new LedgeredCompletion(ledger, slow).call(score("Q: hi"));
    gate.complete(echoed("Q: hi"));
    assertThat(slow.completions.get(), is(1));
    assertThat(first.get().fromLedger(), is(false));
    assertThat("the twin sent nothing", twin.get().fromLedger(), is(true));
    assertThat(twin.get().response(), equalTo(first.get().response()));
    assertThat(ledger.appended(), is(1L));

    CompletionOutcome later = new LedgeredCompletion(ledger, slow).call(score("Q: hi")).get();
    assertThat(later.fromLedger(), is(true));
    assertThat(slow.completions.get(), is(1));
  }

  @Test
  void aTwinOfAFailedRequestSendsForItself() throws Exception {
    // Same model, same text, two endpoints (the key leaves the URL out): the one that is down must not sink the other.
    CompletableFuture<CompletionResponse> gate = new CompletableFuture<>();
    Scripted down = new Scripted(r -> gate.thenApplyAsync(x -> x));
    Scripted up = new Scripted(r -> CompletableFuture.supplyAsync(() -> echoed(r.prompt())));
    Ledger ledger = Ledger.open(dir);
    CompletableFuture<CompletionOutcome> first = new LedgeredCompletion(ledger, down).call(score("Q: hi"));
    CompletableFuture<CompletionOutcome> twin = new LedgeredCompletion(ledger, up).call(score("Q: hi"));
    assertThat("the twin waits rather than sending", up.completions.get(), is(0));
    gate.completeExceptionally(new ScriptedFailure("connection refused", 1));
    assertThat(first.get().ok(), is(false));
    assertThat(twin.get().ok(), is(true));
    assertThat(twin.get().fromLedger(), is(false));
    assertThat(up.completions.get(), is(1));
    assertThat(ledger.lookup(twin.get().key()).isPresent(), is(true));
  }

  @Test
  void chatAndCompletionShareTheLedgerWithoutSharingKeys() throws Exception {
    Scripted backend = new Scripted(r -> CompletableFuture.supplyAsync(() -> echoed(r.prompt())));
    Ledger ledger = Ledger.open(dir);
    ChatRequest chat = new ChatRequest("m", List.of(ChatMessage.user("Q: hi")), 1.0, 1.0, 16, 1, null);
    ChatOutcome c = new LedgeredChat(ledger, backend).call(chat, "", 0).get();
    CompletionOutcome s = new LedgeredCompletion(ledger, backend).call(score("Q: hi")).get();
    assertThat(c.fromLedger() || s.fromLedger(), is(false));
    assertThat(backend.chats.get() + backend.completions.get(), is(2));
    assertThat(ledger.lookup(c.key()).orElseThrow().api(), is("chat"));
    assertThat(ledger.lookup(s.key()).orElseThrow().api(), is("completions"));
  }
}
