package dev.assay.pipeline.recipe;

import dev.assay.config.ConfigException;
import dev.assay.config.ConfigProblem;
import dev.assay.judging.JudgeSpec;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.llm.EndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped example files load with the loader, copied into a temporary tree (so the test cannot write into the
 * repository).
 */
class ExampleFilesTest {
  private static final Path REPO = Path.of("").toAbsolutePath();

  @TempDir Path dir;
  private Path demo;

  @BeforeEach
  void copy() throws IOException {
    for (String file :
        List.of(
            "pipelines/demo.yaml",
            "pipelines/data/demo-prompts.jsonl",
            "pipelines/data/topics-80.jsonl",
            "configs/endpoints/simulator.yaml",
            "configs/endpoints/openai.yaml")) {
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      Files.copy(REPO.resolve(file), target);
    }
    for (String file : List.of("configs/templates/absolute.yaml", "configs/templates/pairwise.yaml", "configs/rubrics/helpfulness.yaml")) {
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      Files.copy(REPO.resolve(file), target);
    }
    demo = dir.resolve("pipelines/demo.yaml");
  }

  @Test
  void demoValidatesOnTheSimulator() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = Validator.run(demo, List.of(), List.of(), name -> null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8), code, is(Validator.EXIT_OK));

    LoadedConfig loaded = ConfigLoader.load(demo, List.of(), List.of(), name -> null);
    Recipe r = loaded.recipe();
    assertThat(r.endpoints().keySet(), containsInAnyOrder("policy", "judge", "previous"));
    assertThat(r.endpoints().get("policy").baseUrl(), is("http://127.0.0.1:8089/v1"));
    assertThat(r.generation().k(), is(4));
    assertThat(r.endpoints().get("policy").model(), is("sim-m1"));
    assertThat(r.endpoints().get("previous").model(), is("sim-m0"));
    assertThat(r.judges().get(0), is(new JudgeSpec("self", "judge", "absolute", 3, "../configs/templates/absolute.yaml", "../configs/rubrics/helpfulness.yaml", null, null, null, null)));
    assertThat(r.judges().size(), is(3));
    assertThat(r.rewardModels().size(), is(3));
    assertThat(r.input().path(), is("data/topics-80.jsonl"));
    // The card's keys bind: the demo states its outputs' terms and, not knowing its prompts' licence, names none.
    assertThat(r.outputTerms(), containsString("embedded simulator"));
    assertThat(r.input().license(), is((String) null));
    Recipe licensed = ConfigLoader.load(demo, List.of(), List.of("input.license=CC-BY-4.0"), name -> null).recipe();
    assertThat(licensed.input().license(), is("CC-BY-4.0"));
    long prompts = Validator.validate(demo, List.of(), List.of(), name -> null).counts().get("prompts");
    assertThat(prompts, is(80L));
  }

  @Test
  void openAiEndpointsComeFromTheEnvironmentAndAreNotRecorded() {
    Path openai = dir.resolve("configs/endpoints/openai.yaml");
    Map<String, String> env =
        Map.of(
            "OPENAI_BASE_URL", "https://llm.internal.example/v1",
            "OPENAI_API_KEY", "sk-never-read-by-the-loader",
            "OPENAI_POLICY_MODEL", "policy-model",
            "OPENAI_JUDGE_MODEL", "judge-model",
            "OPENAI_PREVIOUS_MODEL", "previous-model");

    LoadedConfig loaded = ConfigLoader.load(demo, List.of(openai), List.of(), env::get);

    EndpointConfig judge = loaded.recipe().endpoints().get("judge");
    assertThat(judge.baseUrl(), is("https://llm.internal.example/v1"));
    assertThat(judge.model(), is("judge-model"));
    assertThat(judge.apiKeyEnv(), is("OPENAI_API_KEY"));
    assertThat(loaded.canonicalJson(), containsString("${OPENAI_BASE_URL}"));
    for (String value : env.values()) {
      assertThat(loaded.canonicalJson(), not(containsString(value)));
    }
    assertThat(loaded.files().stream().map(f -> f.path().getFileName().toString()).toList(), contains("demo.yaml", "simulator.yaml", "openai.yaml"));

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(demo, List.of(openai), List.of(), name -> null));
    assertThat(e.problems().stream().map(ConfigProblem::message).toList(), everyItem(containsString("is not set")));
    assertThat(e.getMessage(), containsString("OPENAI_BASE_URL"));
  }
}
