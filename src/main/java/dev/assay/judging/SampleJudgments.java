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
  private final int pairShards;
  private final boolean bothOrders;

  private SampleJudgments(
      JudgeDefinition judge, long seed, String ledgerDir, BackendProvider backend, int pairShards, boolean bothOrders) {
    super("SampleJudgments");
    this.judge = Objects.requireNonNull(judge);
    this.seed = seed;
    this.ledgerDir = Objects.requireNonNull(ledgerDir);
    this.backend = Objects.requireNonNull(backend);
    this.pairShards = pairShards;
    this.bothOrders = bothOrders;
  }

  public static SampleJudgments by(JudgeDefinition judge, long seed, Path ledgerDir, BackendProvider backend) {
    return new SampleJudgments(judge, seed, ledgerDir.toString(), backend, 16, true);
  }

  /** Pairwise: each pair in one order only ({@link PairCandidates#inOneOrder}); absolute judging is unchanged. */
  public SampleJudgments inOneOrder() {
    return new SampleJudgments(judge, seed, ledgerDir, backend, pairShards, false);
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
                bothOrders ? PairCandidates.inShards(pairShards) : PairCandidates.inShards(pairShards).inOneOrder())
            : candidates
                .apply("AsItems", MapElements.into(TypeDescriptor.of(JudgeItem.class)).via(JudgeItem::single))
                .setCoder(JsonCoder.of(JudgeItem.class));
    PCollectionTuple out =
        items.apply(
            "CallJudge",
            ParDo.of(new JudgeFn(judge, seed, ledgerDir, backend)).withOutputTags(JUDGMENTS, TupleTagList.of(FAILURES)));
    out.get(JUDGMENTS).setCoder(JudgmentCoder.of());
    out.get(FAILURES).setCoder(JsonCoder.of(Failure.class));
    return out;
  }

  /** The judging request for one sample of an item; public so tests and tools derive the same ledger keys. */
  public static ChatRequest request(JudgeDefinition judge, long seed, JudgeItem item, List<ChatMessage> messages, int sample) {
    long sampleSeed =
        Seeds.derive(seed, "judge", judge.name(), item.a().id(), item.b() == null ? "" : item.b().id(), Integer.toString(sample));
    return new ChatRequest(
        judge.model(), messages, judge.temperature(), 1.0, judge.maxTokens(), 1, sampleSeed, judge.responseFormat(), null);
  }

  /** The id of a judgment: unique per judge, item and sample. */
  public static String judgmentId(String judgeName, JudgeItem item, int sample) {
    return judgeName + "/" + item.a().id() + (item.b() == null ? "" : "/" + item.b().id()) + "/" + sample;
  }

  /** The revision's error class in {@link Failure}s when it arrived but cannot serve as a reference. */
  public static final String UNUSABLE_REVISION = "UnusableRevision";

  /**
   * One judging sample, ready to emit: its grading outcome, or (adapted mode) null when the revision it depends on
   * failed or is unusable, with the reason in {@code revisionProblem}.
   */
  private record Pending(
      JudgeItem item, int sample, ReferenceMode mode, ChatOutcome revision, ChatOutcome outcome, String revisionProblem) {}

  private static final class JudgeFn extends LedgeredCallFn<JudgeItem, Judgment, Pending> {
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
    protected void start(JudgeItem item, Consumer<CompletableFuture<Pending>> track) {
      metrics.in(judge.n());
      switch (judge.referenceMode()) {
        case NONE -> sendAll(item, ReferenceMode.NONE, CompletableFuture.completedFuture(null), track);
        case GIVEN -> {
          String ref = item.a().reference();
          ReferenceMode used = ref == null || ref.isBlank() ? ReferenceMode.NONE : ReferenceMode.GIVEN;
          sendAll(item, used, CompletableFuture.completedFuture(ref), track);
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
          sendAllAfterRevision(item, chat().call(revise, reviseTag, 0), track);
        }
      }
    }

    private void sendAll(
        JudgeItem item, ReferenceMode used, CompletableFuture<String> reference, Consumer<CompletableFuture<Pending>> track) {
      for (int s = 0; s < judge.n(); s++) {
        int sample = s;
        track.accept(
            reference.thenCompose(
                ref -> {
                  ChatRequest req = request(judge, seed, item, judge.render(item, ref), sample);
                  return chat().call(req, judge.templateTag(), sample)
                      .thenApply(o -> new Pending(item, sample, used, null, o, null));
                }));
      }
    }

    private void sendAllAfterRevision(
        JudgeItem item, CompletableFuture<ChatOutcome> revision, Consumer<CompletableFuture<Pending>> track) {
      for (int s = 0; s < judge.n(); s++) {
        int sample = s;
        track.accept(
            revision.thenCompose(
                rev -> {
                  String problem = revisionProblem(rev);
                  if (problem != null) {
                    // Nothing to grade against: the judgment fails with the cause, and no grading is sent.
                    return CompletableFuture.completedFuture(
                        new Pending(item, sample, ReferenceMode.ADAPTED, rev, null, problem));
                  }
                  String ref = rev.response().choices().get(0).content();
                  ChatRequest req = request(judge, seed, item, judge.render(item, ref), sample);
                  return chat().call(req, judge.templateTag(), sample)
                      .thenApply(o -> new Pending(item, sample, ReferenceMode.ADAPTED, rev, o, null));
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
        // One revision serves the item's N samples: it is one request (or one ledger hit), counted once.
        metrics.call(p.revision());
      }
      JudgeItem item = p.item();
      String id = judgmentId(judge.name(), item, p.sample());
      String b = item.b() == null ? null : item.b().id();
      if (p.outcome() == null) {
        ChatOutcome rev = p.revision();
        String errorClass = rev.ok() ? UNUSABLE_REVISION : rev.error().getClass().getSimpleName();
        int attempts = rev.ok() ? (rev.fromLedger() ? 0 : 1) : rev.error().attempts();
        metrics.failed(1);
        judgments.accept(
            new Judgment(id, item.a().promptId(), judge.kind(), judge.name(), judge.model(), judge.templateTag(),
                item.a().id(), b, p.sample(), JudgmentStatus.FAILED, null, null, "", null, p.mode(), rev.key(), "llm",
                p.revisionProblem()));
        failures.accept(
            new Failure(stage(judge.name()), id, Json.line(item), errorClass, p.revisionProblem(), attempts));
        return;
      }
      ChatOutcome o = p.outcome();
      metrics.call(o);
      if (!o.ok()) {
        metrics.failed(1);
        // A call the budget cap refused was never sent: the judge was not asked, so no judgment stands for it (a
        // failed one would count against the judge's parse rate). Its failure record accounts for it until a resume.
        if (!(o.error() instanceof BudgetExceededException)) {
          judgments.accept(
              new Judgment(id, item.a().promptId(), judge.kind(), judge.name(), judge.model(), judge.templateTag(),
                  item.a().id(), b, p.sample(), JudgmentStatus.FAILED, null, null, "", null, p.mode(), o.key(), "llm",
                  o.error().getClass().getSimpleName() + ": " + o.error().getMessage()));
        }
        failures.accept(
            new Failure(stage(judge.name()), id, Json.line(item), o.error().getClass().getSimpleName(),
                o.error().getMessage(), o.error().attempts()));
        return;
      }
      ChatChoice choice = o.response().choices().isEmpty() ? new ChatChoice(0, "", "stop") : o.response().choices().get(0);
      ParsedJudgment parsed = judge.parse(choice.content(), choice.finishReason());
      if (parsed.status() == JudgmentStatus.OK) {
        metrics.out(1);
      } else {
        metrics.rejected(1);
      }
      judgments.accept(
          new Judgment(id, item.a().promptId(), judge.kind(), judge.name(), judge.model(), judge.templateTag(),
              item.a().id(), b, p.sample(), parsed.status(), parsed.score(), parsed.verdict(), parsed.rationale(),
              choice.content(), p.mode(), o.key(), "llm", parsed.error()));
    }
  }
}
