package dev.assay.pipeline;

import dev.assay.judging.JudgeSpec;
import dev.assay.judging.StructuredJudging;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ClientErrorException;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.LlmException;
import dev.assay.llm.RequestTimeoutException;
import dev.assay.llm.TransportException;
import dev.assay.llm.ListedModel;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.rewards.implicit.ResponseLogprobs;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.implicit.ScoringFormat;
import dev.assay.rewards.implicit.UnusableLogprobsException;
import dev.assay.run.PreflightCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The checks a run makes before its first paid request, and {@code ./assay validate --probe} makes alone.
 *
 * <p>For each endpoint the recipe uses (generation, judges, implicit reward models):
 *
 * <ul>
 *   <li>{@code GET /models}: a model the list lacks (neither the endpoint's {@code model} nor its {@code
 *       served_model}) is a problem naming the endpoint, the model and the models offered (llama.cpp's server answers
 *       any request under its {@code --alias}, so the list is the only place a wrong name shows). A server without a model list (404) is recorded as {@code not_served} and passes.
 *   <li>what the server says of itself: an endpoint whose model is {@code owned_by} {@value ListedModel#SIMULATOR} is
 *       simulated. A run mixing simulated and real endpoints is a problem unless the recipe says {@code
 *       allow_simulated: true}: simulated judgments beside real ones are training data no one should train on.
 *   <li>one probe per capability the recipe needs, at most one per endpoint and capability, with {@code max_tokens:
 *       1}: prompt log-probs for {@code implicit} reward models (the scoring request itself, {@code echo} with
 *       {@code logprobs}, read by the same parser the run uses), and structured output for judges with {@code
 *       structured: true} (a chat request with a judgment's {@code response_format}; a 4xx answer means the server
 *       lacks it). Judges send {@code n: 1} requests, so no {@code n} probe is needed.
 * </ul>
 *
 * <p>Probes go to the backend directly, never through the ledger: they are not run requests, so a resumed run
 * replays the same ledger and the manifest lists them under {@code preflight}.
 *
 * <p>Failures: every problem found is reported at once in a {@link UsageException} (the CLI exits 2) whose lines
 * name the recipe field and what to change. An endpoint that cannot be reached is recorded {@value #UNREACHABLE} and
 * not probed further: the run's first request to it then fails its stage with the message that says so (exit 3),
 * and {@code validate --probe} exits 3. A server that fails a check (5xx) is recorded and left to the run to report.
 */
public final class Preflight {
  /** The manifest note that names a run's simulated endpoints (the dataset card reads it). */
  public static final String SIMULATED_NOTE = "simulated endpoints: ";

  /** The check name of a model list. */
  public static final String MODELS = "models";

  /** The check name of the structured-output probe. */
  public static final String STRUCTURED = "structured_output";

  /** The check that a server answers a request for {@code n = 2} choices with two choices. */
  public static final String N_CHOICES = "n_choices";

  /** The outcome of a check that reached nothing (connection refused, no answer in time). */
  public static final String UNREACHABLE = "unreachable";

  /** The check name of the prompt log-prob probe. */
  public static final String PROMPT_LOGPROBS = "prompt_logprobs";

  // A fixed, plain-ASCII text: any tokenizer splits it into several tokens on both sides of the boundary.
  private static final ScoringFormat.Joined PROBE = ScoringFormat.TRANSCRIPT.join("Say hello.", "Hello there.");

  /**
   * What preflight found.
   *
   * @param checks every check made, in order (recorded in the manifest)
   * @param used the endpoints the recipe uses, sorted
   * @param simulated those among them whose server says it is Assay's simulator
   * @param problems what stops the run, one line each (empty when it may start)
   */
  public record Result(List<PreflightCheck> checks, Set<String> used, Set<String> simulated, List<String> problems) {
    public Result {
      checks = List.copyOf(checks);
      used = Set.copyOf(used);
      simulated = Set.copyOf(simulated);
      problems = List.copyOf(problems);
    }

    /** Whether some endpoint could not be reached. */
    public boolean unreachable() {
      return checks.stream().anyMatch(c -> c.outcome().equals(UNREACHABLE));
    }

    /** Whether every endpoint used is simulated (the demo and the simulator's recipes). */
    public boolean allSimulated() {
      return !used.isEmpty() && simulated.containsAll(used);
    }

    /** Whether simulated and real endpoints serve one run. */
    public boolean mixed() {
      return !simulated.isEmpty() && !allSimulated();
    }

    /** The manifest note naming the simulated endpoints of a mixed run, or null when there is none. */
    public String simulatedNote() {
      return mixed() ? SIMULATED_NOTE + String.join(", ", new TreeSet<>(simulated)) + " (allow_simulated: true)" : null;
    }

    /** Throws the problems as one {@link UsageException}, or returns this when there are none. */
    public Result orThrow() {
      if (problems.isEmpty()) {
        return this;
      }
      throw new UsageException(
          "preflight found " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
              + " before any run request was sent:\n  " + String.join("\n  ", problems));
    }
  }

  private Preflight() {}

  /**
   * Checks every endpoint the recipe uses.
   *
   * @param recipe the loaded recipe
   * @param backendOf the backend of an endpoint by name (the run's own clients, so limits and keys are the run's);
   *     null for an endpoint whose backend the caller supplied, which is not probed
   */
  public static Result check(Recipe recipe, Function<String, LlmBackend> backendOf) {
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(backendOf, "backendOf");
    Map<String, List<String>> needsLogprobs = promptLogprobUsers(recipe);
    Map<String, List<String>> needsStructured = new LinkedHashMap<>();
    for (int i = 0; i < recipe.judges().size(); i++) {
      JudgeSpec judge = recipe.judges().get(i);
      if (Boolean.TRUE.equals(judge.structured())) {
        needsStructured.computeIfAbsent(judge.endpoint(), k -> new ArrayList<>()).add("judges[" + i + "] ('" + judge.name() + "').structured");
      }
    }
    Map<String, List<String>> needsN = new LinkedHashMap<>();
    for (int i = 0; i < recipe.judges().size(); i++) {
      JudgeSpec judge = recipe.judges().get(i);
      if (judge.nPerRequest() && (judge.n() > 1 || judge.adaptive() != null)) {
        needsN.computeIfAbsent(judge.endpoint(), k -> new ArrayList<>()).add("judges[" + i + "] ('" + judge.name() + "').n_per_request");
      }
    }
    Set<String> used = used(recipe, needsLogprobs);
    List<PreflightCheck> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> simulated = new TreeSet<>();
    for (String name : used) {
      EndpointConfig config = recipe.endpoints().get(name);
      if (config == null) {
        continue; // The loader's cross-checks already reported an unknown endpoint.
      }
      LlmBackend backend = backendOf.apply(name);
      if (backend == null) {
        // A backend the caller supplied (a test's fake, a library caller's own client): not Assay's to probe.
        checks.add(new PreflightCheck(name, MODELS, "skipped", "backend supplied by the caller"));
        continue;
      }
      int first = checks.size();
      boolean reached = checkModel(name, config, backend, checks, problems, simulated);
      List<String> users = needsLogprobs.get(name);
      if (reached && users != null) {
        checkPromptLogprobs(name, config, backend, users, checks, problems);
      }
      List<String> structuredUsers = needsStructured.get(name);
      if (reached && structuredUsers != null) {
        checkStructured(name, config, backend, structuredUsers, checks, problems);
      }
      List<String> nUsers = needsN.get(name);
      if (reached && nUsers != null) {
        checkChoices(name, config, backend, nUsers, checks, problems);
      }
      // Preflight's retries are its own: taken here, so a run's counters (direct runner) do not count them as the
      // run's, and recorded, so whoever counts the server's requests can tell them apart (the workers of a cluster
      // never see the driver's).
      long retried = backend.takeRetries();
      if (retried > 0 && checks.size() > first) {
        PreflightCheck last = checks.remove(checks.size() - 1);
        checks.add(new PreflightCheck(last.endpoint(), last.check(), last.outcome(), last.detail(), last.retries() + retried));
      }
    }
    if (!simulated.isEmpty() && !simulated.containsAll(used) && !Boolean.TRUE.equals(recipe.allowSimulated())) {
      List<String> real = used.stream().filter(n -> !simulated.contains(n)).toList();
      for (String name : simulated) {
        problems.add(
            "endpoints." + name + ": served by Assay's simulator (owned_by " + ListedModel.SIMULATOR + ") while "
                + String.join(", ", real) + (real.size() == 1 ? " is" : " are")
                + " real: simulated answers would be mixed into real data. Point endpoints." + name
                + ".base_url at a real server (configs/endpoints/ defines every role for each backend), or set"
                + " allow_simulated: true to mix them on purpose");
      }
    }
    return new Result(checks, used, simulated, problems);
  }

  /** The endpoints a recipe sends requests to, sorted by name. */
  static Set<String> used(Recipe recipe, Map<String, List<String>> needsLogprobs) {
    Set<String> used = new TreeSet<>();
    if (recipe.generation() != null) {
      used.add(recipe.generation().endpoint());
    }
    recipe.judges().forEach(j -> used.add(j.endpoint()));
    used.addAll(needsLogprobs.keySet());
    return used;
  }

  /** Endpoint name to the recipe fields that need its prompt log-probs ({@code reward_models[i].endpoint}). */
  static Map<String, List<String>> promptLogprobUsers(Recipe recipe) {
    Map<String, List<String>> users = new LinkedHashMap<>();
    for (int i = 0; i < recipe.rewardModels().size(); i++) {
      if (recipe.rewardModels().get(i) instanceof RewardModelSpec.Implicit implicit) {
        String at = "reward_models[" + i + "] (implicit '" + implicit.name() + "')";
        users.computeIfAbsent(implicit.endpoint(), k -> new ArrayList<>()).add(at + ".endpoint");
        if (implicit.referenceEndpoint() != null) {
          users.computeIfAbsent(implicit.referenceEndpoint(), k -> new ArrayList<>()).add(at + ".reference_endpoint");
        }
      }
    }
    return users;
  }

  /** Checks the model list; false when nothing answered (then no probe is sent, and the run reports it). */
  private static boolean checkModel(
      String name,
      EndpointConfig config,
      LlmBackend backend,
      List<PreflightCheck> checks,
      List<String> problems,
      Set<String> simulated) {
    List<ListedModel> served;
    try {
      served = backend.listedModels();
    } catch (TransportException | RequestTimeoutException unreachable) {
      // Recorded, not thrown: the run's own first stage then fails with the message that tells unreachable,
      // rejected and failing servers apart (exit 3), and validate --probe exits 3 on it.
      checks.add(new PreflightCheck(name, MODELS, UNREACHABLE, oneLine(unreachable.getMessage())));
      return false;
    } catch (LlmException | UnsupportedOperationException noList) {
      // Some OpenAI-compatible proxies serve no model list (404), something else there, or fail on it: nothing to
      // compare with. Requests that then fail are the run's to report, with their stage.
      checks.add(new PreflightCheck(name, MODELS, "not_served", oneLine(noList.getMessage())));
      return true;
    }
    List<String> ids = served.stream().map(ListedModel::id).toList();
    // llama.cpp lists only its --alias and answers any request under it: the endpoint's served_model names it.
    ListedModel match =
        served.stream()
            .filter(m -> m.id().equals(config.model()) || m.id().equals(config.servedModel()))
            .findFirst()
            .orElse(null);
    if (match == null) {
      checks.add(new PreflightCheck(name, MODELS, "missing", "offers: " + String.join(", ", ids)));
      problems.add(
          "endpoints." + name + ".model: '" + config.model() + "' is not served by " + config.baseUrl()
              + "; it offers: " + (ids.isEmpty() ? "(nothing)" : String.join(", ", ids))
              + ". Set endpoints." + name + ".model (or served_model, for a server that answers any name under its"
              + " own) to one of them");
      // A wrong name still says who the server is: a simulator stays a simulator.
      if (!served.isEmpty() && served.stream().allMatch(ListedModel::simulated)) {
        simulated.add(name);
      }
      return true;
    }
    if (match.simulated()) {
      simulated.add(name);
    }
    checks.add(
        new PreflightCheck(
            name, MODELS, "ok", match.id() + (match.ownedBy() == null ? "" : " owned_by " + match.ownedBy())));
    return true;
  }

  private static void checkPromptLogprobs(
      String name,
      EndpointConfig config,
      LlmBackend backend,
      List<String> users,
      List<PreflightCheck> checks,
      List<String> problems) {
    // The request the implicit reward sends, but generating one token: servers that refuse max_tokens 0 still answer.
    CompletionRequest probe = new CompletionRequest(config.model(), PROBE.text(), 1, true, 0, 0.0, null);
    String why;
    try {
      CompletionResponse response = join(backend.complete(probe));
      ResponseLogprobs scored = ResponseLogprobs.of(response, PROBE);
      checks.add(
          new PreflightCheck(name, PROMPT_LOGPROBS, "ok", scored.size() + " response tokens scored by echo + logprobs"));
      return;
    } catch (UnusableLogprobsException unusable) {
      why = unusable.getMessage();
    } catch (ClientErrorException rejected) {
      // A 4xx to the scoring request means the server does not take it (an unknown field, no completions route).
      why = rejected.getMessage();
    } catch (LlmException failed) {
      // A failing server (5xx, timeouts) says nothing about the capability: the run's scoring stage reports it.
      checks.add(new PreflightCheck(name, PROMPT_LOGPROBS, "failed", oneLine(failed.getMessage())));
      return;
    }
    checks.add(new PreflightCheck(name, PROMPT_LOGPROBS, "missing", oneLine(why)));
    for (String field : users) {
      problems.add(
          field + ": endpoint '" + name + "' (" + config.baseUrl() + ") gives no prompt log-probs (" + oneLine(why)
              + "). llama.cpp's server and OpenAI's chat models cannot score a prompt; remove this reward model"
              + " (and its name from consensus.models), or point it at a server that returns prompt log-probs"
              + " with echo (vLLM)");
    }
  }

  /**
   * One chat request with a judgment's {@code response_format} and {@code max_tokens: 1}: a server that refuses the
   * field (4xx) lacks structured output. One token cannot complete the JSON, so only acceptance is checked.
   */
  private static void checkStructured(
      String name,
      EndpointConfig config,
      LlmBackend backend,
      List<String> users,
      List<PreflightCheck> checks,
      List<String> problems) {
    ChatRequest probe =
        new ChatRequest(
            config.model(), List.of(ChatMessage.user("Answer A.")), 0.0, 1.0, 1, 1, null,
            StructuredJudging.pairwise(64), null);
    try {
      join(backend.chat(probe));
      checks.add(new PreflightCheck(name, STRUCTURED, "ok", "response_format json_schema accepted"));
    } catch (ClientErrorException rejected) {
      checks.add(new PreflightCheck(name, STRUCTURED, "missing", oneLine(rejected.getMessage())));
      for (String field : users) {
        problems.add(
            field + ": endpoint '" + name + "' (" + config.baseUrl() + ") refuses response_format json_schema ("
                + oneLine(rejected.getMessage()) + "). Set structured: false for this judge (its text parser reads"
                + " free answers), or use a server with structured output");
      }
    } catch (LlmException failed) {
      checks.add(new PreflightCheck(name, STRUCTURED, "failed", oneLine(failed.getMessage())));
    }
  }

  /**
   * Asks for {@code n = 2} choices and counts them: a server without {@code n} refuses the field (4xx, or 5xx as
   * older llama.cpp servers do) or ignores it and answers one choice, which would leave every sample but the first
   * undrawn.
   */
  private static void checkChoices(
      String name,
      EndpointConfig config,
      LlmBackend backend,
      List<String> users,
      List<PreflightCheck> checks,
      List<String> problems) {
    ChatRequest probe = new ChatRequest(config.model(), List.of(ChatMessage.user("Say A.")), 1.0, 1.0, 1, 2, null);
    String why;
    try {
      int choices = join(backend.chat(probe)).choices().size();
      if (choices == 2) {
        checks.add(new PreflightCheck(name, N_CHOICES, "ok", "n = 2 answered with 2 choices"));
        return;
      }
      why = "asked for n = 2, it answered " + choices + (choices == 1 ? " choice" : " choices");
    } catch (ClientErrorException | dev.assay.llm.ServerErrorException rejected) {
      // llama.cpp's server before n_cmpl answers n != 1 with an error ("Only one completion choice is allowed",
      // status 500 in the builds that had it), after the client's retries: a refusal, not an outage.
      why = "it refused n = 2 (" + oneLine(rejected.getMessage()) + ")";
    } catch (LlmException failed) {
      checks.add(new PreflightCheck(name, N_CHOICES, "failed", oneLine(failed.getMessage())));
      return;
    }
    checks.add(new PreflightCheck(name, N_CHOICES, "missing", why));
    for (String field : users) {
      problems.add(
          field + ": endpoint '" + name + "' (" + config.baseUrl() + ") does not serve several choices per request: "
              + why + ". Set n_per_request: false for this judge (one request per sample), or use a server with n");
    }
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof LlmException typed) {
        throw typed;
      }
      throw e;
    }
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }
}
