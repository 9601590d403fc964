package dev.assay.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.assay.llm.BudgetExceededException;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.Endpoints;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.TokenEstimate;
import dev.assay.sim.SimBatches;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the budget cap counts a submitted batch as spent. On the simulator's Batch API, batches of 4 requests
 * whose estimate (prompt characters / 4 plus {@code max_tokens}, as the live path estimates) is known: a batch that
 * would take the committed spend past the cap is not submitted and its calls fail unsent with {@link
 * BudgetExceededException}, as do later calls; once a batch's answers are read its estimate gives way to its actual
 * usage, so a batch that fits only after that settlement is submitted; a batch restored by a resume counts against
 * the resumed run's cap until its answers are read.
 */
@Timeout(60)
class BatchBudgetTest {
  private static final int PER_BATCH = 4;
  private static final int MAX_TOKENS = 2000; // far above what the simulator answers, so the estimate is an upper bound

  @TempDir Path tmp;

  private static EndpointConfig config(String baseUrl, long budgetTokens) {
    return new EndpointConfig(baseUrl, "sim-m1", null, null, null, null, 2, 10L, 100L, null, null, budgetTokens, null,
        null, null, null, null, null, null, EndpointConfig.BATCH,
        new EndpointConfig.BatchConfig(PER_BATCH, null, 10_000L, 20L, 80L), null);
  }

  private static ChatRequest request(int i) {
    return new ChatRequest("sim-m1", List.of(ChatMessage.user("Write a haiku about batch number " + (1000 + i) + ".")),
        0.7, 1.0, MAX_TOKENS, 1, (long) i);
  }

  private static double estimate(int from, int to) {
    double total = 0;
    for (int i = from; i < to; i++) {
      total += TokenEstimate.of(request(i)).total();
    }
    return total;
  }

  private static List<CompletableFuture<ChatResponse>> ask(OnlineBatchBackend backend, int from, int to) {
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = from; i < to; i++) {
      calls.add(backend.chat(request(i), "key-" + i));
    }
    return calls;
  }

  private static Throwable failure(CompletableFuture<?> call) {
    try {
      call.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void aBatchThatWouldPassTheCapIsNotSubmittedAndLaterCallsAreRefused() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.batches().behave(new SimBatches.Behaviour(300, 0.0, 0, 3));
      // Room for two batches' estimates, not three: the third is refused while the first two still run.
      long cap = (long) Math.floor(estimate(0, 2 * PER_BATCH)) + 1;
      OnlineBatchBackend backend = new OnlineBatchBackend("policy", config(sim.baseUrl(), cap), tmp.resolve("policy"), name -> null);
      try {
        List<CompletableFuture<ChatResponse>> calls = ask(backend, 0, 3 * PER_BATCH);
        for (int i = 2 * PER_BATCH; i < 3 * PER_BATCH; i++) {
          Throwable refused = failure(calls.get(i));
          assertThat(refused, instanceOf(BudgetExceededException.class));
          assertThat(refused.getMessage(), containsString("batch of 4 requests to endpoint policy"));
          assertThat(refused.getMessage(), containsString("would pass the token budget of " + cap));
        }
        for (int i = 0; i < 2 * PER_BATCH; i++) {
          assertThat("call " + i + " answered", calls.get(i).join().choices().size(), is(1));
        }
        assertThat("only the batches within the cap were created", sim.batches().created(), is(2));
        assertThat(backend.budgetExhausted(), is(true));
        Throwable later = failure(backend.chat(request(99), "key-99"));
        assertThat("a call after the refusal is refused too", later, instanceOf(BudgetExceededException.class));
        assertThat(sim.batches().created(), is(2));
        long spent = backend.stats().promptTokens() + backend.stats().completionTokens();
        assertThat("the actual spend is what the answers billed, under the estimate", (double) spent, lessThan(estimate(0, 2 * PER_BATCH)));
        assertThat(backend.stats().failed(), is((long) PER_BATCH + 1));
      } finally {
        backend.close();
      }
    }
  }

  @Test
  void theEndpointsBudgetLayerSeesBatchCalls() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.batches().behave(new SimBatches.Behaviour(300, 0.0, 0, 5));
      long cap = (long) Math.floor(estimate(0, 2 * PER_BATCH)) + 1;
      EndpointConfig config = config(sim.baseUrl(), cap);
      OnlineBatchBackend batches = new OnlineBatchBackend("judge", config, tmp.resolve("judge"), name -> null);
      // The layers a run puts around a batch endpoint (OnlineBatchProvider): the key reaches the batch backend through them.
      LlmBackend layered = Endpoints.decorate(batches, config);
      try {
        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 3 * PER_BATCH; i++) {
          calls.add(layered.chat(request(i), "key-" + i));
        }
        for (int i = 0; i < 2 * PER_BATCH; i++) {
          assertThat("call " + i + " answered through the layers", calls.get(i).join().choices().size(), is(1));
        }
        assertThat(failure(calls.get(2 * PER_BATCH)).getMessage(), containsString("was not submitted"));
        assertThat("the budget layer reads the batch backend's state", layered.budgetExhausted(), is(true));
        Throwable refused = failure(layered.chat(request(99), "key-99"));
        assertThat(refused, instanceOf(BudgetExceededException.class));
        assertThat("refused by the layer, before the batch backend", refused.getMessage(), containsString("committed to batches already submitted"));
        assertThat("the layer counts its refusal with the batch backend's", layered.stats().failed(), is((long) PER_BATCH + 1));
        assertThat(layered.stats().promptTokens(), is(batches.stats().promptTokens()));
        assertThat(sim.batches().created(), is(2));
      } finally {
        layered.close();
      }
    }
  }

  @Test
  void anAnsweredBatchCountsItsActualUsageNotItsEstimate() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.batches().behave(new SimBatches.Behaviour(100, 0.0, 0, 4));
      // Both estimates together pass the cap; the first batch's actual usage plus the second's estimate does not.
      long cap = (long) Math.floor(estimate(0, 2 * PER_BATCH)) - 1;
      OnlineBatchBackend backend = new OnlineBatchBackend("judge", config(sim.baseUrl(), cap), tmp.resolve("judge"), name -> null);
      try {
        for (CompletableFuture<ChatResponse> call : ask(backend, 0, PER_BATCH)) {
          call.join();
        }
        long spent = backend.stats().promptTokens() + backend.stats().completionTokens();
        assertThat("the first batch billed less than its estimate", spent + estimate(PER_BATCH, 2 * PER_BATCH), lessThan((double) cap));
        assertThat(backend.budgetExhausted(), is(false));
        for (CompletableFuture<ChatResponse> call : ask(backend, PER_BATCH, 2 * PER_BATCH)) {
          assertThat(call.join().choices().size(), is(1));
        }
        assertThat(sim.batches().created(), is(2));
      } finally {
        backend.close();
      }
    }
  }

  @Test
  void aBatchRestoredByAResumeCountsAgainstTheResumedRunsCap() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.batches().behave(new SimBatches.Behaviour(2_000, 0.0, 0, 5));
      Path dir = tmp.resolve("resumed");
      OnlineBatchBackend killed = new OnlineBatchBackend("policy", config(sim.baseUrl(), 0), dir, name -> null);
      ask(killed, 0, PER_BATCH);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (sim.batches().created() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      killed.close(); // stops polling with the batch running, as a killed run leaves it
      assertThat(sim.batches().created(), is(1));

      // Room for one batch's estimate, not two: the restored batch still running leaves no room for a new one.
      long cap = (long) Math.floor(estimate(0, 2 * PER_BATCH)) - 1;
      OnlineBatchBackend resumed = new OnlineBatchBackend("policy", config(sim.baseUrl(), cap), dir, name -> null);
      try {
        assertThat("the restored batch is committed before it answers", resumed.budgetExhausted(), is(false));
        List<CompletableFuture<ChatResponse>> fresh = ask(resumed, PER_BATCH, 2 * PER_BATCH);
        for (CompletableFuture<ChatResponse> call : fresh) {
          Throwable refused = failure(call);
          assertThat(refused, instanceOf(BudgetExceededException.class));
          assertThat(refused.getMessage(), containsString("committed to submitted batches"));
        }
        for (CompletableFuture<ChatResponse> call : ask(resumed, 0, PER_BATCH)) {
          assertThat("the restored batch answers its own lines", call.join().choices().size(), is(1));
        }
        assertThat("no batch was created for the calls past the cap", sim.batches().created(), is(1));
        long spent = resumed.stats().promptTokens() + resumed.stats().completionTokens();
        assertThat("the restored batch's answers count as this run's spend", spent > 0, is(true));
      } finally {
        resumed.close();
      }
    }
  }
}
