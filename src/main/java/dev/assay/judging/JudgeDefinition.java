package dev.assay.judging;

import dev.assay.generation.Candidate;
import dev.assay.llm.ChatMessage;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configured judge, ready to render requests and parse answers: a voter. Serializable, so it travels with the
 * DoFn to every worker.
 *
 * @param name the voter's name (unique in a recipe)
 * @param endpointName the endpoint's name in the recipe
 * @param model the served model name
 * @param kind absolute or pairwise
 * @param n samples per request
 * @param temperature sampling temperature
 * @param maxTokens completion limit
 * @param referenceMode none, given, or adapted (RevisEval)
 * @param template the grading template
 * @param rubric the rubric (absolute judging); null for pairwise
 * @param reviseTemplate the revision template for {@code adapted} mode, else null
 * @param structured whether grading requests ask for structured output ({@link StructuredJudging}) and answers are
 *     read as JSON first
 * @param nPerRequest whether a candidate's samples are asked in one request with {@code n} choices
 * @param adaptive adaptive sampling (absolute judges), or null for a fixed {@code n}
 */
public record JudgeDefinition(
    String name,
    String endpointName,
    String model,
    JudgmentKind kind,
    int n,
    double temperature,
    int maxTokens,
    ReferenceMode referenceMode,
    PromptTemplate template,
    Rubric rubric,
    PromptTemplate reviseTemplate,
    boolean structured,
    boolean nPerRequest,
    AdaptiveSampling adaptive)
    implements Serializable {
  /** A judge with one request per sample and a fixed {@code n}. */
  public JudgeDefinition(
      String name, String endpointName, String model, JudgmentKind kind, int n, double temperature, int maxTokens,
      ReferenceMode referenceMode, PromptTemplate template, Rubric rubric, PromptTemplate reviseTemplate,
      boolean structured) {
    this(name, endpointName, model, kind, n, temperature, maxTokens, referenceMode, template, rubric, reviseTemplate,
        structured, false, null);
  }

  /** A free-text judge. */
  public JudgeDefinition(
      String name, String endpointName, String model, JudgmentKind kind, int n, double temperature, int maxTokens,
      ReferenceMode referenceMode, PromptTemplate template, Rubric rubric, PromptTemplate reviseTemplate) {
    this(name, endpointName, model, kind, n, temperature, maxTokens, referenceMode, template, rubric, reviseTemplate, false);
  }

  public JudgeDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(referenceMode, "referenceMode");
    Objects.requireNonNull(template, "template");
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    if (kind == JudgmentKind.ABSOLUTE && rubric == null) {
      throw new IllegalArgumentException("absolute judge " + name + " needs a rubric");
    }
    if (adaptive != null && kind != JudgmentKind.ABSOLUTE) {
      throw new IllegalArgumentException("adaptive sampling is for absolute judges; " + name + " is " + kind);
    }
    if (referenceMode == ReferenceMode.ADAPTED && reviseTemplate == null) {
      throw new IllegalArgumentException("judge " + name + " uses reference_mode adapted but has no revise template");
    }
  }

  /** The samples every candidate (or pair) is asked for first: {@code n}, or {@code n_min} when adaptive. */
  public int firstSamples() {
    return adaptive == null ? n : adaptive.nMin();
  }

  /** The most samples a candidate (or pair) can be asked for: {@code n}, or {@code n_max} when adaptive. */
  public int maxSamples() {
    return adaptive == null ? n : adaptive.nMax();
  }

  /** {@code id@version} of the grading template, recorded on each judgment and part of the ledger key. */
  public String templateTag() {
    return template.ref();
  }

  /** The grading messages for {@code item}, with {@code reference} as the reference answer (may be null). */
  public List<ChatMessage> render(JudgeItem item, String reference) {
    Map<String, String> vars = new HashMap<>();
    vars.put("instruction", item.a().prompt());
    if (kind == JudgmentKind.ABSOLUTE) {
      vars.put("response", item.a().response());
      vars.put("rubric", rubric.render());
    } else {
      vars.put("response_a", item.a().response());
      vars.put("response_b", item.b().response());
      if (rubric != null) {
        vars.put("rubric", rubric.render());
      }
    }
    vars.put("reference", referenceMode == ReferenceMode.NONE || reference == null ? "" : reference);
    List<ChatMessage> messages = template.render(vars);
    if (!structured) {
      return messages;
    }
    // The template asks for a text marker; a structured judge is held to the schema, and is told so.
    List<ChatMessage> out = new java.util.ArrayList<>(messages);
    ChatMessage last = out.remove(out.size() - 1);
    String line = kind == JudgmentKind.ABSOLUTE
        ? StructuredJudging.instruction(kind, rubric.minScore(), rubric.maxScore())
        : StructuredJudging.instruction(kind, 0, 0);
    out.add(new ChatMessage(last.role(), last.content() + "\n\n" + line));
    return out;
  }

  /** The {@code response_format} of this judge's grading requests, or null for a free-text judge. */
  public dev.assay.llm.ResponseFormat responseFormat() {
    if (!structured) {
      return null;
    }
    return kind == JudgmentKind.ABSOLUTE
        ? StructuredJudging.absolute(rubric.minScore(), rubric.maxScore(), maxTokens)
        : StructuredJudging.pairwise(maxTokens);
  }

  /**
   * The RevisEval request: the judge revises the (first) response into a reference answer, told the rubric it will
   * grade by when it has one (the revise template's optional {@code {{#rubric}}} section), so the reference is
   * adapted to the criteria of the grade and not only to the instruction.
   */
  public List<ChatMessage> renderRevision(Candidate candidate) {
    Map<String, String> vars = new HashMap<>();
    vars.put("instruction", candidate.prompt());
    vars.put("response", candidate.response());
    if (rubric != null) {
      vars.put("rubric", rubric.render());
    }
    return reviseTemplate.render(vars);
  }

  /** Parses one answer of this judge. */
  public ParsedJudgment parse(String completion, String finishReason) {
    if (structured) {
      return kind == JudgmentKind.ABSOLUTE
          ? StructuredJudging.parseAbsolute(completion, finishReason, rubric.minScore(), rubric.maxScore())
          : StructuredJudging.parsePairwise(completion, finishReason);
    }
    return kind == JudgmentKind.ABSOLUTE
        ? AbsoluteParser.parse(completion, finishReason, rubric.minScore(), rubric.maxScore())
        : PairwiseParser.parse(completion, finishReason);
  }
}
