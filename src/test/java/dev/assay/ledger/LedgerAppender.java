package dev.assay.ledger;

import dev.assay.llm.ChatChoice;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.ServerErrorException;
import dev.assay.llm.TokenUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A child program for {@link ConcurrentLedgerWritersTest}: one process writing to a shared ledger through
 * {@link LedgeredChat}, with a backend that answers on 8 threads and fails a fixed share of the questions. Arguments:
 * the ledger folder, this writer's name, the number of questions. It sends the shared questions (the same in every
 * writer) and its own, after the parent creates {@code go} in the folder's parent.
 */
public final class LedgerAppender {
  private LedgerAppender() {}

  /** Whether the backend fails question {@code i} (every writer fails the same ones). */
  static boolean fails(int i) {
    return i % 7 == 3;
  }

  static ChatRequest question(String text) {
    return new ChatRequest("m", List.of(ChatMessage.user(text)), 0.0, 1.0, 16, 1, 1L);
  }

  static String answer(String text) {
    return "answer to " + text;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String name = args[1];
    int count = Integer.parseInt(args[2]);
    ExecutorService answering = Executors.newFixedThreadPool(8);
    LlmBackend backend = new LlmBackend() {
      @Override
      public CompletableFuture<ChatResponse> chat(ChatRequest request) {
        String text = request.messages().get(0).content();
        int i = Integer.parseInt(text.substring(text.lastIndexOf(' ') + 1));
        return CompletableFuture.supplyAsync(() -> {
          try {
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(500));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (fails(i)) {
            throw new ServerErrorException(500, "scripted failure of " + text, 1);
          }
          return new ChatResponse("m", List.of(new ChatChoice(0, answer(text), "stop", null)), new TokenUsage(3, 4));
        }, answering);
      }

      @Override
      public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
        throw new UnsupportedOperationException("the appender sends chat requests only");
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
    };
    Files.createFile(dir.resolveSibling("ready-" + name));
    while (!Files.exists(dir.resolveSibling("go"))) {
      Thread.sleep(5);
    }
    LedgeredChat chat = new LedgeredChat(Ledger.open(dir), backend);
    List<CompletableFuture<ChatOutcome>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(chat.call(question("shared question " + i), "v1", 0));
      calls.add(chat.call(question(name + " question " + i), "v1", 0));
    }
    long failed = calls.stream().map(CompletableFuture::join).filter(o -> o.error() != null).count();
    System.out.println(name + ": " + calls.size() + " calls, " + failed + " failed");
    answering.shutdown();
  }
}
