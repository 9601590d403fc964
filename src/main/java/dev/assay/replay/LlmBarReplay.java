package dev.assay.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.agreement.JsonArrayFile;
import dev.assay.io.InputException;
import dev.assay.judging.JudgmentKind;
import dev.assay.qualification.LabelledItem;
import dev.assay.qualification.LabelledSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * LLMBar's published raw completions for one evaluator and prompting strategy ({@code evaluators/<evaluator>/<strategy>/result.json}).
 *
 * <p>What is replayed: the <em>last</em> verdict stage of each item, in each order ({@code "swap = False"}: output_1
 * shown as Output (a); {@code "swap = True"}: output_2 shown first), which is the stage LLMBar's {@code
 * statistics.json} counts. For the Swap strategies that is the synthesis answer where the first stage's two orders
 * disagreed (a second round Assay does not run itself: the replay stands for the whole strategy), else the first
 * stage's answer. Rating strategies publish one score per output ({@code score_1}, {@code score_2}, asked once and
 * shared by both orders): they answer absolute requests, one output at a time. Auxiliary generations (metrics,
 * reference answers) are not answers to a judge request and are not replayed.
 *
 * <p>The texts (instruction = {@code input}, outputs) are read by {@link LabelledSet#llmbar}, the reader that
 * qualification uses for the same file, so a request rendered from the labelled set finds its answer.
 *
 * @param dir the strategy folder
 */
public record LlmBarReplay(String dir) implements ReplaySource {
  public LlmBarReplay {
    Objects.requireNonNull(dir, "dir");
  }

  /** {@code <evaluator>/<strategy>} from the folder's last two names. */
  public String name() {
    Path p = Path.of(dir).toAbsolutePath().normalize();
    return p.getParent().getFileName() + "/" + p.getFileName();
  }

  /** The strategy's name alone (the folder's name), e.g. {@code Swap_CoT}. */
  public String strategy() {
    return Path.of(dir).toAbsolutePath().normalize().getFileName().toString();
  }

  @Override
  public ReplayIndex load() {
    Path file = Path.of(dir).resolve("result.json");
    String name = file.toString();
    List<LabelledItem> items = LabelledSet.llmbar(file).items();
    List<JsonArrayFile.Element> elements = JsonArrayFile.read(file);
    boolean rating = isRating(finalStage(elements.get(0), name));
    ReplayIndex.Builder index =
        ReplayIndex.builder(
            name(),
            rating ? JudgmentKind.ABSOLUTE : JudgmentKind.PAIRWISE,
            "REPLAY: every judge answer is LLMBar's published " + name() + " completion, not a live model's ("
                + (rating ? "one score per output, absolute requests" : "the last verdict round, both orders") + ")");
    for (int i = 0; i < elements.size(); i++) {
      JsonArrayFile.Element e = elements.get(i);
      LabelledItem item = items.get(i);
      JsonNode stage = finalStage(e, name);
      int at = e.node().get("results").size() - 1;
      String where = ReplaySource.fileName(dir) + "/result.json item " + e.index() + " results[" + at + "]";
      index.instruction(item.instruction());
      if (isRating(stage) != rating) {
        throw new InputException(name, e.line(), "results[" + at + "]", "mixes rating and verdict rounds across items");
      }
      String pairFirst = ReplayKey.pairwise(item.instruction(), item.output1(), item.output2());
      String pairSecond = ReplayKey.pairwise(item.instruction(), item.output2(), item.output1());
      String single1 = ReplayKey.absolute(item.instruction(), item.output1());
      String single2 = ReplayKey.absolute(item.instruction(), item.output2());
      if (rating) {
        index.answer(single1, completion(stage, "score_1", e, at, name, where));
        index.answer(single2, completion(stage, "score_2", e, at, name, where));
        String why = "LLMBar's " + strategy() + " rates each output on its own (score_1, score_2): ask with an absolute template";
        index.unanswered(pairFirst, why).unanswered(pairSecond, why);
      } else {
        index.answer(pairFirst, completion(stage.get("swap = False"), "completion", e, at, name, where + " swap = False"));
        index.answer(pairSecond, completion(stage.get("swap = True"), "completion", e, at, name, where + " swap = True"));
        String why = "LLMBar's " + strategy() + " compares the two outputs: ask with a pairwise template";
        index.unanswered(single1, why).unanswered(single2, why);
      }
    }
    return index.build();
  }

  private static boolean isRating(JsonNode stage) {
    return stage.has("score_1");
  }

  /** The last element of {@code results} that is a verdict round (an object), as {@code statistics.json} counts. */
  private static JsonNode finalStage(JsonArrayFile.Element e, String file) {
    JsonNode results = e.node().get("results");
    if (results == null || !results.isArray() || results.isEmpty()) {
      throw new InputException(file, e.line(), "results", "expected a non-empty list of rounds: is this an LLMBar result.json?");
    }
    JsonNode last = results.get(results.size() - 1);
    if (!last.isObject()) {
      throw new InputException(file, e.line(), "results[" + (results.size() - 1) + "]", "the last round is not a verdict round");
    }
    return last;
  }

  /** A {@code [text, finish_reason]} pair as a published answer. */
  private static PublishedAnswer completion(JsonNode holder, String field, JsonArrayFile.Element e, int at, String file, String where) {
    JsonNode pair = holder == null ? null : holder.get(field);
    if (pair == null || !pair.isArray() || pair.isEmpty() || !pair.get(0).isTextual()) {
      throw new InputException(file, e.line(), "results[" + at + "]." + field, "expected [text, finish_reason]");
    }
    String finish = pair.size() > 1 && pair.get(1).isTextual() ? pair.get(1).asText() : null;
    return new PublishedAnswer(pair.get(0).asText(), finish, where + " " + field);
  }
}
