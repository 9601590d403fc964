package dev.assay.cli;

import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.qualification.LabelledSet;
import dev.assay.qualification.filters.AuditedFilter;
import dev.assay.qualification.filters.FilterAudit;
import dev.assay.qualification.filters.FilterAuditResult;
import dev.assay.qualification.filters.FilterAuditText;
import dev.assay.qualification.filters.VoterVerdicts;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay audit-filters}: the filter audit on gold labels ({@link FilterAudit}) over a published data set whose
 * judges are replayed as voters through Assay's own judging and consensus.
 *
 * <p>Presets: {@code pandalm DIR} (PandaLM's {@code testset-v1.json} against the human majority; voters GPT-3.5 and
 * PandaLM-7B, one order as published; filter: consensus) and {@code llmbar DIR} (LLMBar natural's {@code
 * dataset.json}; voters GPT-4, ChatGPT and LLaMA2 under {@code --strategy}, both orders; filters: consensus, position
 * consistency, and consistency on consensus's output). Prints text, or JSON with sorted keys ({@code --json}); the
 * replays' notices go first, and to the error writer. Exit codes: 0 success; 2 bad usage or a data folder that
 * cannot be read ({@code assay: <message>}).
 */
@Command(
    name = "audit-filters",
    sortOptions = false,
    description = {
      "Audit Assay's filters on gold labels: replay published judges as voters through Assay's judging and consensus,"
          + " and report for every filter and every voter as the primary the items kept and rejected, the accuracy of"
          + " each against gold, and the gain over the filter's input and over the unfiltered set with a bootstrap"
          + " 95% interval.",
      "Exit codes: 0 success, 2 bad usage or bad input."
    })
public final class AuditFiltersCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Parameters(index = "0", paramLabel = "PRESET", description = "pandalm or llmbar.")
  private String preset;

  @Parameters(
      index = "1",
      paramLabel = "DIR",
      description = "The data folder: PandaLM's (testset-v1.json and the two judges' files) or LLMBar natural's (dataset.json, evaluators/).")
  private Path dir;

  @Option(
      names = "--strategy",
      paramLabel = "NAME",
      defaultValue = "Swap",
      description = "llmbar: the prompting strategy whose published answers each evaluator replays (default Swap; a pairwise one).")
  private String strategy;

  @Option(names = "--k", paramLabel = "K", description = "Consensus: voters that must agree with the primary (default: all of PandaLM's 2, 2 of LLMBar's 3).")
  private Integer k;

  @Option(names = "--c", paramLabel = "C", defaultValue = "0.6", description = "Consensus: the smallest preference that counts as a vote (default 0.6).")
  private double c;

  @Option(names = "--replicates", paramLabel = "N", defaultValue = "2000", description = "Bootstrap replicates per interval (default 2000).")
  private int replicates;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the judge requests and the bootstrap (default 42).")
  private long seed;

  @Option(names = "--work", paramLabel = "DIR", description = "Keep the voters' ledgers and judgments here (default: a temporary folder).")
  private Path work;

  @Option(names = "--json", description = "Print the result as JSON (sorted keys) instead of text.")
  private boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LabelledSet set;
    Map<String, ReplaySource> sources = new LinkedHashMap<>();
    List<AuditedFilter> filters;
    boolean both;
    int votersK;
    try {
      switch (preset.strip().toLowerCase(Locale.ROOT)) {
        case "pandalm" -> {
          Path testset = dir.resolve("testset-v1.json");
          set = LabelledSet.pandalm(testset);
          sources.put("gpt-3.5", new PandaLmReplay(testset.toString(), dir.resolve("gpt-3.5-turbo-testset-v1.json").toString()));
          sources.put("pandalm-7b", new PandaLmReplay(testset.toString(), dir.resolve("pandalm-7b-testset-v1.json").toString()));
          filters = List.of(AuditedFilter.CONSENSUS);
          both = false;
          votersK = k != null ? k : 2;
        }
        case "llmbar" -> {
          set = LabelledSet.llmbar(dir.resolve("dataset.json"));
          for (String evaluator : List.of("GPT-4", "ChatGPT", "LLaMA2")) {
            sources.put(evaluator, new LlmBarReplay(dir.resolve("evaluators").resolve(evaluator).resolve(strategy).toString()));
          }
          filters = List.of(AuditedFilter.CONSENSUS, AuditedFilter.CONSISTENCY, AuditedFilter.CONSENSUS_THEN_CONSISTENCY);
          both = true;
          votersK = k != null ? k : 2;
        }
        default -> throw new IllegalArgumentException("PRESET must be pandalm or llmbar, not '" + preset + "'");
      }
      if (replicates < 1) {
        throw new IllegalArgumentException("--replicates must be >= 1");
      }
    } catch (IllegalArgumentException | InputException e) {
      return Commands.fail(err, e.getMessage());
    }
    List<FilterAudit.Voter> voters = new ArrayList<>();
    List<String> notices = new ArrayList<>();
    try {
      PromptTemplate template = PromptTemplate.load(ProjectHome.resolve(Path.of("configs/templates/pairwise.yaml")));
      for (Map.Entry<String, ReplaySource> s : sources.entrySet()) {
        ReplayProvider provider = new ReplayProvider(s.getValue());
        ReplayIndex index = provider.backend().index();
        if (index.kind() != JudgmentKind.PAIRWISE) {
          throw new IllegalArgumentException(
              index.name() + " publishes " + index.kind().wire() + " judgments; --strategy must name a pairwise strategy");
        }
        notices.add(index.notice());
        JudgeDefinition judge =
            new JudgeDefinition("judge", "judge", index.modelId(), JudgmentKind.PAIRWISE, 1, 0.0, 1024, ReferenceMode.NONE, template, null, null);
        voters.add(new FilterAudit.Voter(s.getKey(), judge, provider));
      }
    } catch (IllegalArgumentException | InputException e) {
      return Commands.fail(err, e.getMessage());
    }
    for (String n : notices) {
      err.println(n);
    }
    err.flush();
    FilterAuditResult result;
    Path folder = work;
    try {
      folder = work != null ? work : Files.createTempDirectory("assay-audit-filters");
      List<VoterVerdicts> verdicts = FilterAudit.judge(set, voters, both, seed, folder, RunnerChoice.direct().options());
      result = FilterAudit.audit(preset.strip().toLowerCase(Locale.ROOT) + ":" + dir, set.items(), verdicts, filters,
          new FilterAudit.Options(votersK, c, replicates, seed, 0.95), notices);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | InputException e) {
      return Commands.fail(err, e.getMessage());
    } finally {
      if (work == null && folder != null) {
        Commands.deleteScratch(folder);
      }
    }
    out.print(json ? Json.pretty(result) : FilterAuditText.render(result));
    out.flush();
    return Main.OK;
  }
}
