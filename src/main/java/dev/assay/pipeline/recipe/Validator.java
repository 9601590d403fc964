package dev.assay.pipeline.recipe;

import dev.assay.config.ConfigNode;
import dev.assay.config.ConfigProblem;
import dev.assay.config.ValidationReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.config.ConfigNode.ListNode;
import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.ScalarNode;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.io.JsonlReader;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.Rubric;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * {@code assay validate}: checks a recipe, its configs and its input file without calling any model.
 *
 * <p>Runs {@link ConfigLoader} and, when the input file exists, reads it: a {@code prompts} file must be JSONL whose
 * records have an {@code id} (string or integer, unique in the file), a {@code prompt} (non-blank string) and
 * optionally a {@code reference} (string). Other input formats are only checked to exist and be readable (the
 * loader does that). Each judge's template, rubric and revision template are loaded as a run loads them. All
 * problems are reported together, at most {@value #MAX_INPUT_PROBLEMS} per input file (then one line with the count
 * of the rest), so a wholly wrong file does not flood the terminal.
 *
 * <p>Never throws for bad user input; a null argument is a programming error ({@link NullPointerException}).
 */
public final class Validator {
  /** Exit code of a valid configuration. */
  public static final int EXIT_OK = 0;

  /** Exit code for problems in the configuration or the input (DESIGN section 4: bad usage or bad input). */
  public static final int EXIT_PROBLEMS = 2;

  /** Input problems listed per file before the rest are only counted. */
  public static final int MAX_INPUT_PROBLEMS = 100;

  private Validator() {}

  /**
   * Validates a recipe as {@code assay run} would load it, and its input file.
   *
   * @param recipe the pipeline YAML
   * @param extraConfigs {@code --config} files, in order
   * @param setOverrides {@code --set key=value} arguments, in order
   * @param env environment lookup ({@code System::getenv} in the CLI)
   */
  public static ValidationReport validate(
      Path recipe, List<Path> extraConfigs, List<String> setOverrides, Function<String, String> env) {
    ConfigLoader.Outcome outcome = ConfigLoader.collect(recipe, extraConfigs, setOverrides, env);
    List<ConfigProblem> problems = new ArrayList<>(outcome.problems());
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("files", (long) outcome.filesRead());
    MapNode tree = outcome.expanded();
    if (tree != null) {
      if (tree.get("endpoints") instanceof MapNode endpoints) {
        counts.put("endpoints", (long) endpoints.entries().size());
      }
      if (tree.get("judges") instanceof ListNode judges) {
        counts.put("judges", (long) judges.items().size());
        checkJudgeFiles(judges, outcome, problems);
      }
      if (tree.get("input") instanceof MapNode input) {
        checkInput(input, outcome, problems, counts);
      }
    }
    return new ValidationReport(recipe, problems, counts);
  }

  /**
   * Validates and prints the result for a person: each problem as {@code file:line: field: message}, then a summary
   * line; or {@code ok} with what was counted.
   *
   * @return {@link #EXIT_OK} or {@link #EXIT_PROBLEMS}
   */
  public static int run(
      Path recipe,
      List<Path> extraConfigs,
      List<String> setOverrides,
      Function<String, String> env,
      PrintStream out) {
    ValidationReport report = validate(recipe, extraConfigs, setOverrides, env);
    if (report.ok()) {
      out.println("ok: " + recipe);
      report.counts().forEach((k, v) -> out.println("  " + k.replace('_', ' ') + ": " + v));
      return EXIT_OK;
    }
    report.problems().forEach(p -> out.println(p.format()));
    int n = report.problems().size();
    out.println(recipe + ": " + n + (n == 1 ? " problem" : " problems") + "; no model was called");
    return EXIT_PROBLEMS;
  }

  /**
   * Loads each judge's template, rubric and revision template as {@code run} will, so that a template missing a
   * variable its kind needs, or a rubric with an unknown key, fails here too instead of passing validation and then
   * stopping the run. Missing files were already reported by the loader's cross-checks.
   */
  private static void checkJudgeFiles(ListNode judges, ConfigLoader.Outcome outcome, List<ConfigProblem> problems) {
    for (ConfigNode item : judges.items()) {
      if (!(item instanceof MapNode judge)) {
        continue;
      }
      for (String key : List.of("template", "rubric", "revise_template")) {
        if (!(judge.get(key) instanceof ScalarNode node)
            || !(node.value() instanceof String path)
            || outcome.skip().contains(node)) {
          continue; // absent, or binding reported it
        }
        Path file = outcome.displayDir().resolve(path).normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
          continue;
        }
        try {
          if (key.equals("rubric")) {
            Rubric.load(file);
          } else {
            PromptTemplate.load(file);
          }
        } catch (InputException e) {
          problems.add(PromptsCheck.fromInputException(e));
        }
      }
    }
  }

  private static void checkInput(
      MapNode input, ConfigLoader.Outcome outcome, List<ConfigProblem> problems, Map<String, Long> counts) {
    if (!(input.get("path") instanceof ScalarNode p) || !(p.value() instanceof String path) || outcome.skip().contains(p)) {
      return; // binding reported it
    }
    ConfigNode formatNode = input.get("format");
    String format = formatNode instanceof ScalarNode f && !f.isNull() ? f.text() : "prompts";
    Path file = outcome.displayDir().resolve(path).normalize();
    // A missing or unreadable file was reported by the loader's cross-checks.
    if (format.equals("prompts") && Files.isRegularFile(file) && Files.isReadable(file)) {
      new PromptsCheck(file, problems, counts).run();
    }
  }

  /** Reads a prompts file and collects its problems, capped per file. */
  private static final class PromptsCheck {
    private final Path file;
    private final String name;
    private final List<ConfigProblem> problems;
    private final Map<String, Long> counts;
    private int reported;
    private int suppressed;

    PromptsCheck(Path file, List<ConfigProblem> problems, Map<String, Long> counts) {
      this.file = file;
      this.name = file.toString();
      this.problems = problems;
      this.counts = counts;
    }

    void run() {
      // Records and problems in file order, so problems come out in line order.
      List<Object> items;
      try {
        items = new ArrayList<>(JsonlReader.readAll(file));
      } catch (InputException e) {
        if (e.line() == 0) {
          add(fromInputException(e));
          return; // empty or unreadable: nothing more to learn
        }
        // JsonlReader stops at the first bad line; read on so one pass reports every bad line.
        items = readPastBadLines(e);
      }
      Map<String, Long> firstLineById = new HashMap<>();
      long prompts = 0;
      long withReference = 0;
      for (Object item : items) {
        if (item instanceof ConfigProblem problem) {
          add(problem);
          continue;
        }
        JsonlReader.Line line = (JsonlReader.Line) item;
        boolean good = true;
        try {
          String id = line.id("id");
          Long first = firstLineById.putIfAbsent(id, line.number());
          if (first != null) {
            add(new ConfigProblem(name, line.number(), "id", "duplicate id '" + id + "' (first on line " + first + ")"));
            good = false;
          }
        } catch (InputException e) {
          add(fromInputException(e));
          good = false;
        }
        try {
          if (line.text("prompt").isBlank()) {
            add(new ConfigProblem(name, line.number(), "prompt", "prompt is blank"));
            good = false;
          }
        } catch (InputException e) {
          add(fromInputException(e));
          good = false;
        }
        try {
          if (line.optionalText("reference") != null && good) {
            withReference++;
          }
        } catch (InputException e) {
          add(fromInputException(e));
          good = false;
        }
        if (good) {
          prompts++;
        }
      }
      if (suppressed > 0) {
        problems.add(new ConfigProblem(name, 0, null, "and " + suppressed + " more problems not listed"));
      }
      counts.put("prompts", prompts);
      counts.put("prompts_with_reference", withReference);
    }

    /**
     * Every line as a {@link JsonlReader.Line} or a {@link ConfigProblem}, in file order; the line {@code first}
     * names keeps JsonlReader's own diagnosis. Lenient on encoding (invalid bytes become U+FFFD, so only the first
     * invalid line is reported as such) and bounded per line like {@link JsonlReader}, so a huge bad line cannot
     * exhaust the heap.
     */
    private List<Object> readPastBadLines(InputException first) {
      long reportedLine = first.line();
      List<Object> out = new ArrayList<>();
      try (InputStream raw = Files.newInputStream(file);
          InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
          BufferedReader reader =
              new BufferedReader(
                  new InputStreamReader(
                      in,
                      StandardCharsets.UTF_8
                          .newDecoder()
                          .onMalformedInput(CodingErrorAction.REPLACE)
                          .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
        long number = 0;
        StringBuilder sb = new StringBuilder();
        while (true) {
          number++;
          int state = readLine(reader, sb);
          if (state == EOF) {
            break;
          }
          if (number == reportedLine) {
            out.add(fromInputException(first));
            continue;
          }
          if (state == TOO_LONG) {
            out.add(new ConfigProblem(name, number, null, "line longer than " + JsonlReader.MAX_LINE_CHARS + " characters"));
            continue;
          }
          String text = sb.toString();
          if (number == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark: JsonlReader drops it, so it is no problem here either
          }
          if (text.isBlank()) {
            continue;
          }
          try {
            JsonNode node = Json.mapper().readTree(text);
            if (node == null || !node.isObject()) {
              out.add(new ConfigProblem(name, number, null, "expected a JSON object per line"));
            } else {
              out.add(new JsonlReader.Line(name, number, node));
            }
          } catch (JsonProcessingException e) {
            out.add(new ConfigProblem(name, number, null, Json.syntaxProblem(e, false)));
          }
        }
      } catch (IOException e) {
        out.add(new ConfigProblem(name, 0, null, "cannot read: " + e.getMessage()));
      }
      return out;
    }

    private static final int EOF = -1;
    private static final int OK = 0;
    private static final int TOO_LONG = 1;

    /** Reads one line into {@code sb} (cleared first); past the limit the rest of the line is skipped. */
    private static int readLine(BufferedReader reader, StringBuilder sb) throws IOException {
      sb.setLength(0);
      boolean any = false;
      boolean tooLong = false;
      int c;
      while ((c = reader.read()) != -1) {
        any = true;
        if (c == '\n') {
          break;
        }
        if (sb.length() >= JsonlReader.MAX_LINE_CHARS) {
          tooLong = true;
        } else {
          sb.append((char) c);
        }
      }
      if (!any) {
        return EOF;
      }
      int n = sb.length();
      if (n > 0 && sb.charAt(n - 1) == '\r') {
        sb.setLength(n - 1);
      }
      return tooLong ? TOO_LONG : OK;
    }

    private void add(ConfigProblem problem) {
      if (reported < MAX_INPUT_PROBLEMS) {
        problems.add(problem);
        reported++;
      } else {
        suppressed++;
      }
    }

    /** InputException formats its message with the location; keep only the problem so it is not printed twice. */
    private static ConfigProblem fromInputException(InputException e) {
      StringBuilder prefix = new StringBuilder(e.file());
      if (e.line() > 0) {
        prefix.append(':').append(e.line());
      }
      if (e.field() != null) {
        prefix.append(": field '").append(e.field()).append('\'');
      }
      prefix.append(": ");
      String message = e.getMessage();
      String problem = message.startsWith(prefix.toString()) ? message.substring(prefix.length()) : message;
      return new ConfigProblem(e.file(), e.line(), e.field(), problem);
    }
  }
}
