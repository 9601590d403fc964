package dev.assay.pipeline.recipe;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.assay.llm.EndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15, failure 2: {@code configs/endpoints/openai.yaml} defined no {@code previous}, so a recipe that includes
 * the simulator's endpoints kept sending {@code previous} to the simulator's address. Every shipped endpoint file for
 * a real backend must define every role the shipped recipes use: loaded over each recipe, no role is left on the
 * simulator's address or model. Needs no server: the environment is a map.
 */
class EndpointFilesTest {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final String URL = "http://10.0.0.1:8000/v1";
  private static final Map<String, String> ENV =
      Map.of(
          "OPENAI_BASE_URL", URL, "OPENAI_API_KEY", "k", "OPENAI_POLICY_MODEL", "gpt-x", "OPENAI_JUDGE_MODEL", "gpt-y",
          "OPENAI_PREVIOUS_MODEL", "gpt-w", "ASSAY_VLLM_POLICY_URL", URL, "ASSAY_VLLM_PREVIOUS_URL", URL,
          "ASSAY_VLLM_POLICY_MODEL", "org/policy", "ASSAY_VLLM_PREVIOUS_MODEL", "org/previous");

  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource({
    "openai.yaml, pipelines/demo.yaml",
    "openai.yaml, pipelines/self-rewarding.yaml",
    "openai.yaml, pipelines/self-rationalization.yaml",
    "vllm.yaml, pipelines/demo.yaml",
    "vllm.yaml, pipelines/self-rewarding.yaml",
    "vllm.yaml, pipelines/self-rationalization.yaml"
  })
  void everyRoleOfTheRecipeLeavesTheSimulator(String endpointFile, String recipe) {
    Path file = REPO.resolve(recipe);
    Path endpoints = REPO.resolve("configs/endpoints").resolve(endpointFile);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int code = Validator.run(file, List.of(endpoints), List.of(), ENV::get, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8), code, is(Validator.EXIT_OK));
    Map<String, EndpointConfig> loaded = ConfigLoader.load(file, List.of(endpoints), List.of(), ENV::get).recipe().endpoints();

    loaded.forEach(
        (role, endpoint) -> {
          assertThat(role, endpoint.baseUrl(), is(URL));
          assertThat(role, endpoint.model(), not(containsString("sim-")));
        });
    assertThat(loaded.keySet().toString(), loaded.containsKey("previous"), is(true));
  }
}
