package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgmentKind;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.LoadedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: {@code ranking.judge} may be omitted when the recipe has an anchor judge; the ranking judge is then the
 * anchor judge asked pairwise, since the self-judge is the biased one.
 */
class RankingJudgeDefaultTest {
  @TempDir Path tmp;

  private LoadedConfig load(String judges, String ranking) throws IOException {
    Path project = Path.of("").toAbsolutePath();
    String recipe =
        """
        name: rank-default
        endpoints:
          policy: {base_url: "http://127.0.0.1:9/v1", model: sim-m2}
          other: {base_url: "http://127.0.0.1:9/v1", model: sim-m3}
        input: {path: %s, format: prompts}
        generation: {endpoint: policy, k: 2}
        judges:
          - {name: self, endpoint: policy, n: 1, template: %s, rubric: %s}
        %s
        anchor: {judge: other}
        ranking: %s
        """
            .formatted(
                project.resolve("pipelines/data/demo-prompts.jsonl"),
                project.resolve("configs/templates/absolute.yaml"),
                project.resolve("configs/rubrics/helpfulness.yaml"),
                judges.replace("PAIRWISE", project.resolve("configs/templates/pairwise.yaml").toString()),
                ranking);
    Path file = tmp.resolve("recipe.yaml");
    Files.writeString(file, recipe);
    return ConfigLoader.load(file, List.of(), List.of(), name -> null);
  }

  private static JudgeDefinition judge(LoadedConfig c) {
    return RankingStage.judge(c.recipe(), c.recipe().ranking().judge(), RunPlan.judges(c.recipe(), c.recipeDir()));
  }

  @Test
  void withoutANameTheAnchorEndpointJudgesPairwiseWithThePairwiseJudgesTemplate() throws IOException {
    LoadedConfig c = load("  - {name: pw, endpoint: policy, kind: pairwise, n: 2, template: PAIRWISE}", "{replicates: 100}");
    JudgeDefinition j = judge(c);
    assertThat(j.name(), is("anchor-other"));
    assertThat(j.endpointName(), is("other"));
    assertThat(j.model(), is("sim-m3"));
    assertThat(j.kind(), is(JudgmentKind.PAIRWISE));
    assertThat(j.n(), is(2));
    assertThat(j.template().ref(), containsString("pairwise"));
  }

  @Test
  void aPairwiseJudgeServedByTheAnchorEndpointIsTheDefaultAndANamedJudgeWins() throws IOException {
    String two =
        "  - {name: pw, endpoint: policy, kind: pairwise, n: 1, template: PAIRWISE}\n"
            + "  - {name: pw-other, endpoint: other, kind: pairwise, n: 3, template: PAIRWISE}";
    assertThat(judge(load(two, "{replicates: 100}")).name(), is("pw-other"));
    assertThat(judge(load(two, "{judge: pw}")).name(), is("pw"));
  }

  @Test
  void noPairwiseTemplateIsAClearErrorNamingTheKey() throws IOException {
    // The validator stops such a recipe first (ConfigLoaderTest); the stage says the same should it be reached.
    LoadedConfig c = load("  - {name: pw, endpoint: policy, kind: pairwise, n: 1, template: PAIRWISE}", "{replicates: 100}");
    var recipe = c.recipe();
    List<JudgeDefinition> absoluteOnly =
        RunPlan.judges(recipe, c.recipeDir()).stream().filter(j -> j.kind() == JudgmentKind.ABSOLUTE).toList();
    UsageException e = assertThrows(UsageException.class, () -> RankingStage.judge(recipe, null, absoluteOnly));
    assertThat(e.getMessage(), containsString("ranking.judge is not set"));
  }
}
