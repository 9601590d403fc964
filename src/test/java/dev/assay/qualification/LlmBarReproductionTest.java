package dev.assay.qualification;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Rubric;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.replay.LlmBarReplay;
import dev.assay.replay.ReplayIndex;
import dev.assay.replay.ReplayProvider;
import dev.assay.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-criterion of judge qualification: LLMBar's published raw completions (Natural set; GPT-4, ChatGPT and
 * LLaMA2, every prompting strategy) replayed through the replay stand-in, judged by Assay's {@code SampleJudgments}
 * with its stock templates, and measured by {@link Qualification}, reproduce each folder's {@code statistics.json}
 * counts: {@code correct_False}, {@code correct_True}, {@code correct_both} and {@code equal}.
 *
 * <p>Under LLMBar's own parse rule ({@link ParseRule#llmbarFor}) every folder reproduces exactly. Under Assay's rule
 * (its parsers, equal ratings a tie) the same judgments give the figures pinned in {@link #ASSAY_RULE_DIFFERENCES};
 * the table printed by the test is the one in the README.
 */
class LlmBarReproductionTest {
  @TempDir Path tmp;

  /**
   * Where Assay's own rule counts differently, as "correct_False correct_True correct_both equal" (a rating strategy
   * under Assay's rule has one order: "accuracy" only). Pairwise: the answers LlmBarParserTest lists (a quoted claim
   * before the verdict; a line starting "Output (a) …" after a verdict "Output (b)"). Rating: Assay calls equal scores
   * a tie, where LLMBar gives the item to the output shown second, and reads ChatGPT's off-scale "10" as no score, so
   * its one-order count is LLMBar's {@code correct_both} (a strict win agrees in both orders) less that item.
   */
  private static final Map<String, String> ASSAY_RULE_DIFFERENCES =
      Map.ofEntries(
          // equal +6, +1, +3, +4: the deltas LlmBarParserTest#equalFigures derives from the same answers.
          Map.entry("ChatGPT/Swap_CoT", "79 / 77 / 67 / 78"),
          Map.entry("LLaMA2/Swap_CoT", "74 / 74 / 62 / 76"),
          Map.entry("LLaMA2/Vanilla_1shot", "77 / 79 / 66 / 76"),
          Map.entry("LLaMA2/Vanilla_2shot", "78 / 80 / 68 / 78"),
          Map.entry("ChatGPT/Rating", "one order: 44"),
          Map.entry("ChatGPT/Rating_NoRules", "one order: 44"),
          Map.entry("GPT-4/Rating", "one order: 87"),
          Map.entry("GPT-4/Rating_Metrics", "one order: 90"),
          Map.entry("GPT-4/Rating_Metrics_Reference", "one order: 90"),
          Map.entry("GPT-4/Rating_NoRules", "one order: 84"),
          Map.entry("GPT-4/Rating_Reference", "one order: 91"));

  private static final List<String> FIELDS = List.of("correct_False", "correct_True", "correct_both", "equal");

  @Test
  void replayedCompletionsReproduceEveryPublishedCount() throws IOException {
    Path root = SharedData.require("llmbar-natural");
    Path dataset = root.resolve("dataset.json");
    LabelledSet set = LabelledSet.llmbar(dataset);
    List<Path> folders;
    try (Stream<Path> evaluators = Files.list(root.resolve("evaluators"))) {
      folders =
          evaluators
              .flatMap(LlmBarReproductionTest::children)
              .filter(d -> Files.exists(d.resolve("result.json")))
              .sorted()
              .toList();
    }
    assertThat("3 evaluators' folders", folders.size(), is(37));
    Map<String, String> missed = new TreeMap<>();
    Map<String, String> assayDifferences = new TreeMap<>();
    StringBuilder table = new StringBuilder("| evaluator/strategy | published F / T / both / equal | LLMBar rule | Assay rule |\n|---|---|---|---|\n");
    for (Path dir : folders) {
      LlmBarReplay source = new LlmBarReplay(dir.toString());
      ReplayProvider provider = new ReplayProvider(source);
      ReplayIndex index = provider.backend().index();
      JudgeDefinition judge = judge(index);
      QualificationSpec theirRule =
          new QualificationSpec("llmbar:" + dataset, true, ParseRule.llmbarFor(source.strategy()), null, 42);
      List<Judgment> judgments =
          Qualification.judge(
              set, judge, provider, theirRule, tmp.resolve(source.strategy() + "-" + dir.getParent().getFileName()),
              RunnerChoice.direct().options());
      assertThat(source.name() + ": every request found its published answer", judgments.stream().filter(j -> j.raw() == null).count(), is(0L));
      QualificationResult theirs = Qualification.measure(theirRule, judge, set, judgments, index.notice());
      QualificationSpec ourRule = new QualificationSpec("llmbar:" + dataset, true, ParseRule.ASSAY, null, 42);
      QualificationResult ours = Qualification.measure(ourRule, judge, set, judgments, index.notice());

      String published = published(dir.resolve("statistics.json"));
      String reproduced = counts(theirs.figures());
      String assay = counts(ours.figures());
      if (!reproduced.equals(published)) {
        missed.put(source.name(), "published " + published + ", reproduced " + reproduced);
      }
      if (!assay.equals(published)) {
        assayDifferences.put(source.name(), assay);
      }
      table.append("| ").append(source.name()).append(" | ").append(published).append(" | ")
          .append(reproduced.equals(published) ? "same" : reproduced).append(" | ")
          .append(assay.equals(published) ? "same" : assay).append(" |\n");
    }
    System.out.println(table);
    assertThat("folders whose published counts the LLMBar rule does not reproduce", missed, is(anEmptyMap()));
    assertThat(assayDifferences, equalTo(ASSAY_RULE_DIFFERENCES));
  }

  /** A judge of the replay's kind with Assay's stock template (and LLMBar's 0-9 scale for ratings). */
  static JudgeDefinition judge(ReplayIndex index) {
    boolean absolute = index.kind() == JudgmentKind.ABSOLUTE;
    PromptTemplate template = PromptTemplate.load(Path.of("configs/templates/" + index.kind().wire() + ".yaml"));
    Rubric rubric = absolute ? Rubric.load(Path.of("configs/rubrics/llmbar-rating.yaml")) : null;
    return new JudgeDefinition("judge", "judge", index.modelId(), index.kind(), 1, 0.0, 1024, ReferenceMode.NONE, template, rubric, null);
  }

  /** "F T both equal" from statistics.json ("94 / 100 = 94.0%" is 94). */
  private static String published(Path statistics) {
    JsonNode s = SharedData.readTree(statistics);
    StringBuilder sb = new StringBuilder();
    for (String f : FIELDS) {
      sb.append(sb.length() == 0 ? "" : " / ").append(s.get(f).asText().split(" / ")[0].strip());
    }
    return sb.toString();
  }

  /** The same four counts from our figures; with one order, only its correct count. */
  private static String counts(QualificationFigures f) {
    if (f.orders().size() == 1) {
      return "one order: " + f.orders().get(0).correct();
    }
    return f.orders().get(0).correct() + " / " + f.orders().get(1).correct() + " / " + f.correctBoth() + " / " + f.sameVerdict();
  }

  private static Stream<Path> children(Path dir) {
    try {
      return Files.list(dir).filter(Files::isDirectory).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
