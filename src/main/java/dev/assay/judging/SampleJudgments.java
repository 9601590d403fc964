package dev.assay.judging;

import dev.assay.generation.Candidate;
import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.ledger.ChatOutcome;
import dev.assay.ledger.LedgeredCallFn;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.BudgetExceededException;
import dev.assay.llm.ChatChoice;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.run.Seeds;
import dev.assay.run.StageMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Samples N judgments per candidate (absolute) or per ordered pair of candidates, both orders (pairwise), from one
 * judge: {@code PCollection<Candidate>} to a tuple of {@link #JUDGMENTS} and {@link #FAILURES}.
 *
 * <p>Every request sent (or replayed) becomes exactly one {@link Judgment}: {@code ok} with a score or verdict, or
 * {@code unparseable}, {@code refused}, {@code truncated}, {@code failed}, never a made-up score. Transport failures
 * also go to {@link #FAILURES} with their error class and attempts. A call the endpoint's budget cap refused
 * ({@link BudgetExceededException}, nothing sent) goes to {@link #FAILURES} only: it is work not done yet, which a
 * resume does, not a judgment that failed. Accounting per judge (stage {@code judge.<name>}):
 * {@code in = requests = out (ok) + rejected (unparseable, refused, truncated) + failed (failed + refused by budget)}.
 *
 * <p>Samples per request: one request per sample, or with {@code n_per_request} one request with {@code n} choices
 * for all of an item's samples (the prompt billed once; each choice its own judgment; a choice the server left out is
 * a {@code failed} judgment with error class {@link #MISSING_CHOICE}). An adaptive judge ({@link AdaptiveSampling})
 * asks in rounds ({@link SampleJudgmentsAdaptively}); sample {@code i} is the same request in any round and at any
 * {@code n}.
 *
 * <p>Requests run asynchronously through the ledger: replayed answers cost nothing, fresh ones are recorded before
 * they are emitted. Seeds derive from (run seed, judge, candidate ids, sample), so the same request is sent
 * whatever the runner's partitioning. With reference mode {@code adapted} the judge first revises the response
 * (one revision request per item, shared by its N samples and counted once) and grades against the revision; a
 * revision that failed, came back empty or was cut off at {@code max_tokens} is no reference, so the item's N
 * judgments are {@code failed} with that cause (error class {@link #UNUSABLE_REVISION} unless a typed call error)
 * and no grading request is sent. The mode a judgment was graded under is recorded on it: {@code given} falls back
 * to {@code none} for an item without a reference.
 */
public final class SampleJudgments extends PTransform<PCollection<Candidate>, PCollectionTuple> {
  public static final TupleTag<Judgment> JUDGMENTS = new TupleTag<>() {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final JudgeDefinition judge;
  private final long seed;
  private final String ledgerDir;
  private final BackendProvider backend;
  private final boolean bothOrders;
  private final Double margin;
  private final boolean ranking;

  private SampleJudgments(
      JudgeDefinition judge, long seed, String ledgerDir, BackendProvider backend, boolean bothOrders, Double margin,
      boolean ranking) {
    super("SampleJudgments");
    this.judge = Objects.requireNonNull(judge);
    this.seed = seed;
    this.ledgerDir = Objects.requireNonNull(ledgerDir);
    this.backend = Objects.requireNonNull(backend);
    this.bothOrders = bothOrders;
    this.margin = margin;
    this.ranking = ranking;
  }

  public static SampleJudgments by(JudgeDefinition judge, long seed, Path ledgerDir, BackendProvider backend) {
    return new SampleJudgments(judge, seed, ledgerDir.toString(), backend, true, null, false);
  }

  /** Pairwise: each pair in one order only ({@link PairCandidates#inOneOrder}); absolute judging is unchanged. */
  public SampleJudgments inOneOrder() {
    return new SampleJudgments(judge, seed, ledgerDir, backend, false, margin, ranking);
  }

  /**
   * An adaptive judge whose scores decide a margin: rule 3 of {@link AdaptiveSampling} with threshold {@code m0}
   * (null: none). No effect on a fixed-{@code n} judge.
   */
  public SampleJudgments withMargin(Double m0) {
    return new SampleJudgments(judge, seed, ledgerDir, backend, bothOrders, m0, ranking);
  }

  /**
   * An adaptive judge whose whole ranking feeds the consistency filter: rule 5 of {@link AdaptiveSampling} (any two
   * candidates that could still swap places are asked again). No effect on a fixed-{@code n} judge.
   */
  public SampleJudgments withRanking(boolean feedsConsistency) {
    return new SampleJudgments(judge, seed, ledgerDir, backend, bothOrders, margin, feedsConsistency);
  }

  /**
   * The two adaptive absolute judges of a consistency filter in {@code filter} mode, judged together in rounds (rule
   * 6 of the stopping rule, {@link AdaptiveSampling#nextPair}): each round reads both judges' scores of a prompt, so
   * the samples go to the pairs whose order could move C(x) across the threshold. Each judge's requests are the
   * ones {@link #by} sends (same seeds, same ledger keys). Output: both judges' {@link #JUDGMENTS} and {@link
   * #FAILURES}.
   *
   * @param current the judge of the consistency's {@code reward_model}
   * @param previous its {@code previous_judge}
   * @param m0 rule 3's margin for the current judge (the consensus primary's {@code m0} when it is the primary), or null
   * @param previousM0 the same for the previous judge
   * @param threshold the filter's threshold on C(x)
   * @param keepUndefined whether the filter keeps a prompt whose C(x) is undefined
   * @throws IllegalArgumentException unless both judges are adaptive absolute judges with different names
   */
  public static PTransform<PCollection<Candidate>, PCollectionTuple> consistencyPair(
      JudgeDefinition current, BackendProvider currentBackend, JudgeDefinition previous, BackendProvider previousBackend,
      long seed, Path ledgerDir, Double m0, Double previousM0, double threshold, boolean keepUndefined) {
    for (JudgeDefinition j : List.of(current, previous)) {
      if (j.adaptive() == null || j.kind() != JudgmentKind.ABSOLUTE) {
        throw new IllegalArgumentException("joint rounds are for two adaptive absolute judges: " + j.name());
      }
    }
    if (current.name().equals(previous.name())) {
      throw new IllegalArgumentException("joint rounds need two judges: " + current.name());
    }
    return new Pair(
        new SampleJudgmentsAdaptively.Pair(current, previous, m0, previousM0, threshold, keepUndefined),
        currentBackend, previousBackend, seed, ledgerDir.toString());
  }

  /** {@link #consistencyPair}: both judges' round 0, then joint rounds. */
  private static final class Pair extends PTransform<PCollection<Candidate>, PCollectionTuple> {
    private final SampleJudgmentsAdaptively.Pair pair;
    private final BackendProvider currentBackend;
    private final BackendProvider previousBackend;
    private final long seed;
    private final String ledgerDir;

    Pair(SampleJudgmentsAdaptively.Pair pair, BackendProvider currentBackend, BackendProvider previousBackend, long seed, String ledgerDir) {
      super("SampleJudgmentPair");
      this.pair = pair;
      this.currentBackend = Objects.requireNonNull(currentBackend);
      this.previousBackend = Objects.requireNonNull(previousBackend);
      this.seed = seed;
      this.ledgerDir = ledgerDir;
    }

    @Override
    public PCollectionTuple expand(PCollection<Candidate> candidates) {
      PCollection<JudgeItem> items = asItems("AsItems", candidates);
      return SampleJudgmentsAdaptively.pairedRounds(
          pair, candidates,
          firstRequests("AsRequests-" + pair.current().name(), pair.current(), items),
          firstRequests("AsRequests-" + pair.previous().name(), pair.previous(), items),
          () -> ask(pair.current(), seed, ledgerDir, currentBackend),
          () -> ask(pair.previous(), seed, ledgerDir, previousBackend));
    }
  }

  /** The stage name used for counters and the accounting line. */
  public static String stage(String judgeName) {
    return "judge." + judgeName;
  }

  @Override
  public PCollectionTuple expand(PCollection<Candidate> candidates) {
    PCollection<JudgeItem> items =
        judge.kind() == JudgmentKind.PAIRWISE
            ? candidates.apply(
                bothOrders ? PairCandidates.bothOrders() : PairCandidates.bothOrders().inOneOrder())
            : asItems("AsItems", candidates);
    PCollection<JudgeRequest> requests = firstRequests("AsRequests", judge, items);
    if (judge.adaptive() == null) {
      return requests.apply("CallJudge", ask(judge, seed, ledgerDir, backend));
    }
    if (judge.kind() != JudgmentKind.ABSOLUTE) {
      throw new IllegalArgumentException("adaptive sampling is for absolute judges: " + judge.name());
    }
    return SampleJudgmentsAdaptively.rounds(judge, candidates, requests, () -> ask(judge, seed, ledgerDir, backend), margin, ranking);
  }

  /** Each candidate as the item an absolute judge judges. */
  static PCollection<JudgeItem> asItems(String name, PCollection<Candidate> candidates) {
    return candidates
        .apply(name, MapElements.into(TypeDescriptor.of(JudgeItem.class)).via(JudgeItem::single))
        .setCoder(JsonCoder.of(JudgeItem.class));
  }

  /** Round 0 of a judge: each item asked its first samples ({@code n}, or {@code adaptive.n_min}), from sample 0. */
  static PCollection<JudgeRequest> firstRequests(String name, JudgeDefinition judge, PCollection<JudgeItem> items) {
    int first = judge.firstSamples();
    return items
        .apply(name, MapElements.into(TypeDescriptor.of(JudgeRequest.class)).via(i -> new JudgeRequest(i, 0, first)))
        .setCoder(JsonCoder.of(JudgeRequest.class));
  }

  /**
   * The call step alone: each {@link JudgeRequest} asked of the judge through the ledger, to {@link #JUDGMENTS} and
   * {@link #FAILURES}. Public so that rounds of judging ({@link SampleJudgmentsAdaptively}) apply the very step fixed
   * {@code n} applies.
   */
  static PTransform<PCollection<JudgeRequest>, PCollectionTuple> ask(
      JudgeDefinition judge, long seed, String ledgerDir, BackendProvider backend) {
    return new PTransform<>() {
      @Override
      public PCollectionTuple expand(PCollection<JudgeRequest> requests) {
        PCollectionTuple out =
            requests.apply(
                ParDo.of(new JudgeFn(judge, seed, ledgerDir, backend)).withOutputTags(JUDGMENTS, TupleTagList.of(FAILURES)));
        out.get(JUDGMENTS).setCoder(JudgmentCoder.of());
        out.get(FAILURES).setCoder(JsonCoder.of(Failure.class));
        return out;
      }
    };
  }

  /**
   * The same judge on items the caller formed itself, e.g. a response of this iteration's policy against the previous
   * policy's response to the same prompt (ranking): every item is asked its first round of samples through the ledger,
   * as {@link #ask} asks them.
   */
  public static PTransform<PCollection<JudgeItem>, PCollectionTuple> onItems(
      JudgeDefinition judge, long seed, Path ledgerDir, BackendProvider backend) {
    String ledger = ledgerDir.toString();
    return new PTransform<>("CallJudge") {
      @Override
      public PCollectionTuple expand(PCollection<JudgeItem> items) {
        return firstRequests("AsRequests", judge, items).apply("CallJudge", ask(judge, seed, ledger, backend));
      }
    };
  }

  /** The judging request for one sample of an item; public so tests and tools derive the same ledger keys. */
  public static ChatRequest request(JudgeDefinition judge, long seed, JudgeItem item, List<ChatMessage> messages, int sample) {
    return request(judge, seed, item, messages, sample, 1);
  }

  /**
   * The request that asks samples {@code sample} to {@code sample + n - 1} of an item in one request with {@code n}
   * choices ({@code n_per_request}); its seed is sample {@code sample}'s, and {@code n} is part of its ledger key.
   */
  public static ChatRequest request(JudgeDefinition judge, long seed, JudgeItem item, List<ChatMessage> messages, int sample, int n) {
    long sampleSeed =
        Seeds.derive(seed, "judge", judge.name(), item.a().id(), item.b() == null ? "" : item.b().id(), Integer.toString(sample));
    return new ChatRequest(
        judge.model(), messages, judge.temperature(), 1.0, judge.maxTokens(), n, sampleSeed, judge.responseFormat(), null);
  }

  /** The id of a judgment: unique per judge, item and sample. */
  public static String judgmentId(String judgeName, JudgeItem item, int sample) {
    return judgeName + "/" + item.a().id() + (item.b() == null ? "" : "/" + item.b().id()) + "/" + sample;
  }

  /** The revision's error class in {@link Failure}s when it arrived but cannot serve as a reference. */
  public static final String UNUSABLE_REVISION = "UnusableRevision";

  /** The error class of a judgment whose choice a server left out of an answer that asked for {@code n} choices. */
  public static final String MISSING_CHOICE = "MissingChoice";

  /**
   * The samples {@code [sample, sample + count)} of one request, ready to emit: its grading outcome, or (adapted
   * mode) null when the revision it depends on failed or is unusable, with the reason in {@code revisionProblem}.
   * {@code count} is 1 unless the judge asks its samples in one request ({@code n_per_request}).
   */
  private record Pending(
      JudgeItem item, int sample, int count, ReferenceMode mode, ChatOutcome revision, ChatOutcome outcome,
      String revisionProblem) {}

  private static final class JudgeFn extends LedgeredCallFn<JudgeRequest, Judgment, Pending> {
    private final JudgeDefinition judge;
    private final long seed;
    private transient StageMetrics metrics;

    JudgeFn(JudgeDefinition judge, long seed, String ledgerDir, BackendProvider provider) {
      super(provider, ledgerDir, JUDGMENTS, FAILURES);
      this.judge = judge;
      this.seed = seed;
    }

    @Override
    protected void setUp() {
      metrics = new StageMetrics(stage(judge.name()), judge.endpointName());
    }

    @Override
    protected void retried(long n) {
      metrics.retried(n);
    }

    @Override
    protected void start(JudgeRequest request, Consumer<CompletableFuture<Pending>> track) {
      JudgeItem item = request.item();
      metrics.in(request.samples());
      switch (judge.referenceMode()) {
        case NONE -> sendAll(request, ReferenceMode.NONE, CompletableFuture.completedFuture(null), track);
        case GIVEN -> {
          String ref = item.a().reference();
          ReferenceMode used = ref == null || ref.isBlank() ? ReferenceMode.NONE : ReferenceMode.GIVEN;
          sendAll(request, used, CompletableFuture.completedFuture(ref), track);
        }
        case ADAPTED -> {
          ChatRequest revise =
              new ChatRequest(
                  judge.model(),
                  judge.renderRevision(item.a()),
                  0.0,
                  1.0,
                  judge.maxTokens(),
                  1,
                  Seeds.derive(seed, "revise", judge.name(), item.a().id()));
          String reviseTag = judge.reviseTemplate().ref();
          sendAllAfterRevision(request, chat().call(revise, reviseTag, 0), track);
        }
      }
    }

    /** The requests' first samples and sizes: one per sample, or one for all with {@code n_per_request}. */
    private List<int[]> batches(JudgeRequest request) {
      if (judge.nPerRequest()) {
        return List.of(new int[] {request.from(), request.samples()});
      }
      List<int[]> out = new java.util.ArrayList<>();
      for (int s = request.from(); s < request.to(); s++) {
        out.add(new int[] {s, 1});
      }
      return out;
    }

    private CompletableFuture<ChatOutcome> grade(JudgeItem item, String reference, int sample, int count) {
      ChatRequest req = request(judge, seed, item, judge.render(item, reference), sample, count);
      return chat().call(req, judge.templateTag(), sample);
    }

    private void sendAll(
        JudgeRequest request, ReferenceMode used, CompletableFuture<String> reference, Consumer<CompletableFuture<Pending>> track) {
      JudgeItem item = request.item();
      for (int[] b : batches(request)) {
        track.accept(
            reference.thenCompose(
                ref -> grade(item, ref, b[0], b[1]).thenApply(o -> new Pending(item, b[0], b[1], used, null, o, null))));
      }
    }

    private void sendAllAfterRevision(
        JudgeRequest request, CompletableFuture<ChatOutcome> revision, Consumer<CompletableFuture<Pending>> track) {
      JudgeItem item = request.item();
      for (int[] b : batches(request)) {
        track.accept(
            revision.thenCompose(
                rev -> {
                  String problem = revisionProblem(rev);
                  if (problem != null) {
                    // Nothing to grade against: the judgments fail with the cause, and no grading is sent.
                    return CompletableFuture.completedFuture(
                        new Pending(item, b[0], b[1], ReferenceMode.ADAPTED, rev, null, problem));
                  }
                  String ref = rev.response().choices().get(0).content();
                  return grade(item, ref, b[0], b[1])
                      .thenApply(o -> new Pending(item, b[0], b[1], ReferenceMode.ADAPTED, rev, o, null));
                }));
      }
    }

    /**
     * Why a revision cannot serve as the reference, or null when it can. An empty revision would render no
     * reference block at all (the template drops a blank section) while the judgment still said "adapted"; a
     * revision cut off at max_tokens is half an answer, and grading against it would penalise whatever it lacks.
     */
    private static String revisionProblem(ChatOutcome rev) {
      if (!rev.ok()) {
        return "revision failed: " + rev.error().getClass().getSimpleName() + ": " + rev.error().getMessage();
      }
      if (rev.response().choices().isEmpty()) {
        return "revision unusable: the server returned no choices";
      }
      ChatChoice c = rev.response().choices().get(0);
      if (c.content() == null || c.content().isBlank()) {
        return "revision unusable: the revision is empty";
      }
      if ("length".equals(c.finishReason())) {
        return "revision unusable: the revision was cut off at max_tokens (finish_reason length)";
      }
      return null;
    }

    @Override
    protected void emit(Pending p, Consumer<Judgment> judgments, Consumer<Failure> failures) {
      if (p.revision() != null && p.sample() == 0) {
        // One revision serves the item's samples: it is one request (or one ledger hit), counted once. Later rounds
        // of an adaptive judge replay it from the ledger and do not count it again.
        metrics.call(p.revision());
      }
      JudgeItem item = p.item();
      String b = item.b() == null ? null : item.b().id();
      if (p.outcome() == null) {
        ChatOutcome rev = p.revision();
        String errorClass = rev.ok() ? UNUSABLE_REVISION : rev.error().getClass().getSimpleName();
        int attempts = rev.ok() ? (rev.fromLedger() ? 0 : 1) : rev.error().attempts();
        for (int sample = p.sample(); sample < p.sample() + p.count(); sample++) {
          String id = judgmentId(judge.name(), item, sample);
          metrics.failed(1);
          judgments.accept(
              new Judgment(id, item.a().promptId(), judge.kind(), judge.name(), judge.model(), judge.templateTag(),
                  item.a().id(), b, sample, JudgmentStatus.FAILED, null, null, "", null, p.mode(), rev.key(), "llm",
                  p.revisionProblem()));
          failures.accept(
              new Failure(stage(judge.name()), id, Json.line(item), errorClass, p.revisionProblem(), attempts));
        }
        return;
      }
      ChatOutcome o = p.outcome();
      // One request, billed once, whatever number of choices it asked for.
      metrics.call(o);
      for (int i = 0; i < p.count(); i++) {
        int sample = p.sample() + i;
        String id = judgmentId(judge.name(), item, sample);
        if (!o.ok()) {
          metrics.failed(1);
          // A call the budget cap refused was never sent: the judge was not asked, so no judgment stands for it (a
          // failed one would count against the judge's parse rate). Its failure record accounts for it until a resume.
          if (!(o.error() instanceof BudgetExceededException)) {
            judgments.accept(
                new Judgment(id, item.a().promptId(), judge.kind(), judge.name(), judge.model(), judge.templateTag(),
                    item.a().id(), b, sample, JudgmentStatus.FAILED, null, null, "", null, p.mode(), o.key(), "llm",
                    o.error().getClass().getSimpleName() + ": " + o.error().getMessage()));
          }
          failures.accept(
              new Failure(stage(judge.name()), id, Json.line(item), o.error().getClass().getSimpleName(),
                  o.error().getMessage(), o.error().attempts()));
          continue;
        }
        List<ChatChoice> choices = o.response().choices();
        ChatChoice choice;
        if (p.count() == 1) {
          choice = choices.isEmpty() ? new ChatChoice(0, "", "stop") : choices.get(0);
        } else {
          choice = choiceAt(choices, i);
          if (choice == null) {
            // The server answered fewer choices than n asked for (one that ignores n): the sample was not drawn.
            String message = "the server returned " + choices.size() + " of the " + p.count() + " choices asked for (n)";
            metrics.failed(1);
            judgments.accept(
                new Judgment(id, item.a().promptId(), judge.kind(), judge.name(), judge.model(), judge.templateTag(),
                    item.a().id(), b, sample, JudgmentStatus.FAILED, null, null, "", null, p.mode(), o.key(), "llm",
                    MISSING_CHOICE + ": " + message));
            failures.accept(new Failure(stage(judge.name()), id, Json.line(item), MISSING_CHOICE, message, 1));
            continue;
          }
        }
        ParsedJudgment parsed = judge.parse(choice.content(), choice.finishReason());
        if (parsed.status() == JudgmentStatus.OK) {
          metrics.out(1);
        } else {
          metrics.rejected(1);
        }
        judgments.accept(
            new Judgment(id, item.a().promptId(), judge.kind(), judge.name(), judge.model(), judge.templateTag(),
                item.a().id(), b, sample, parsed.status(), parsed.score(), parsed.verdict(), parsed.rationale(),
                choice.content(), p.mode(), o.key(), "llm", parsed.error()));
      }
    }

    /** The choice whose {@code index} is {@code i} (servers may answer choices in any order); null when absent. */
    private static ChatChoice choiceAt(List<ChatChoice> choices, int i) {
      for (ChatChoice c : choices) {
        if (c.index() == i) {
          return c;
        }
      }
      return null;
    }
  }
}
