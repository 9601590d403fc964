package dev.assay.cli;

import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Rubric;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.Endpoints;
import dev.assay.llm.SharedEndpoint;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.qualification.LabelledSet;
import dev.assay.qualification.ParseRule;
import dev.assay.qualification.Qualification;
import dev.assay.qualification.QualificationReportText;
import dev.assay.qualification.QualificationResult;
import dev.assay.qualification.QualificationSpec;
import dev.assay.replay.LlmBarReplay;
import dev.assay.replay.PandaLmReplay;
import dev.assay.replay.ReplayIndex;
import dev.assay.replay.ReplayProvider;
import dev.assay.replay.ReplaySource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code assay qualify}: measures a judge against a labelled set before a round trusts it ({@link Qualification}), with
 * a live endpoint or the replay stand-in for published answers ({@code dev.assay.replay}).
 *
 * <p>Prints the report as text, or as JSON with sorted keys ({@code --json}), to the output writer; a replay's notice
 * comes first in either. Exit codes: 0 success (and the gate passed when {@code --min-accuracy} was given); 1 the
 * accuracy is below {@code --min-accuracy} (or unmeasurable), after the report, with {@code assay: gate failed: ...}
 * on the error writer; 2 bad usage or bad input ({@code assay: <message>}, file, line and field for a bad file).
 */
@Command(
    name = "qualify",
    sortOptions = false,
    description = {
      "Qualify a judge on a labelled set: accuracy against gold on decisive items (ties apart) in each order and in"
          + " both, position consistency, Cohen's kappa against each human rater, and the length probe.",
      "The judge is a live OpenAI-compatible endpoint (--base-url, --model) or a replay of published answers"
          + " (--replay), run through Assay's own judging, template and parser.",
      "Exit codes: 0 success, 1 accuracy below --min-accuracy, 2 bad usage or bad input, 3 backend unreachable."
    })
public final class QualifyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(
      names = "--set",
      required = true,
      paramLabel = "FORMAT:PATH",
      description = "The labelled set: llmbar:PATH (LLMBar's dataset.json or a result.json) or pandalm:PATH (testset-v1.json).")
  private String set;

  @Option(
      names = "--replay",
      paramLabel = "SOURCE",
      description =
          "Answer with published judgments instead of a live model: llmbar:DIR (an LLMBar evaluators/<evaluator>/<strategy>"
              + " folder) or pandalm:TESTSET,JUDGE_FILE.")
  private String replay;

  @Option(names = "--base-url", paramLabel = "URL", description = "A live judge: the server root including /v1.")
  private String baseUrl;

  @Option(names = "--model", paramLabel = "NAME", description = "A live judge: the served model name.")
  private String model;

  @Option(
      names = "--api-key-env",
      paramLabel = "VAR",
      description = "A live judge: the environment variable that holds its API key (never the key itself).")
  private String apiKeyEnv;

  @Option(
      names = "--kind",
      paramLabel = "pairwise|absolute",
      description = "Pairwise verdicts or absolute scores (default: what the replay answers, else pairwise).")
  private String kind;

  @Option(names = "--template", paramLabel = "FILE", description = "Grading template (default configs/templates/<kind>.yaml).")
  private Path template;

  @Option(
      names = "--rubric",
      paramLabel = "FILE",
      description =
          "Rubric for absolute judging (default configs/rubrics/helpfulness.yaml; llmbar-rating.yaml, 0-9, when"
              + " replaying an LLMBar rating strategy).")
  private Path rubric;

  @Option(
      names = "--orders",
      paramLabel = "both|one",
      description = "Judge each pair in both orders or output 1 first only (default both; one for a PandaLM replay).")
  private String orders;

  @Option(
      names = "--parse",
      paramLabel = "RULE",
      defaultValue = "assay",
      description =
          "How verdicts are read: assay (default, the judge's own parser), or LLMBar's first-match rule: llmbar (the"
              + " replayed strategy's), llmbar-cot, llmbar-line, llmbar-swap.")
  private String parse;

  @Option(
      names = "--min-accuracy",
      paramLabel = "X",
      description = "Exit 1 when the pooled accuracy on decisive gold items is below X (in [0, 1]).")
  private Double minAccuracy;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "1024", description = "Judge completion limit (default 1024).")
  private int maxTokens;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the judge requests (default 42).")
  private long seed;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Keep the ledger and judgments here, so a rerun sends nothing again (default: a temporary folder).")
  private Path work;

  @Option(names = "--json", description = "Print the result as JSON (sorted keys) instead of text.")
  private boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReplaySource source;
    ReplayIndex index = null;
    QualificationSpec qspec;
    JudgeDefinition judge;
    BackendProvider backend;
    try {
      if ((replay == null) == (baseUrl == null)) {
        throw new IllegalArgumentException("give either --replay SOURCE or --base-url URL with --model NAME");
      }
      if (replay != null && (model != null || apiKeyEnv != null)) {
        throw new IllegalArgumentException("--model and --api-key-env name a live judge: they go with --base-url, not --replay");
      }
      source = replay == null ? null : ReplaySource.parse(replay);
      String strategy = source instanceof LlmBarReplay l ? l.strategy() : null;
      ParseRule rule = ParseRule.parse(parse, strategy);
      if (source != null) {
        ReplayProvider provider = new ReplayProvider(source);
        index = provider.backend().index();
        backend = provider;
      } else {
        if (model == null) {
          throw new IllegalArgumentException("--base-url needs --model");
        }
        EndpointConfig endpoint =
            new EndpointConfig(baseUrl, model, apiKeyEnv, null, null, null, null, null, null, null, null, null, null, null, null);
        backend = new SharedEndpoint("judge", endpoint);
      }
      JudgmentKind judgeKind = kind != null ? kind(kind) : index != null ? index.kind() : JudgmentKind.PAIRWISE;
      boolean both = orders == null ? !(source instanceof PandaLmReplay) : orders(orders);
      qspec = new QualificationSpec(set, both, rule, minAccuracy, seed);
      LabelledSet.read(set); // a bad set is bad usage, reported before anything is judged
      judge = judge(judgeKind, index != null ? index.modelId() : model, source instanceof LlmBarReplay);
    } catch (IllegalArgumentException | InputException e) {
      return Commands.fail(err, e.getMessage());
    }
    if (index != null) {
      err.println(index.notice());
      err.flush();
    }
    QualificationResult result;
    Path dir = work;
    try {
      dir = work != null ? work : Files.createTempDirectory("assay-qualify");
      result = Qualification.run(qspec, judge, backend, dir, index == null ? null : index.notice(), RunnerChoice.direct().options());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InputException e) {
      return Commands.fail(err, e.getMessage());
    } finally {
      if (work == null && dir != null) {
        Commands.deleteScratch(dir);
      }
      if (source == null) {
        Endpoints.closeAll();
      }
    }
    out.print(json ? Json.pretty(result) : QualificationReportText.render(result));
    out.flush();
    if (!result.meetsGate()) {
      err.println("assay: " + result.gate().line());
      err.flush();
      return Main.GATE_FAILED;
    }
    return Main.OK;
  }

  private JudgeDefinition judge(JudgmentKind judgeKind, String modelId, boolean llmbar) {
    boolean absolute = judgeKind == JudgmentKind.ABSOLUTE;
    PromptTemplate t =
        PromptTemplate.load(template != null ? template : ProjectHome.resolve(Path.of("configs/templates/" + judgeKind.wire() + ".yaml")));
    Rubric r = null;
    if (absolute) {
      String dflt = llmbar ? "configs/rubrics/llmbar-rating.yaml" : "configs/rubrics/helpfulness.yaml";
      r = Rubric.load(rubric != null ? rubric : ProjectHome.resolve(Path.of(dflt)));
    } else if (rubric != null) {
      r = Rubric.load(rubric);
    }
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("--max-tokens must be > 0");
    }
    return new JudgeDefinition("judge", "judge", modelId, judgeKind, 1, 0.0, maxTokens, ReferenceMode.NONE, t, r, null);
  }

  private static JudgmentKind kind(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "pairwise" -> JudgmentKind.PAIRWISE;
      case "absolute" -> JudgmentKind.ABSOLUTE;
      default -> throw new IllegalArgumentException("--kind must be pairwise or absolute, not '" + name + "'");
    };
  }

  private static boolean orders(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "both" -> true;
      case "one" -> false;
      default -> throw new IllegalArgumentException("--orders must be both or one, not '" + name + "'");
    };
  }
}
