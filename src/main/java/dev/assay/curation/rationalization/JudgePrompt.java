package dev.assay.curation.rationalization;

import dev.assay.generation.Candidate;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.judging.Rubric;
import dev.assay.llm.ChatMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The judge prompt of one item as a trainer should see it: the prompt of every judge pair and judge SFT example built
 * for the item.
 *
 * <p>Judgments do not carry their prompt (imported ones never had one of ours), so {@link BuildRationalizationPairs}
 * joins these by item id. For judgments sampled by {@code SampleJudgments}, build it with {@link #of} from
 * {@code JudgeDefinition.render(JudgeItem.single(candidate), reference)}: the exact messages the judge answered. For
 * imported judgments, {@link #forCandidate} and {@link #forImport} render the absolute template the next judge will
 * be asked with, so the judge learns the prompt it will see at inference, and the chosen completions
 * ({@link BuildRationalizationPairs#completion}) follow that template's answer format.
 *
 * @param itemId the judged item, {@link JudgmentLabel#item}: the candidate, or the ordered pair of a pairwise judge
 * @param system the system message, or null when the template renders none
 * @param prompt the user message
 */
public record JudgePrompt(String itemId, String system, String prompt) {
  public JudgePrompt {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(prompt, "prompt");
  }

  /**
   * From rendered chat messages: an optional system message, then the user message.
   *
   * @throws IllegalArgumentException for any other shape (no user message, several, an assistant turn)
   */
  public static JudgePrompt of(String itemId, List<ChatMessage> messages) {
    Objects.requireNonNull(messages, "messages");
    if (messages.size() == 1 && messages.get(0).role().equals("user")) {
      return new JudgePrompt(itemId, null, messages.get(0).content());
    }
    if (messages.size() == 2 && messages.get(0).role().equals("system") && messages.get(1).role().equals("user")) {
      return new JudgePrompt(itemId, messages.get(0).content(), messages.get(1).content());
    }
    throw new IllegalArgumentException(
        "a judge prompt is an optional system message and one user message; item " + itemId + " has roles "
            + messages.stream().map(ChatMessage::role).toList());
  }

  /**
   * Renders an absolute template for a candidate, as {@code JudgeDefinition.render} would for an absolute judge.
   *
   * @param reference the reference answer shown to the judge, or null for none
   * @throws IllegalArgumentException when the template is not an absolute one
   */
  public static JudgePrompt forCandidate(Candidate candidate, String reference, Rubric rubric, PromptTemplate template) {
    if (template.kind() != PromptTemplate.Kind.ABSOLUTE) {
      throw new IllegalArgumentException("judge prompts for rationalization need an absolute template, not " + template.ref());
    }
    Map<String, String> vars = new HashMap<>();
    vars.put("instruction", candidate.prompt());
    vars.put("response", candidate.response());
    vars.put("rubric", rubric.render());
    vars.put("reference", reference == null ? "" : reference);
    return of(candidate.id(), template.render(vars));
  }

  /**
   * Renders a pairwise template for an ordered pair of candidates of one prompt ({@code first} shown as response A),
   * as {@code JudgeDefinition.render} would for a pairwise judge, keyed by {@link JudgmentLabel#pairItem}.
   *
   * @param reference the reference answer shown to the judge, or null for none
   * @param rubric the judge's rubric, or null when it has none
   * @throws IllegalArgumentException when the template is not a pairwise one
   */
  public static JudgePrompt forPair(Candidate first, Candidate second, String reference, Rubric rubric, PromptTemplate template) {
    if (template.kind() != PromptTemplate.Kind.PAIRWISE) {
      throw new IllegalArgumentException("judge prompts of a pairwise judge need a pairwise template, not " + template.ref());
    }
    Map<String, String> vars = new HashMap<>();
    vars.put("instruction", first.prompt());
    vars.put("response_a", first.response());
    vars.put("response_b", second.response());
    if (rubric != null) {
      vars.put("rubric", rubric.render());
    }
    vars.put("reference", reference == null ? "" : reference);
    return of(JudgmentLabel.pairItem(first.id(), second.id()), template.render(vars));
  }

  /**
   * One prompt per imported Prometheus item, rendered with {@code template}, the item's own rubric and its reference
   * answer (the published judgments saw one), keyed by the candidate id the import gives its judgments.
   */
  public static List<JudgePrompt> forImport(PrometheusEvalImport.Result imported, PromptTemplate template) {
    List<PrometheusEvalImport.Item> items = imported.items();
    List<Candidate> candidates = imported.candidates();
    if (items.size() != candidates.size()) {
      // The import makes exactly one candidate per item, in file order; anything else is a broken Result.
      throw new IllegalArgumentException(items.size() + " items but " + candidates.size() + " candidates");
    }
    List<JudgePrompt> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Candidate c = candidates.get(i);
      out.add(forCandidate(c, c.reference(), items.get(i).rubric(), template));
    }
    return List.copyOf(out);
  }
}
