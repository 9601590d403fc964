package dev.assay.replay;

import dev.assay.llm.ChatChoice;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The replay stand-in for a judge endpoint: answers a chat request with the published answer for the item and
 * presentation order the request shows, read from the request itself.
 *
 * <p>How a request is matched: the prompt-template contract puts the instruction in {@code <instruction>…</instruction>}
 * and the responses in {@code <response_a>}/{@code <response_b>} (pairwise) or {@code <response>} (absolute), with the
 * same tags neutralised inside the values. The last such block of each name in the request's messages is read back,
 * and its {@link ReplayKey} looked up. Nothing else is used (not the seed, not the model name, not a candidate id),
 * so any template that follows the contract can be replayed, and a request the source never answered cannot borrow
 * another item's answer.
 *
 * <p>Contract: one choice per request, with the published text and finish reason, model {@link ReplayIndex#modelId()},
 * no token usage (nothing was generated). Failure modes, each a {@link ReplayMissException} in the returned future,
 * never a made-up answer: no tagged blocks ({@code NO_BLOCKS}); an instruction or a pair of responses the source does
 * not hold ({@code NO_ITEM}); a known item the source did not answer in this order or kind, or answered without text
 * ({@code NOT_PUBLISHED}); published duplicates of the same content with different answers ({@code AMBIGUOUS}); a
 * completions request or {@code n > 1} ({@code UNSUPPORTED}).
 */
public final class ReplayBackend implements LlmBackend {
  private final ReplayIndex index;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();

  public ReplayBackend(ReplayIndex index) {
    this.index = Objects.requireNonNull(index, "index");
  }

  public ReplayIndex index() {
    return index;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    requests.incrementAndGet();
    try {
      PublishedAnswer a = answer(request);
      answered.incrementAndGet();
      return CompletableFuture.completedFuture(
          new ChatResponse(index.modelId(), List.of(new ChatChoice(0, a.text(), a.finishReason())), TokenUsage.NONE));
    } catch (ReplayMissException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The published answer for {@code request}.
   *
   * @throws ReplayMissException when there is none, saying what could not be matched
   */
  public PublishedAnswer answer(ChatRequest request) {
    if (request.n() != 1) {
      throw new ReplayMissException(
          ReplayMissException.Reason.UNSUPPORTED,
          index.modelId() + ": a replay holds one published answer per request and cannot give n = " + request.n());
    }
    String text = request.messages().stream().map(ChatMessage::content).collect(Collectors.joining("\n"));
    String instruction = block(text, "instruction");
    String a = block(text, "response_a");
    String b = block(text, "response_b");
    String single = block(text, "response");
    String key;
    String what;
    if (instruction != null && a != null && b != null) {
      key = ReplayKey.pairwise(instruction, a, b);
      what = "this pair of responses in this order";
    } else if (instruction != null && single != null) {
      key = ReplayKey.absolute(instruction, single);
      what = "this response";
    } else {
      throw new ReplayMissException(
          ReplayMissException.Reason.NO_BLOCKS,
          index.modelId() + ": the request has no <instruction> block with <response_a>/<response_b> or <response>"
              + " blocks to find the item by (does the template follow the tag contract?)");
    }
    List<PublishedAnswer> found = index.answers(key);
    if (found.isEmpty()) {
      String why = index.unanswered(key);
      if (why != null) {
        throw new ReplayMissException(
            ReplayMissException.Reason.NOT_PUBLISHED, index.modelId() + ": instruction " + excerpt(instruction) + ": " + why);
      }
      boolean knownInstruction = index.knowsInstruction(ReplayKey.instruction(instruction));
      throw new ReplayMissException(
          ReplayMissException.Reason.NO_ITEM,
          index.modelId() + ": " + (knownInstruction
              ? "instruction " + excerpt(instruction) + " is published, but not with " + what
              : "no published item has the instruction " + excerpt(instruction)));
    }
    PublishedAnswer first = found.get(0);
    List<String> differing = new ArrayList<>();
    for (PublishedAnswer other : found) {
      if (!other.sameAnswer(first)) {
        differing.add(other.origin());
      }
    }
    if (!differing.isEmpty()) {
      throw new ReplayMissException(
          ReplayMissException.Reason.AMBIGUOUS,
          index.modelId() + ": " + found.size() + " published items show instruction " + excerpt(instruction) + " with "
              + what + " and their answers differ (" + first.origin() + " vs " + String.join(", ", differing)
              + "): the request cannot tell which one it is");
    }
    if (!first.hasText()) {
      throw new ReplayMissException(
          ReplayMissException.Reason.NOT_PUBLISHED,
          index.modelId() + ": instruction " + excerpt(instruction) + ": the answer was published without its text ("
              + first.origin() + ")");
    }
    return first;
  }

  /** The text of the last {@code <tag>…</tag>} block, or null when there is none. */
  static String block(String text, String tag) {
    String open = "<" + tag + ">";
    String close = "</" + tag + ">";
    int start = text.lastIndexOf(open);
    if (start < 0) {
      return null;
    }
    int end = text.indexOf(close, start + open.length());
    return end < 0 ? null : text.substring(start + open.length(), end);
  }

  private static String excerpt(String text) {
    String one = text.strip().replaceAll("\\s+", " ");
    return "\"" + (one.length() > 60 ? one.substring(0, 60) + "…" : one) + "\"";
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
    requests.incrementAndGet();
    return CompletableFuture.failedFuture(
        new ReplayMissException(
            ReplayMissException.Reason.UNSUPPORTED,
            index.modelId() + ": published judgments hold no log-probabilities; a replay cannot serve completions"));
  }

  @Override
  public List<String> models() {
    return List.of(index.modelId());
  }

  @Override
  public EndpointStats stats() {
    long r = requests.get();
    long ok = answered.get();
    return new EndpointStats(r, ok, 0, r - ok, 0, 0, 0);
  }

  /** Nothing to release: the index is shared and read-only. */
  @Override
  public void close() {}
}
