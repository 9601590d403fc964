package dev.assay.rewards.implicit;

import dev.assay.generation.Candidate;
import dev.assay.grouping.GroupIntoPromptShards;
import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.ledger.CompletionOutcome;
import dev.assay.ledger.InFlight;
import dev.assay.ledger.Ledger;
import dev.assay.ledger.LedgeredCompletion;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.SharedEndpoint;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.run.StageMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code implicit} reward model: the DPO implicit reward of each candidate from token log-probs, as a Beam
 * transform from {@code PCollection<Candidate>} to a tuple of {@link #REWARDS}, {@link #PREFERENCES} and
 * {@link #FAILURES}.
 *
 * <p><b>Reward.</b> With a reference model, {@code r(x, y) = beta * (log pi_t(y|x) - log pi_ref(y|x))}, each term
 * the sum of the log-probs of the response's tokens only (the prompt is the condition {@code x}, not part of
 * {@code y}). Without one (iteration 0), the length-normalised log-likelihood under the current model,
 * {@code mean log pi_t} per response token (CREAM's choice), with no beta. Each log-prob comes from one completions request per model: prompt
 * and response joined by a {@link ScoringFormat} into one text, sent with {@code echo}, {@code logprobs 0} and
 * {@code max_tokens 0}, so the server scores the text and generates nothing; the response's tokens are found by
 * {@code text_offset} ({@link ResponseLogprobs}). Requests use temperature 1: some servers report log-probs after
 * temperature scaling, and {@code pi} is the model's own distribution. {@link CandidateReward#samples()} and
 * {@code usable()} are the response's token count; {@code spread()} is the standard deviation (n - 1) of the
 * per-token terms ({@code beta * (log pi_t - log pi_ref)} per token, or the token log-probs without a reference).
 *
 * <p><b>Preference.</b> For every unordered pair of candidates of one prompt, both with a reward,
 * {@code P(first better) = sigmoid(r_first - r_second)}: the Bradley-Terry model under DPO's reparametrisation, in
 * which the prompt's partition function cancels, which is why only candidates of the same prompt are compared.
 * Without a reference model the same formula is applied to mean log-probs, whose differences are small: those
 * probabilities stay near 0.5, and say more by their sign than by their size. Candidates are grouped by a coarse
 * shard of the prompt id ({@link GroupIntoPromptShards}), not by prompt, because the direct runner pays per key;
 * what crosses the shuffle is the small {@link CandidateReward}, not the texts.
 *
 * <p><b>Failures.</b> A candidate whose call failed after retries (either model), or whose log-probs are unusable
 * ({@link UnusableLogprobsException}: no echo, no offsets, a missing log-prob, models with different tokenizers),
 * becomes a {@link Failure} with stage {@code reward.<name>}, its error class and the model that failed; it gets no
 * reward and is in no pair. Accounting: {@code in = candidates = rewards + failures}.
 *
 * <p>Calls are asynchronous (started in {@code processElement}, awaited in {@code @FinishBundle}) and go through the
 * ledger: a rerun sends nothing that completed, and a fresh answer is recorded before it is used.
 */
public final class ScoreWithImplicitReward extends PTransform<PCollection<Candidate>, PCollectionTuple> {
  public static final TupleTag<CandidateReward> REWARDS = RewardModelOutput.REWARDS;
  public static final TupleTag<PairPreference> PREFERENCES = RewardModelOutput.PREFERENCES;
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final String name;
  private final double beta;
  private final ScoringModel current;
  private final ScoringModel reference;
  private final ScoringFormat format;
  private final String ledgerDir;

  private ScoreWithImplicitReward(
      String name,
      double beta,
      ScoringModel current,
      ScoringModel reference,
      ScoringFormat format,
      String ledgerDir) {
    super("ScoreWithImplicitReward");
    this.name = Objects.requireNonNull(name, "name");
    this.current = Objects.requireNonNull(current, "current");
    this.reference = reference;
    this.format = Objects.requireNonNull(format, "format");
    this.ledgerDir = Objects.requireNonNull(ledgerDir, "ledgerDir");
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be finite and > 0: " + beta);
    }
    this.beta = beta;
  }

  /**
   * The DPO implicit reward of {@code current} against {@code reference}.
   *
   * @param name the voter's name, recorded on every reward and preference
   * @param ledgerDir the run's {@code ledger/} folder
   */
  public static ScoreWithImplicitReward against(
      String name, double beta, ScoringModel current, ScoringModel reference, ScoringFormat format, Path ledgerDir) {
    Objects.requireNonNull(reference, "reference (use withoutReference for none)");
    return new ScoreWithImplicitReward(name, beta, current, reference, format, ledgerDir.toString());
  }

  /** The length-normalised log-likelihood under {@code current}: the reward at iteration 0, before any reference. */
  public static ScoreWithImplicitReward withoutReference(
      String name, ScoringModel current, ScoringFormat format, Path ledgerDir) {
    return new ScoreWithImplicitReward(name, 1.0, current, null, format, ledgerDir.toString());
  }

  /**
   * The reward model a recipe's {@code reward_models:} entry configures, on the recipe's shared endpoints.
   *
   * @throws IllegalArgumentException if the spec is not of type {@code implicit} or names an endpoint that is not in
   *     {@code endpoints}
   */
  public static ScoreWithImplicitReward from(
      RewardModelSpec.Implicit spec, Map<String, EndpointConfig> endpoints, ScoringFormat format, Path ledgerDir) {
    return from(spec, endpoints, Map.of(), format, ledgerDir);
  }

  /**
   * As {@link #from(RewardModelSpec.Implicit, Map, ScoringFormat, Path)}, with the run's backends: an endpoint named in
   * {@code backends} (a replay, a batch writer, a test fake) is reached through it, like every other stage's calls;
   * the others through their shared client.
   */
  public static ScoreWithImplicitReward from(
      RewardModelSpec.Implicit spec,
      Map<String, EndpointConfig> endpoints,
      Map<String, BackendProvider> backends,
      ScoringFormat format,
      Path ledgerDir) {
    ScoringModel cur = scoring(spec, spec.endpoint(), endpoints, backends);
    if (spec.referenceEndpoint() == null) {
      return withoutReference(spec.name(), cur, format, ledgerDir);
    }
    ScoringModel ref = scoring(spec, spec.referenceEndpoint(), endpoints, backends);
    return against(spec.name(), spec.beta(), cur, ref, format, ledgerDir);
  }

  private static ScoringModel scoring(
      RewardModelSpec.Implicit spec, String endpointName, Map<String, EndpointConfig> endpoints, Map<String, BackendProvider> backends) {
    EndpointConfig config = endpoint(spec, endpointName, endpoints);
    BackendProvider supplied = backends.get(endpointName);
    return supplied == null
        ? ScoringModel.of(new SharedEndpoint(endpointName, config))
        : new ScoringModel(endpointName, config.model(), supplied);
  }

  private static EndpointConfig endpoint(RewardModelSpec.Implicit spec, String endpointName, Map<String, EndpointConfig> endpoints) {
    EndpointConfig c = endpoints.get(endpointName);
    if (c == null) {
      throw new IllegalArgumentException(
          "reward model " + spec.name() + " names endpoint '" + endpointName + "', which is not among "
              + new TreeMap<>(endpoints).keySet());
    }
    return c;
  }

  /** The stage name for counters, failures and the accounting line. */
  public static String stage(String name) {
    return "reward." + name;
  }

  /** How prompt and response are joined for scoring; record its {@link ScoringFormat#ref()} with the run. */
  public ScoringFormat format() {
    return format;
  }

  /** Whether rewards are log-ratios against a reference model (else mean log-probs). */
  public boolean hasReference() {
    return reference != null;
  }

  /** The scoring request for one model; public so tools and tests derive the same ledger keys. */
  public static CompletionRequest request(String model, ScoringFormat.Joined text) {
    return new CompletionRequest(model, text.text(), 0, true, 0, 1.0, null);
  }

  /** P(first better) = sigmoid(r_first - r_second), computed without overflow for any difference. */
  public static double preferenceFirst(double rewardFirst, double rewardSecond) {
    double d = rewardFirst - rewardSecond;
    return d >= 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
  }

  /**
   * The reward of one candidate from its response log-probs; {@code reference} null for the no-reference mode.
   *
   * @throws UnusableLogprobsException if the two models tokenized the response differently
   */
  static CandidateReward reward(
      String name, Candidate c, double beta, ResponseLogprobs current, ResponseLogprobs reference) {
    double[] terms = new double[current.size()];
    double reward;
    if (reference == null) {
      for (int i = 0; i < terms.length; i++) {
        terms[i] = current.logprobs().get(i);
      }
      reward = current.mean();
    } else {
      if (!current.tokens().equals(reference.tokens())) {
        throw new UnusableLogprobsException(
            "the current and reference models tokenized the response differently (" + current.size() + " vs "
                + reference.size() + " tokens); the implicit reward needs models that share a tokenizer");
      }
      for (int i = 0; i < terms.length; i++) {
        terms[i] = beta * (current.logprobs().get(i) - reference.logprobs().get(i));
      }
      reward = beta * (current.sum() - reference.sum());
    }
    return new CandidateReward(name, c.promptId(), c.id(), reward, terms.length, terms.length, sampleSd(terms));
  }

  private static double sampleSd(double[] x) {
    if (x.length < 2) {
      return 0;
    }
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    return Math.sqrt(ss / (x.length - 1));
  }

  @Override
  public PCollectionTuple expand(PCollection<Candidate> candidates) {
    PCollectionTuple scored =
        candidates.apply(
            "ScoreLogprobs", ParDo.of(new ScoreFn(this)).withOutputTags(REWARDS, TupleTagList.of(FAILURES)));
    PCollection<CandidateReward> rewards = scored.get(REWARDS).setCoder(CandidateRewardCoder.of());
    PCollection<Failure> failures = scored.get(FAILURES).setCoder(JsonCoder.of(Failure.class));
    PCollection<PairPreference> preferences =
        rewards
            .apply(GroupIntoPromptShards.of(CandidateReward::promptId))
            .apply("PairWithinPrompt", ParDo.of(new PairFn(name)))
            .setCoder(PairPreferenceCoder.of());
    return PCollectionTuple.of(REWARDS, rewards).and(PREFERENCES, preferences).and(FAILURES, failures);
  }

  private record Pending(
      Candidate candidate, ScoringFormat.Joined text, CompletionOutcome current, CompletionOutcome reference) {}

  private static final class ScoreFn extends DoFn<Candidate, CandidateReward> {
    private final String name;
    private final double beta;
    private final ScoringModel current;
    private final ScoringModel reference;
    private final ScoringFormat format;
    private final String ledgerDir;
    private transient LlmBackend currentBackend;
    private transient LlmBackend referenceBackend;
    private transient LedgeredCompletion currentCalls;
    private transient LedgeredCompletion referenceCalls;
    private transient StageMetrics metrics;
    private transient StageMetrics referenceMetrics;
    private transient InFlight<Pending> inFlight;

    ScoreFn(ScoreWithImplicitReward t) {
      this.name = t.name;
      this.beta = t.beta;
      this.current = t.current;
      this.reference = t.reference;
      this.format = t.format;
      this.ledgerDir = t.ledgerDir;
    }

    @Setup
    public void setup() {
      Ledger ledger = Ledger.open(Path.of(ledgerDir));
      currentBackend = current.backend().get();
      currentCalls = new LedgeredCompletion(ledger, currentBackend);
      // Counters per endpoint, so a user sees what each of the two servers was asked; the stage counts once.
      metrics = new StageMetrics(stage(name), current.endpointName());
      if (reference != null) {
        referenceBackend = reference.backend().get();
        referenceCalls = new LedgeredCompletion(ledger, referenceBackend);
        referenceMetrics = new StageMetrics(stage(name), reference.endpointName());
      }
    }

    @Teardown
    public void teardown() {
      // Releases this instance's leases on the shared clients.
      if (currentBackend != null) {
        currentBackend.close();
      }
      if (referenceBackend != null) {
        referenceBackend.close();
      }
    }

    @StartBundle
    public void startBundle() {
      inFlight = new InFlight<>();
    }

    @ProcessElement
    public void process(@Element Candidate c, MultiOutputReceiver out) {
      metrics.in(1);
      ScoringFormat.Joined text = format.join(c.prompt(), c.response());
      CompletableFuture<CompletionOutcome> cur = currentCalls.call(request(current.model(), text));
      CompletableFuture<CompletionOutcome> ref =
          reference == null
              ? CompletableFuture.completedFuture(null)
              : referenceCalls.call(request(reference.model(), text));
      inFlight.add(cur.thenCombine(ref, (a, b) -> new Pending(c, text, a, b)));
      inFlight.drainCompleted(p -> emit(p, out.get(REWARDS)::output, out.get(FAILURES)::output));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) {
      inFlight.awaitAll(
          p ->
              emit(
                  p,
                  v -> ctx.output(REWARDS, v, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE),
                  v -> ctx.output(FAILURES, v, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE)));
      // Counted on the workers, after the bundle's calls finished: the driver cannot see a remote worker's clients.
      metrics.retried(currentBackend.takeRetries());
      if (referenceBackend != null) {
        referenceMetrics.retried(referenceBackend.takeRetries());
      }
    }

    private void emit(Pending p, Consumer<CandidateReward> rewards, Consumer<Failure> failures) {
      metrics.call(p.current());
      if (p.reference() != null) {
        referenceMetrics.call(p.reference());
      }
      if (!p.current().ok()) {
        failCall(p, p.current(), label(current, "current"), failures);
        return;
      }
      if (p.reference() != null && !p.reference().ok()) {
        failCall(p, p.reference(), label(reference, "reference"), failures);
        return;
      }
      String at = label(current, "current");
      try {
        ResponseLogprobs cur = ResponseLogprobs.of(p.current().response(), p.text());
        ResponseLogprobs ref = null;
        if (p.reference() != null) {
          at = label(reference, "reference");
          ref = ResponseLogprobs.of(p.reference().response(), p.text());
          at = "implicit reward";
        }
        CandidateReward r = reward(name, p.candidate(), beta, cur, ref);
        metrics.out(1);
        rewards.accept(r);
      } catch (UnusableLogprobsException e) {
        // The responses were recorded and will replay: rerunning will not help, fixing the server or format will.
        int sent = (p.current().fromLedger() ? 0 : 1) + (p.reference() == null || p.reference().fromLedger() ? 0 : 1);
        fail(p, e.getClass().getSimpleName(), at + ": " + e.getMessage(), sent, failures);
      }
    }

    private static String label(ScoringModel m, String role) {
      return role + " model " + m.model() + " (endpoint " + m.endpointName() + ")";
    }

    private void failCall(Pending p, CompletionOutcome o, String who, Consumer<Failure> failures) {
      fail(p, o.error().getClass().getSimpleName(), who + ": " + o.error().getMessage(), o.error().attempts(), failures);
    }

    private void fail(Pending p, String errorClass, String message, int attempts, Consumer<Failure> failures) {
      metrics.failed(1);
      failures.accept(new Failure(stage(name), p.candidate().id(), Json.line(p.candidate()), errorClass, message, attempts));
    }
  }

  /** Every unordered pair of rewarded candidates of one prompt, within one shard of prompts. */
  private static final class PairFn extends DoFn<KV<Integer, Iterable<CandidateReward>>, PairPreference> {
    private final String name;

    PairFn(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<CandidateReward>> shard, OutputReceiver<PairPreference> out) {
      Map<String, List<CandidateReward>> byPrompt = new TreeMap<>();
      for (CandidateReward r : shard.getValue()) {
        byPrompt.computeIfAbsent(r.promptId(), k -> new ArrayList<>()).add(r);
      }
      for (List<CandidateReward> group : byPrompt.values()) {
        group.sort(Comparator.comparing(CandidateReward::candidateId));
        for (int i = 0; i < group.size(); i++) {
          for (int j = i + 1; j < group.size(); j++) {
            CandidateReward a = group.get(i);
            CandidateReward b = group.get(j);
            if (a.candidateId().equals(b.candidateId())) {
              continue; // the same candidate twice in the input: no pair with itself
            }
            out.output(
                new PairPreference(
                    name, a.promptId(), a.candidateId(), b.candidateId(), preferenceFirst(a.reward(), b.reward()), 1, 0));
          }
        }
      }
    }
  }
}
