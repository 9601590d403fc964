package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.assay.bench.SmallRecipe;
import dev.assay.io.JsonlReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through {@code ./assay run} and {@code ./assay validate}: each case must exit 2 with a message that
 * names the file, the line and the field at fault, print no stack trace, and leave no run behind (input is checked
 * before any model is called, so the endpoint here points at a port nothing listens on).
 */
@Timeout(60)
class BadInputTest {
  /** Nothing listens here: a case that reached the network would fail with exit 3, not 2. */
  private static final String NOWHERE = "http://127.0.0.1:9/v1";

  @TempDir Path tmp;

  /** One way to break a run, and what the message must name. */
  @FunctionalInterface
  interface Breakage {
    void apply(Path dir, Path recipe) throws IOException;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("malformed JSONL line", prompts("{\"id\":\"a\",\"prompt\":\"ok\"}\n{\"id\":\"b\",\"prompt\":\"cut"),
            "prompts.jsonl:2", null, "malformed JSON"),
        Arguments.of("wrong type", prompts("{\"id\":\"a\",\"prompt\":\"ok\"}\n{\"id\":\"b\",\"prompt\":42}\n"),
            "prompts.jsonl:2", "prompt", "expected a string"),
        Arguments.of("wrong type of id", prompts("{\"id\":[1],\"prompt\":\"ok\"}\n"),
            "prompts.jsonl:1", "id", "expected a string or an integer id"),
        Arguments.of("missing field", prompts("{\"id\":\"a\",\"prompt\":\"ok\"}\n{\"id\":\"b\"}\n"),
            "prompts.jsonl:2", "prompt", "missing required field"),
        Arguments.of("not an object", prompts("{\"id\":\"a\",\"prompt\":\"ok\"}\n[1,2]\n"),
            "prompts.jsonl:2", null, "expected a JSON object"),
        Arguments.of("empty file", prompts(""), "prompts.jsonl", null, "the file is empty"),
        Arguments.of("invalid UTF-8 on line 3", (Breakage) BadInputTest::invalidUtf8,
            "prompts.jsonl:3", null, "invalid UTF-8"),
        Arguments.of("line over MAX_LINE_CHARS", (Breakage) BadInputTest::longLine,
            "prompts.jsonl:2", null, "longer than " + JsonlReader.MAX_LINE_CHARS),
        Arguments.of("duplicate ids",
            prompts("{\"id\":\"a\",\"prompt\":\"x\"}\n{\"id\":\"b\",\"prompt\":\"y\"}\n{\"id\":\"a\",\"prompt\":\"z\"}\n"),
            "prompts.jsonl:3", "id", "duplicate id 'a' (first on line 1)"),
        Arguments.of("unknown config key",
            edit("generation: {endpoint: policy, k: 2}", "generation: {endpoint: policy, k: 2, temprature: 0.5}"),
            "recipe.yaml:7", "generation.temprature", "did you mean 'temperature'"),
        Arguments.of("unknown endpoint key", edit("max_retries: 0", "max_retries: 0, max_retry: 3"),
            "recipe.yaml:4", "endpoints.policy.max_retry", "unknown key"),
        Arguments.of("template lacks a variable its kind needs", (Breakage) (dir, recipe) -> template(dir, recipe,
                "  Grade this.\n  <instruction>\n  {{instruction}}\n  </instruction>\n  {{rubric}}\n  [RESULT] <integer>"),
            "bad-template.yaml:", "user", "response"),
        Arguments.of("template uses a variable that has no value", (Breakage) (dir, recipe) -> template(dir, recipe,
                "  <instruction>\n  {{instruction}}\n  </instruction>\n  <response>\n  {{answer}}\n  </response>\n"
                    + "  {{rubric}}\n  [RESULT] <integer>"),
            "bad-template.yaml:", "user", "answer"),
        Arguments.of("rubric with an unknown key", (Breakage) BadInputTest::badRubric,
            "bad-rubric.yaml:2", "weighting", "unknown"),
        Arguments.of("API key variable not set",
            edit("max_retries: 0", "max_retries: 0, api_key_env: ASSAY_TEST_UNSET_KEY_VAR"),
            "recipe.yaml", "endpoints.policy", "environment variable ASSAY_TEST_UNSET_KEY_VAR (api_key_env"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputExitsTwoNamingFileLineAndFieldWithoutAStackTrace(
      String name, Breakage breakage, String fileAndLine, String field, String problem) throws Exception {
    Path dir = tmp.resolve("case");
    Path recipe = SmallRecipe.in(dir).prompts(3).endpoint("max_retries", 0).write(NOWHERE);
    breakage.apply(dir, recipe);
    Path runDir = dir.resolve("run");

    for (String command : List.of("run", "validate")) {
      if (command.equals("validate") && name.startsWith("API key")) {
        continue; // validate checks files, not the environment the run will have
      }
      List<String> args =
          command.equals("run") ? Cli.runArgs(recipe, runDir, false) : List.of("validate", recipe.toString());
      Cli.Result result = Cli.run(args);
      String shown = command + " / " + name + "\n" + result;
      assertThat(shown, result.exit(), is(2));
      String text = result.all();
      assertThat(shown, text, containsString(fileAndLine));
      if (field != null) {
        // run prints InputException's "field 'x'", validate its "file:line: x: message" form.
        assertThat(shown, text.contains("field '" + field + "'") || text.contains(": " + field + ": "), is(true));
      }
      assertThat(shown, text, containsString(problem));
      assertThat(shown, text, not(containsString("at dev.assay")));
      assertThat(shown, text, not(containsString("Exception")));
    }
    assertThat("no run was started", Files.exists(runDir), is(false));
    System.out.println(
        "RELIABILITY bad-input[" + name + "]: exit 2, names " + fileAndLine + (field == null ? "" : " field " + field));
  }

  private static Breakage prompts(String content) {
    return (dir, recipe) -> Files.writeString(dir.resolve("prompts.jsonl"), content);
  }

  private static Breakage edit(String from, String to) {
    return (dir, recipe) -> {
      String yaml = Files.readString(recipe);
      assertThat("the recipe holds the text to edit", yaml, containsString(from));
      Files.writeString(recipe, yaml.replaceFirst(Pattern.quote(from), to));
    };
  }

  /** A byte that is never valid UTF-8 on line 3, well inside the first read buffer. */
  private static void invalidUtf8(Path dir, Path recipe) throws IOException {
    try (OutputStream out = Files.newOutputStream(dir.resolve("prompts.jsonl"))) {
      out.write("{\"id\":\"a\",\"prompt\":\"ok\"}\n{\"id\":\"b\",\"prompt\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8));
      out.write("{\"id\":\"c\",\"prompt\":\"caf".getBytes(StandardCharsets.UTF_8));
      out.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte followed by a non-continuation byte
      out.write("\"}\n{\"id\":\"d\",\"prompt\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Line 2 one character over the limit, streamed in 64 KiB chunks so the test never holds it in memory. */
  private static void longLine(Path dir, Path recipe) throws IOException {
    char[] chunk = new char[64 * 1024];
    Arrays.fill(chunk, 'a');
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("prompts.jsonl"), StandardCharsets.UTF_8)) {
      w.write("{\"id\":\"a\",\"prompt\":\"ok\"}\n");
      String head = "{\"id\":\"b\",\"prompt\":\"";
      w.write(head);
      long left = JsonlReader.MAX_LINE_CHARS + 1L - head.length();
      while (left > 0) {
        int n = (int) Math.min(chunk.length, left);
        w.write(chunk, 0, n);
        left -= n;
      }
      w.write("\"}\n");
    }
  }

  private static void template(Path dir, Path recipe, String user) throws IOException {
    Path template = dir.resolve("bad-template.yaml");
    Files.writeString(template, "id: bad\nkind: absolute\nsystem: You grade.\nuser: |-\n" + user + "\n");
    String yaml = Files.readString(recipe).replaceFirst("template: \"[^\"]*\"", "template: \"" + template + "\"");
    Files.writeString(recipe, yaml);
  }

  private static void badRubric(Path dir, Path recipe) throws IOException {
    Path rubric = dir.resolve("bad-rubric.yaml");
    StringBuilder sb = new StringBuilder("criteria: Is it helpful?\nweighting: 2\n");
    for (int i = 1; i <= 5; i++) {
      sb.append("score").append(i).append("_description: level ").append(i).append('\n');
    }
    Files.writeString(rubric, sb);
    String yaml = Files.readString(recipe).replaceFirst("rubric: \"[^\"]*\"", "rubric: \"" + rubric + "\"");
    Files.writeString(recipe, yaml);
  }
}
