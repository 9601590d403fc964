package dev.assay.pipeline.recipe;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import dev.assay.llm.EndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code configs/endpoints/llama-cpp.yaml} defines every role the shipped recipes use: loaded over a recipe that
 * includes the simulator's endpoints, no role is left pointing at the simulator (the failure issue 15 found in
 * {@code openai.yaml}, whose missing {@code previous} silently stayed on the simulator). Needs no server: the
 * environment is a map.
 */
class LlamaCppEndpointsTest {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final Path LLAMA = REPO.resolve("configs/endpoints/llama-cpp.yaml");
  private static final String POLICY_URL = "http://127.0.0.1:41001/v1";
  private static final String PREVIOUS_URL = "http://127.0.0.1:41002/v1";
  private static final Map<String, String> ENV =
      Map.of("ASSAY_LLAMA_POLICY_URL", POLICY_URL, "ASSAY_LLAMA_PREVIOUS_URL", PREVIOUS_URL, "ASSAY_LLAMA_SLOTS", "3");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pipelines/demo.yaml", "pipelines/self-rewarding.yaml", "pipelines/self-rationalization.yaml"})
  void everyRoleOfTheRecipeIsALlamaServer(String recipe) {
    Path file = REPO.resolve(recipe);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int code = Validator.run(file, List.of(LLAMA), List.of(), ENV::get, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Map<String, EndpointConfig> endpoints = ConfigLoader.load(file, List.of(LLAMA), List.of(), ENV::get).recipe().endpoints();

    assertThat(bytes.toString(StandardCharsets.UTF_8), code, is(Validator.EXIT_OK));
    endpoints.forEach(
        (role, endpoint) -> {
          assertThat(role, endpoint.baseUrl(), is(oneOf(POLICY_URL, PREVIOUS_URL)));
          assertThat(role, endpoint.model(), not(containsString("sim-")));
          // One request per server slot: more would queue inside the server, where the read timeout runs.
          assertThat(role, endpoint.maxInFlight(), is(3));
          // Its 500s are deterministic for a seeded request: the same answer twice ends the retries.
          assertThat(role, endpoint.stopOnRepeatedError(), is(true));
        });
    assertThat(endpoints.get("previous").baseUrl(), is(PREVIOUS_URL));
    assertThat(endpoints.get("previous").model(), is("previous"));
    assertThat(endpoints.get("judge").baseUrl(), is(POLICY_URL));
  }
}
