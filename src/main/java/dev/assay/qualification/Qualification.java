package dev.assay.qualification;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.io.Json;
import dev.assay.io.JsonlReader;
import dev.assay.io.WriteJsonl;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.SampleJudgments;
import dev.assay.judging.Verdict;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.run.GateResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Qualifies a judge on a labelled set before it is trusted with a round: runs it through Assay's own judging
 * ({@link SampleJudgments}, the judge's template and parser, the ledger) over every item of the set, then measures
 * the verdicts against the human labels ({@link QualificationFigures}) and checks the gate.
 *
 * <p>Each item becomes one prompt with two candidates, {@code <item>/output_1/0} and {@code <item>/output_2/0}; a
 * pairwise judge sees them in both orders (or output 1 first only), an absolute judge grades each alone and its
 * verdict is the higher score. The backend is whatever answers the judge: a live endpoint, or the replay stand-in
 * ({@code dev.assay.replay}) for published answers.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for a judge with {@code n != 1} (one verdict per item and order is
 * what is measured); {@link dev.assay.io.InputException} for a labelled set that cannot be read; calls that fail
 * (including a replay's misses) are judgments with status {@code failed}, counted and listed in the result, never
 * dropped; the pipeline's own errors propagate.
 */
public final class Qualification {
  /** The gate's key, as a recipe's {@code gates:} would name it. */
  public static final String GATE = "min_judge_accuracy";

  private Qualification() {}

  /**
   * Runs {@code judge} over {@code spec}'s set and measures it.
   *
   * @param work a folder for the ledger and the judgments (kept: a rerun with the same folder replays the ledger)
   * @param replayNotice the replay's notice when {@code backend} is a replay, recorded on the result; else null
   * @param runner the options of the Beam pipeline that judges (the caller's runner choice)
   */
  public static QualificationResult run(
      QualificationSpec spec, JudgeDefinition judge, BackendProvider backend, Path work, String replayNotice,
      PipelineOptions runner) {
    LabelledSet set = LabelledSet.read(spec.set());
    return measure(spec, judge, set, judge(set, judge, backend, spec, work, runner), replayNotice);
  }

  /**
   * Measures {@code judgments} of {@code judge} on {@code set} under {@code spec}'s parse rule and gate: the second
   * half of {@link #run}, public so that one set of judgments can be measured under several rules without judging
   * again.
   */
  public static QualificationResult measure(
      QualificationSpec spec, JudgeDefinition judge, LabelledSet set, List<Judgment> judgments, String replayNotice) {
    List<JudgedItem> judged = verdicts(set, judgments, judge.kind(), spec.parseRule(), spec.bothOrders());
    QualificationFigures figures = QualificationFigures.of(judged);
    Map<String, Long> statuses = new TreeMap<>();
    Set<String> failures = new LinkedHashSet<>();
    for (Judgment j : judgments) {
      statuses.merge(j.status().wire(), 1L, Long::sum);
      if (j.status() == JudgmentStatus.FAILED && j.error() != null && failures.size() < 5) {
        failures.add(j.error());
      }
    }
    // An accuracy nobody could measure (no decisive gold) fails the gate, as every recipe gate does.
    GateResult gate =
        spec.minAccuracy() == null
            ? null
            : GateResult.check(GATE, "judge " + judge.name() + " accuracy", figures.accuracy(), spec.minAccuracy());
    return new QualificationResult(
        set.source(), judge.name(), judge.model(), judge.templateTag(), judge.kind(), spec.parseRule().id(),
        judge.kind() == JudgmentKind.PAIRWISE && !spec.bothOrders() ? "one" : "both", replayNotice, statuses,
        List.copyOf(failures), figures, gate);
  }

  /** The id of the candidate that shows {@code item}'s output 1 or 2. */
  public static String candidateId(LabelledItem item, int output) {
    return Candidate.idFor(item.id(), "output_" + output, 0);
  }

  /** The set as candidates: two per item, one prompt per item. */
  static List<Candidate> candidates(LabelledSet set) {
    List<Candidate> out = new ArrayList<>();
    for (LabelledItem i : set.items()) {
      out.add(new Candidate(candidateId(i, 1), i.id(), i.instruction(), null, i.output1(), "output_1", 0, "stop", null));
      out.add(new Candidate(candidateId(i, 2), i.id(), i.instruction(), null, i.output2(), "output_2", 0, "stop", null));
    }
    return out;
  }

  /**
   * Runs the judge over the set in a pipeline with {@code runner}'s options and reads its judgments back: the first
   * half of {@link #run}. Judgments of an earlier call in {@code work} are replaced; its ledger is kept.
   */
  public static List<Judgment> judge(
      LabelledSet set, JudgeDefinition judge, BackendProvider backend, QualificationSpec spec, Path work, PipelineOptions runner) {
    if (judge.n() != 1) {
      throw new IllegalArgumentException("qualification asks for one verdict per item and order: judge n must be 1, not " + judge.n());
    }
    Path ledger = work.resolve("ledger");
    Path out = work.resolve("judgments");
    try {
      Files.createDirectories(out);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(out, "part*")) {
        for (Path p : old) {
          Files.delete(p); // the previous run's shards: they would be read back beside this run's
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + out, e);
    }
    Ledger.beginSession(ledger);
    SampleJudgments sample = SampleJudgments.by(judge, spec.seed(), ledger, backend);
    Pipeline p = Pipeline.create(runner);
    PCollectionTuple judged =
        p.apply("Items", Create.of(candidates(set)).withCoder(CandidateCoder.of()))
            .apply(spec.bothOrders() ? sample : sample.inOneOrder());
    judged.get(SampleJudgments.JUDGMENTS).apply("WriteJudgments", WriteJsonl.to(out.resolve("part").toString()));
    try {
      p.run().waitUntilFinish();
    } finally {
      Ledger.release(ledger);
    }
    List<Judgment> judgments = new ArrayList<>();
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(out, "part*.jsonl")) {
      for (Path part : parts) {
        if (Files.size(part) == 0) {
          continue; // a shard the runner opened and got no judgment for
        }
        JsonlReader.forEach(part, line -> judgments.add(Json.mapper().convertValue(line.node(), Judgment.class)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + out, e);
    }
    return judgments;
  }

  /**
   * Each item's verdict per order, read from {@code judgments} with {@code rule}. Public so that one set of judgments
   * can be measured under several rules without judging again.
   *
   * <p>Pairwise: the judgment's position verdict mapped to the output shown in that position. Absolute, Assay rule:
   * the higher of the two scores, equal scores a tie, in one "order" (an absolute judge sees one output at a time).
   * Absolute, an LLMBar rule: LLMBar's two orders, where equal scores go to the output shown second. An item without
   * a judgment in an order it should have one has no verdict there.
   *
   * @param bothOrders whether pairs were judged in both orders (pairwise only)
   */
  public static List<JudgedItem> verdicts(
      LabelledSet set, List<Judgment> judgments, JudgmentKind kind, ParseRule rule, boolean bothOrders) {
    Map<String, Judgment> byCandidates = new HashMap<>();
    for (Judgment j : judgments) {
      byCandidates.put(j.candidateA() + "|" + (j.candidateB() == null ? "" : j.candidateB()), j);
    }
    List<JudgedItem> out = new ArrayList<>();
    for (LabelledItem item : set.items()) {
      String c1 = candidateId(item, 1);
      String c2 = candidateId(item, 2);
      if (kind == JudgmentKind.PAIRWISE) {
        Winner first = pairwise(byCandidates.get(c1 + "|" + c2), 1, rule);
        Winner second = bothOrders ? pairwise(byCandidates.get(c2 + "|" + c1), 2, rule) : null;
        out.add(new JudgedItem(item, first, second));
      } else {
        Integer s1 = score(byCandidates.get(c1 + "|"), rule);
        Integer s2 = score(byCandidates.get(c2 + "|"), rule);
        if (rule == ParseRule.ASSAY) {
          Winner w = s1 == null || s2 == null ? Winner.NONE : s1 > s2 ? Winner.OUTPUT_1 : s2 > s1 ? Winner.OUTPUT_2 : Winner.TIE;
          out.add(new JudgedItem(item, w, null));
        } else {
          boolean none = s1 == null || s2 == null;
          // LLMBar: "1" if s1 > s2 else "2" with output 1 shown first; "2" if s2 > s1 else "1" with output 2 first.
          Winner first = none ? Winner.NONE : s1 > s2 ? Winner.OUTPUT_1 : Winner.OUTPUT_2;
          Winner second = none ? Winner.NONE : s2 > s1 ? Winner.OUTPUT_2 : Winner.OUTPUT_1;
          out.add(new JudgedItem(item, first, second));
        }
      }
    }
    return out;
  }

  /** The winner of one pairwise judgment that showed output {@code shownFirst} first. */
  private static Winner pairwise(Judgment j, int shownFirst, ParseRule rule) {
    if (j == null) {
      return Winner.NONE;
    }
    Verdict v;
    if (rule == ParseRule.ASSAY) {
      v = j.status() == JudgmentStatus.OK ? j.verdict() : null;
    } else {
      v = j.raw() == null ? null : rule.verdict(j.raw());
    }
    if (v == null) {
      return Winner.NONE;
    }
    return switch (v) {
      case TIE -> Winner.TIE;
      case A -> shownFirst == 1 ? Winner.OUTPUT_1 : Winner.OUTPUT_2;
      case B -> shownFirst == 1 ? Winner.OUTPUT_2 : Winner.OUTPUT_1;
    };
  }

  private static Integer score(Judgment j, ParseRule rule) {
    if (j == null) {
      return null;
    }
    if (rule == ParseRule.ASSAY) {
      return j.status() == JudgmentStatus.OK ? j.score() : null;
    }
    return j.raw() == null ? null : rule.score(j.raw());
  }
}
