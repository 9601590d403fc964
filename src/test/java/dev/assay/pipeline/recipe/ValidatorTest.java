package dev.assay.pipeline.recipe;

import dev.assay.config.ConfigProblem;
import dev.assay.config.ValidationReport;
import static dev.assay.config.ProblemMatchers.problem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorTest {
  private static final Function<String, String> NO_ENV = name -> null;

  @TempDir Path dir;
  private Path recipe;
  private Path prompts;

  @BeforeEach
  void recipe() throws IOException {
    // A loadable template: validate loads judge templates as run does, so a stub would be reported.
    write(
        "tpl/absolute.yaml",
        "id: t\nkind: absolute\nsystem: Grade.\nuser: \"<instruction>{{instruction}}</instruction>"
            + " <response>{{response}}</response> [RESULT] <integer>\"\n");
    prompts = dir.resolve("data/prompts.jsonl");
    recipe =
        write(
            "recipe.yaml",
            """
            name: t
            endpoints:
              policy: {base_url: "http://127.0.0.1:9/v1", model: m}
            input: {path: data/prompts.jsonl}
            generation: {endpoint: policy}
            judges:
              - {name: self, endpoint: policy, template: tpl/absolute.yaml}
            """);
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  void validPromptsAreCounted() throws IOException {
    write(
        "data/prompts.jsonl",
        """
        {"id": 1, "prompt": "Add 2 and 3.", "reference": "5"}
        {"id": "two", "prompt": "Name a colour."}

        {"id": 3, "prompt": "Spell 'cat' backwards.", "reference": "tac"}
        """);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int code = Validator.run(recipe, List.of(), List.of(), NO_ENV, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(code, is(Validator.EXIT_OK));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out, startsWith("ok: " + recipe + "\n"));
    assertThat(out, containsString("  prompts: 3\n  prompts with reference: 2\n"));
    ValidationReport report = Validator.validate(recipe, List.of(), List.of(), NO_ENV);
    assertThat(report.ok(), is(true));
    assertThat(report.counts(), is(Map.of("files", 1L, "endpoints", 1L, "judges", 1L, "prompts", 3L, "prompts_with_reference", 2L)));
  }

  @Test
  void reportsMalformedLinesMissingFieldsAndDuplicateIdsTogether() throws IOException {
    write(
        "data/prompts.jsonl",
        """
        {"id": 1, "prompt": "first"}
        {"id": 2, "prompt": "second"
        {"id": 3}
        {"id": 1, "prompt": "again"}
        {"prompt": "no id"}
        ["not", "an", "object"]
        {"id": 7, "prompt": "fine", "reference": 4}
        {"id": 8, "prompt": "   "}
        """);

    ValidationReport report = Validator.validate(recipe, List.of(), List.of(), NO_ENV);

    assertThat(
        report.problems(),
        contains(
            problem(prompts, 2, null, startsWith("malformed JSON at column ")),
            problem(prompts, 3, "prompt", is("missing required field")),
            problem(prompts, 4, "id", is("duplicate id '1' (first on line 1)")),
            problem(prompts, 5, "id", is("missing required field")),
            problem(prompts, 6, null, is("expected a JSON object per line")),
            problem(prompts, 7, "reference", is("expected a string, got number")),
            problem(prompts, 8, "prompt", is("prompt is blank"))));
    assertThat(report.counts(), hasEntry("prompts", 1L));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = Validator.run(recipe, List.of(), List.of(), NO_ENV, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(code, is(Validator.EXIT_PROBLEMS));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out, containsString(prompts + ":4: id: duplicate id '1' (first on line 1)\n"));
    assertThat(out, containsString(recipe + ": 7 problems; no model was called\n"));
  }

  /** The prompt reader accepts a byte-order mark; reading on past a later bad line must not report it either. */
  @Test
  void byteOrderMarkIsNoProblemWhenALaterLineIsBad() throws IOException {
    write("data/prompts.jsonl", "\uFEFF{\"id\": 1, \"prompt\": \"a\"}\n{\"id\": 2, \"prompt\": \n");

    ValidationReport report = Validator.validate(recipe, List.of(), List.of(), NO_ENV);

    assertThat(
        report.problems(),
        contains(problem(prompts, 2, null, startsWith("malformed JSON at column 21: Unexpected end-of-input"))));
  }

  @Test
  void configAndInputProblemsAreReportedInOnePass() throws IOException {
    write("data/prompts.jsonl", "{\"id\": 1}\n");

    ValidationReport report = Validator.validate(recipe, List.of(), List.of("generation.k=0"), NO_ENV);

    assertThat(
        report.problems(),
        contains(
            problem(Path.of("--set"), 0, "generation.k", is("k must be >= 1: 0")),
            problem(prompts, 1, "prompt", is("missing required field"))));
  }

  @Test
  void inputProblemsAreCappedPerFile() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Validator.MAX_INPUT_PROBLEMS + 25; i++) {
      sb.append("{\"id\": ").append(i).append("}\n");
    }
    write("data/prompts.jsonl", sb.toString());

    List<ConfigProblem> problems = Validator.validate(recipe, List.of(), List.of(), NO_ENV).problems();

    assertThat(problems, hasSize(Validator.MAX_INPUT_PROBLEMS + 1));
    assertThat(problems.get(problems.size() - 1), problem(prompts, 0, null, is("and 25 more problems not listed")));
  }

  @Test
  void emptyAndMissingInputFiles() throws IOException {
    write("data/prompts.jsonl", "\n\n");
    assertThat(
        Validator.validate(recipe, List.of(), List.of(), NO_ENV).problems(),
        contains(problem(prompts, 0, null, is("no records (the file is empty)"))));

    Files.delete(prompts);
    assertThat(
        Validator.validate(recipe, List.of(), List.of(), NO_ENV).problems(),
        contains(problem(recipe, 4, "input.path", is("input file not found: " + prompts))));
  }

  @Test
  void otherFormatsAreOnlyCheckedToExist() throws IOException {
    write("data/prompts.jsonl", "not json at all\n");
    ValidationReport report = Validator.validate(recipe, List.of(), List.of("input.format=candidates"), NO_ENV);
    assertThat(report.problems(), is(empty()));
    assertThat(report.counts().keySet(), not(contains("prompts")));
  }
}
