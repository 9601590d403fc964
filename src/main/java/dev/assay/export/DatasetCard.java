package dev.assay.export;

import dev.assay.curation.rationalization.PositionBalance;
import dev.assay.ranking.RankingSummary;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.io.Json;
import dev.assay.run.FilterGains;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;

/**
 * The dataset card {@code export/README.md}: Markdown a person reads before training on the export.
 *
 * <p>Sections (each a {@code ##} heading; tests check they are all present): Counts, Files and how to load them,
 * Metadata sidecar, Filters, Score distributions, Label smoothing, Inputs, How it was made, Notes; a simulated run's card
 * also has "What each filter gained" (the manifest's {@code filter_gains}) after Filters. Everything is read
 * from the run (manifest, pairs, SFT, {@code rejected/}) and the exports' metrics; nothing is invented: a missing
 * value is printed as such ("unknown — fill in", "not measured"). Deterministic for the same inputs.
 */
public final class DatasetCard {
  static final List<String> SECTIONS =
      List.of(
          "## Counts",
          "## Files and how to load them",
          "## Metadata sidecar",
          "## Filters",
          "## Score distributions",
          "## Label smoothing",
          "## Inputs",
          "## How it was made",
          "## Notes");
  private static final int BAR = 40;

  private DatasetCard() {}

  /**
   * Where the plain export puts a split (or the {@code metadata} sidecar): {@code <format>/<split>.jsonl}, or
   * {@code .parquet} for the splits of a format exported as Parquet.
   */
  public static BiFunction<String, String, String> exportLayout(Map<String, ExportMetrics> exports) {
    return (format, split) -> format + "/" + split + "." + FileFormat.extension(exports, format, split);
  }

  /** The card's Markdown for the plain export folder ({@link #exportLayout}). */
  public static String render(
      RunInputs in, LabelSmoothing smoothing, Map<String, ExportMetrics> exports, Map<String, Map<String, Long>> rejected) {
    return render(in, smoothing, exports, rejected, exportLayout(exports));
  }

  /**
   * The card's Markdown: YAML front matter ({@link CardMetadata}) whose configs point where {@code layout} says a
   * (format, split) lies, relative to the card, then the sections.
   */
  public static String render(
      RunInputs in,
      LabelSmoothing smoothing,
      Map<String, ExportMetrics> exports,
      Map<String, Map<String, Long>> rejected,
      BiFunction<String, String, String> layout) {
    JsonNode m = in.manifest();
    StringBuilder sb = new StringBuilder(CardMetadata.frontMatter(in, exports, layout)).append('\n');
    String recipe = m.path("recipe").asText("unknown recipe");
    sb.append("# ").append(recipe).append(": Assay dataset card\n\n");
    sb.append("Run `").append(in.runId()).append("` (recipe `").append(recipe).append("`, status `")
        .append(m.path("status").asText("unknown")).append("`), written by `./assay export`");
    String version = m.path("versions").path("assay").asText("");
    if (!version.isEmpty()) {
      sb.append(" (Assay ").append(version).append(')');
    }
    sb.append(".\n\n");
    sb.append(provenanceLine(m)).append("\n\n");
    if (!m.path("status").asText("").equals("complete")) {
      sb.append("> **Warning:** the run's status is `").append(m.path("status").asText("unknown"))
          .append("`, not `complete`: this export may hold only part of what the run would have produced.\n\n");
    }

    counts(sb, in, exports);
    files(sb, exports, layout);
    sidecar(sb, exports, layout);
    filters(sb, m, rejected);
    filterGains(sb, m);
    scores(sb, in.pairs());
    smoothing(sb, smoothing);
    ranking(sb, in);
    positionBalance(sb, in);
    inputs(sb, m);
    made(sb, m, exports);
    notes(sb, m);
    return sb.toString();
  }

  /** The one line that says whether a simulator made the data, from the manifest's notes. */
  static String provenanceLine(JsonNode manifest) {
    for (JsonNode n : manifest.path("notes")) {
      // Written by the pipeline's preflight for a run that mixed simulated and real endpoints (allow_simulated).
      if (n.asText("").startsWith("simulated endpoints: ")) {
        return "> **Partly simulated data.** The manifest says: \"" + n.asText() + "\". Those endpoints were"
            + " served by Assay's embedded simulator, the others by real models: what they produced is not a real"
            + " model's output.";
      }
    }
    String note = CardMetadata.simulatorNote(manifest);
    if (note != null) {
      return "> **Simulated data.** The manifest says: \"" + note + "\". Responses and judgments came from"
          + " Assay's embedded simulator, not from a real model: use this export to test a training setup, not to"
          + " train a model you ship.";
    }
    return "Data source: real model endpoints or imported judgments (the manifest has no simulator note).";
  }

  private static void counts(StringBuilder sb, RunInputs in, Map<String, ExportMetrics> exports) {
    sb.append("## Counts\n\n");
    Map<String, Long> kinds = new TreeMap<>();
    TreeSet<Integer> iterations = new TreeSet<>();
    for (PreferencePair p : in.pairs()) {
      kinds.merge(p.kind(), 1L, Long::sum);
      iterations.add(p.iteration());
    }
    in.sft().forEach(e -> iterations.add(e.iteration()));
    if (in.pairsSha256() == null) {
      sb.append("- Preference pairs: none (the run has no `").append(RunInputs.PAIRS).append("`)\n");
    } else {
      sb.append("- Preference pairs: ").append(in.pairs().size());
      if (!kinds.isEmpty()) {
        sb.append(" (");
        String sep = "";
        for (var e : kinds.entrySet()) {
          sb.append(sep).append(e.getKey()).append(": ").append(e.getValue());
          sep = ", ";
        }
        sb.append(')');
      }
      sb.append(", from `").append(RunInputs.PAIRS).append("` (sha256 `").append(in.pairsSha256()).append("`)\n");
    }
    if (in.sftSha256() == null) {
      sb.append("- SFT examples: none (the run has no `").append(RunInputs.SFT).append("`)\n");
    } else {
      sb.append("- SFT examples: ").append(in.sft().size()).append(", from `").append(RunInputs.SFT)
          .append("` (sha256 `").append(in.sftSha256()).append("`)\n");
    }
    if (!iterations.isEmpty()) {
      sb.append("- Iteration(s): ").append(iterations).append('\n');
    }
    sb.append('\n');
    sb.append("| format | records | train | test | train rows | test rows | test fraction | seed | system messages dropped |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    for (ExportMetrics e : exports.values()) {
      sb.append("| `").append(e.format()).append("` | ").append(e.records()).append(" | ").append(e.trainRecords())
          .append(" | ").append(e.testRecords()).append(" | ").append(e.trainRows()).append(" | ").append(e.testRows())
          .append(" | ").append(num(e.testFraction())).append(" | ").append(e.seed()).append(" | ")
          .append(e.systemMessagesDropped()).append(" |\n");
    }
    sb.append("\nSplit: a record is in `test.jsonl` when SHA-256 of `\"<seed>:<id>\"`, read as a fraction in [0, 1), is"
        + " below the test fraction (pairs by pair id: both KTO rows of a pair share a side). The side depends only"
        + " on the id and the seed, so the same id lands on the same side in every format and every iteration that"
        + " uses the same seed; the test share is the fraction in expectation, not exactly.\n\n");
  }

  private static void files(StringBuilder sb, Map<String, ExportMetrics> exports, BiFunction<String, String, String> layout) {
    sb.append("## Files and how to load them\n\n");
    if (!exports.isEmpty()) {
      String first = CardMetadata.defaultConfig(exports.keySet());
      sb.append("The front matter above names every format as a `datasets` config (default `").append(first)
          .append("`), so the folder loads by name, locally or as a Hub repository:\n\n```python\n")
          .append("from datasets import load_dataset\n")
          .append("ds = load_dataset(\"path/to/this/folder\", \"").append(first).append("\")  # or a Hub repo id\n")
          .append("```\n\n");
    }
    sb.append("Every row has a string `id` (the join key of the sidecar). TRL's trainers drop columns they do not use:"
        + " `DPOTrainer` removes unused columns by default (`remove_unused_columns=True`, TRL PR #2233) and"
        + " `SFTTrainer` maps the dataset with `remove_columns` (TRL PR #1188); `KTOTrainer` sets"
        + " `remove_unused_columns=False` and its collator passes a string column through as a list that the loss"
        + " never reads; OpenRLHF's datasets map with `remove_columns=dataset.column_names`. If a trainer or an older"
        + " version rejects the extra column,"
        + " drop it after joining: `ds = ds.remove_columns(\"id\")`; the sidecar keeps the same `id`.\n\n");
    for (ExportMetrics e : exports.values()) {
      String f = e.format();
      sb.append("### `").append(f).append("`\n\n");
      sb.append(describe(f)).append("\n\n");
      sb.append(load(f, layout)).append('\n');
    }
    if (exports.isEmpty()) {
      sb.append("(no format exported yet)\n\n");
    }
  }

  static String describe(String format) {
    return switch (format) {
      case "trl" -> "TRL preference, standard format, explicit prompt: `{\"chosen\": str, \"id\": str, \"prompt\": str,"
          + " \"rejected\": str}`. Strings are used as they are (TRL applies no chat template to a standard"
          + " dataset); a system message cannot be carried and was dropped. For chat models prefer"
          + " `trl-conversational`.";
      case "trl-conversational" -> "TRL preference, conversational format, explicit prompt: `prompt` is a list of"
          + " `{\"content\", \"role\"}` messages (`system` first when there is one, then `user`); `chosen` and"
          + " `rejected` are lists of one `assistant` message. `DPOTrainer` applies the model's chat template.";
      case "openrlhf" -> "OpenRLHF reward-model / DPO pairs: `prompt` (system? + user messages), `chosen` and"
          + " `rejected` (one assistant message each), for `--apply_chat_template`. No `margin` column on purpose:"
          + " OpenRLHF would read it as the reward model's margin-loss target; the margin is in the sidecar.";
      case "kto" -> "TRL unpaired preference (KTOTrainer, BCOTrainer), standard format: `{\"completion\": str, \"id\":"
          + " str, \"label\": bool, \"prompt\": str}`; each pair gives a desirable row (chosen, `label: true`, id"
          + " `<pair>/chosen`) and an undesirable row (rejected, `label: false`, id `<pair>/rejected`), balanced 1:1."
          + " From TRL 0.29 KTO lives in `trl.experimental.kto` (TRL's v0-to-v1 migration guide).";
      case "sft" -> "TRL SFT, conversational language modeling: `{\"id\": str, \"messages\": [system?, user,"
          + " assistant]}`.";
      case "sft-prompt-completion" -> "TRL SFT, standard prompt-completion: `{\"completion\": str, \"id\": str,"
          + " \"prompt\": str}`; `SFTTrainer` trains on the completion only by default. A system message cannot be"
          + " carried and was dropped.";
      default -> "";
    };
  }

  private static String load(String f, BiFunction<String, String, String> layout) {
    String train = layout.apply(f, "train");
    String test = layout.apply(f, "test");
    String files = "data_files={\"train\": \"" + train + "\", \"test\": \"" + test + "\"}";
    String builder = train.endsWith(".parquet") ? "parquet" : "json";
    String datasets = "```python\nfrom datasets import load_dataset\nds = load_dataset(\"" + builder + "\", " + files + ")\n";
    return switch (f) {
      case "trl", "trl-conversational" -> datasets
          + "trainer = DPOTrainer(model=..., args=DPOConfig(...), train_dataset=ds[\"train\"], eval_dataset=ds[\"test\"])\n```\n";
      case "kto" -> datasets
          + "trainer = KTOTrainer(model=..., args=KTOConfig(...), train_dataset=ds[\"train\"], eval_dataset=ds[\"test\"])\n```\n";
      case "sft", "sft-prompt-completion" -> datasets
          + "trainer = SFTTrainer(model=..., args=SFTConfig(...), train_dataset=ds[\"train\"], eval_dataset=ds[\"test\"])\n```\n";
      case "openrlhf" -> "```sh\ndeepspeed --module openrlhf.cli.train_dpo \\\n  --dataset " + train
          + " --eval_dataset " + test + " \\\n  --prompt_key prompt --chosen_key chosen --rejected_key rejected"
          + " --apply_chat_template \\\n  --label_smoothing <see Label smoothing> ...\n"
          + "# reward model: openrlhf.cli.train_rm with the same dataset flags\n```\n";
      default -> "";
    };
  }

  private static void sidecar(StringBuilder sb, Map<String, ExportMetrics> exports, BiFunction<String, String, String> layout) {
    String meta = layout.apply("<format>", "metadata");
    sb.append("## Metadata sidecar\n\n");
    sb.append("`").append(meta).append("` has one line per row of the format's train and test files, with the same `id`"
        + " (a 1:1 join) and the columns a trainer would drop. Preference formats: `pair_id`, `side` (KTO: `chosen` or"
        + " `rejected`), `split`, `kind` (`policy` or `judge`), `prompt_id`, `chosen_id`, `rejected_id`,"
        + " `chosen_score`, `rejected_score`, `margin`, `consistency` (per-prompt C(x), absent when not measured),"
        + " `agreed_models`, `agreement` (each voter's probability for the chosen side), `iteration`, `run_id`,"
        + " `system_dropped` (present and true when the format dropped a system message). SFT formats: `split`,"
        + " `kind`, `prompt_id`, `score`, `iteration`, `run_id`, `system_dropped`.\n\n");
    sb.append("```python\nimport pandas as pd\nrows = pd.read_json(\"").append(layout.apply("<format>", "train"))
        .append("\", lines=True)\nmeta = pd.read_json(\"").append(meta)
        .append("\", lines=True)\nrows.merge(meta, on=\"id\", validate=\"one_to_one\")\n```\n\n");
    exports.values().stream().filter(e -> e.fileFormat() == FileFormat.PARQUET).findFirst().ifPresent(e -> sb
        .append("Splits exported as Parquet (").append(exports.values().stream()
            .filter(x -> x.fileFormat() == FileFormat.PARQUET).map(x -> "`" + x.format() + "`")
            .collect(java.util.stream.Collectors.joining(", ")))
        .append(") hold the same rows; every column is `required` (never null) and message lists are"
            + " `list<struct<content: string, role: string>>`. Read one with `pd.read_parquet(\"")
        .append(layout.apply(e.format(), "train")).append("\")`.\n\n"));
    long total = exports.values().stream().mapToLong(ExportMetrics::metadataRows).sum();
    sb.append("Sidecar lines written: ").append(total).append(" in all.\n\n");
  }

  private static void filters(StringBuilder sb, JsonNode m, Map<String, Map<String, Long>> rejected) {
    sb.append("## Filters\n\n");
    sb.append("Every stage of the run, from the manifest (`in = out + rejected + failed`):\n\n");
    JsonNode stages = m.path("stages");
    if (!stages.isObject() || stages.size() == 0) {
      sb.append("(the manifest records no stages)\n\n");
    } else {
      sb.append("| stage | in | out | removed (rejected) | failed | reasons |\n|---|---|---|---|---|---|\n");
      for (var e : stages.properties()) {
        JsonNode s = e.getValue();
        StringBuilder reasons = new StringBuilder();
        for (var re : s.path("reasons").properties()) {
          reasons.append(reasons.length() == 0 ? "" : ", ").append(re.getKey()).append(' ').append(re.getValue().asText());
        }
        sb.append("| `").append(e.getKey()).append("` | ").append(s.path("in").asText("?")).append(" | ")
            .append(s.path("out").asText("?")).append(" | ").append(s.path("rejected").asText("?")).append(" | ")
            .append(s.path("failed").asText("?")).append(" | ").append(reasons.length() == 0 ? "" : reasons)
            .append(" |\n");
      }
      sb.append('\n');
    }
    sb.append("Records in `rejected/`, by reason code:\n\n");
    if (rejected.isEmpty()) {
      sb.append("(the run has no `rejected/` records)\n\n");
    } else {
      sb.append("| file | reason | records |\n|---|---|---|\n");
      for (var f : rejected.entrySet()) {
        for (var r : f.getValue().entrySet()) {
          sb.append("| `rejected/").append(f.getKey()).append("` | `").append(r.getKey()).append("` | ")
              .append(r.getValue()).append(" |\n");
        }
      }
      sb.append('\n');
    }
  }

  /**
   * What each pair filter gained in truly-better rate, with its interval and flag, and consistency's filter mode
   * against report mode: the manifest's {@code filter_gains} (simulated runs only; a run without it has no section,
   * so cards of real runs do not change).
   */
  private static void filterGains(StringBuilder sb, JsonNode m) {
    JsonNode node = m.get("filter_gains");
    if (node == null || !node.isObject()) {
      return;
    }
    FilterGains g;
    try {
      g = Json.mapper().treeToValue(node, FilterGains.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the manifest's filter_gains does not parse: " + e.getOriginalMessage(), e);
    }
    sb.append("## What each filter gained\n\n").append(g.caption()).append("\n\n");
    markdown(sb, FilterGains.headers(), g.cells());
    List<FilterGains.Row> flagged = g.flagged();
    if (flagged.isEmpty()) {
      sb.append("Every filter that removed pairs has a gain whose interval lies above zero.\n\n");
    } else {
      sb.append("Flagged:\n\n");
      for (FilterGains.Row r : flagged) {
        sb.append("- **").append(r.filter()).append("**: ").append(r.flag()).append(" (gain over its input ")
            .append(FilterGains.points(r.gainOverInput())).append(" points).\n");
      }
      sb.append('\n');
    }
    if (!g.consistencyModes().isEmpty()) {
      sb.append("Consistency, filter mode against report mode (filter mode drops the prompts below the threshold;"
          + " report mode keeps them and hands the trainer each pair's C(x), the sidecar's `consistency`, and the"
          + " set-level `label_smoothing`, as CREAM trains; the loss weight on the better side is the share of the DPO"
          + " label weight pointing the right way under that smoothing):\n\n");
      markdown(sb, FilterGains.modeHeaders(), g.modeCells());
    }
  }

  private static void markdown(StringBuilder sb, List<String> headers, List<List<String>> rows) {
    sb.append("| ").append(String.join(" | ", headers)).append(" |\n|");
    sb.append("---|".repeat(headers.size())).append('\n');
    for (List<String> row : rows) {
      sb.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    sb.append('\n');
  }

  private static void scores(StringBuilder sb, List<PreferencePair> pairs) {
    sb.append("## Score distributions\n\n");
    if (pairs.isEmpty()) {
      sb.append("(no preference pairs)\n\n");
      return;
    }
    histogram(sb, "Chosen score", pairs, PreferencePair::chosenScore);
    histogram(sb, "Rejected score", pairs, PreferencePair::rejectedScore);
    histogram(sb, "Margin (primary reward model, chosen - rejected)", pairs, PreferencePair::margin);
  }

  private static void histogram(StringBuilder sb, String title, List<PreferencePair> pairs, ToDoubleFunction<PreferencePair> f) {
    double[] v = pairs.stream().mapToDouble(f).sorted().toArray();
    double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
    sb.append("**").append(title).append("**: n ").append(v.length).append(", min ").append(num(v[0]))
        .append(", median ").append(num(median(v))).append(", mean ").append(num(mean)).append(", max ")
        .append(num(v[v.length - 1])).append("\n\n```\n");
    for (String line : bins(v)) {
      sb.append(line).append('\n');
    }
    sb.append("```\n\n");
  }

  /**
   * Text histogram lines: one bin when all values are equal, one bin per integer when they are small integers, else
   * 10 equal-width bins.
   */
  static List<String> bins(double[] sorted) {
    double min = sorted[0];
    double max = sorted[sorted.length - 1];
    boolean integers = java.util.Arrays.stream(sorted).allMatch(x -> x == Math.rint(x)) && max - min <= 20;
    List<String> labels = new ArrayList<>();
    long[] counts;
    if (min == max) {
      // One value: ten empty zero-width bins would say nothing.
      counts = new long[] {sorted.length};
      labels.add(num(min));
    } else if (integers) {
      int n = (int) (max - min) + 1;
      counts = new long[n];
      for (double x : sorted) {
        counts[(int) (x - min)]++;
      }
      for (int i = 0; i < n; i++) {
        labels.add(num(min + i));
      }
    } else {
      int n = 10;
      counts = new long[n];
      double width = (max - min) / n;
      for (double x : sorted) {
        int b = width == 0 ? 0 : (int) Math.min(n - 1, Math.floor((x - min) / width));
        counts[b]++;
      }
      for (int i = 0; i < n; i++) {
        double lo = min + i * width;
        labels.add("[" + num(lo) + ", " + num(i == n - 1 ? max : lo + width) + (i == n - 1 ? "]" : ")"));
      }
    }
    long top = java.util.Arrays.stream(counts).max().orElse(1);
    int labelWidth = labels.stream().mapToInt(String::length).max().orElse(1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      int bar = top == 0 ? 0 : (int) Math.round((double) counts[i] * BAR / top);
      out.add(String.format(Locale.ROOT, "%-" + labelWidth + "s | %-" + BAR + "s %d", labels.get(i), "#".repeat(bar), counts[i]));
    }
    return out;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void smoothing(StringBuilder sb, LabelSmoothing s) {
    sb.append("## Label smoothing\n\n");
    if (s.value() == null) {
      sb.append("`label_smoothing`: not measured (").append(s.source()).append("). Without a consistency measure there"
          + " is no principled smoothing; train with the trainer's default (0).\n\n");
    } else {
      sb.append("`label_smoothing = 1 - C = ").append(num(s.value())).append("` (C = ").append(num(s.consistency()))
          .append("), from ").append(s.source()).append(".\n\n");
      if (s.value() > 0.5) {
        sb.append("> **Warning:** C < 0.5: the two iterations' rankings disagree more often than they agree. A"
            + " smoothing above 0.5 would reverse the preferences and trainers cap it at 0.5; do not train on this"
            + " set without looking at the consistency report.\n\n");
      }
    }
    sb.append("CREAM's consistency-regularised loss `C * -log sig(beta h) + (1 - C) * -log sig(-beta h)` is"
        + " conservative DPO (cDPO) with `epsilon = 1 - C`. Who honours it:\n\n");
    sb.append("- **OpenRLHF**: `openrlhf.cli.train_dpo --label_smoothing <value>` (cDPO on the sigmoid loss).\n");
    sb.append("- **TRL up to 0.28**: `DPOConfig(loss_type=\"sigmoid\", label_smoothing=<value>)` is cDPO.\n");
    sb.append("- **TRL 0.29 and 1.x**: the refactored DPO trainer's documentation lists `label_smoothing` only for"
        + " `loss_type=\"robust\"` (Robust DPO: label-flip probability, at most 0.5; an unbiased correction, not the"
        + " same loss as cDPO) and `\"exo_pair\"`; it no longer documents it for `\"sigmoid\"`. Check your version's"
        + " `DPOConfig` before relying on it, or pin TRL 0.28 for cDPO.\n");
    sb.append("- **Per-pair weights** (the sidecar's per-prompt `consistency`): no stock trainer reads them; they need a"
        + " custom loss (e.g. a `DPOTrainer` subclass that weights each pair's loss).\n");
    sb.append("- KTO and SFT exports: not applicable.\n\n");
  }

  private static void inputs(StringBuilder sb, JsonNode m) {
    sb.append("## Inputs\n\n");
    String licence = licence(m);
    CardMetadata.HubLicense hub = CardMetadata.HubLicense.of(CardMetadata.inputLicence(m));
    sb.append("Licence of the inputs (the recipe's `input.license`): ").append(licence).append("; in the front matter `")
        .append(hub.id()).append('`').append(hub.name() == null ? "" : " with `license_name: " + hub.name() + "`")
        .append(hub.id().equals("unknown") ? " (the recipe names none: set `input.license` and export again)" : "")
        .append(".\n\n");
    String terms = CardMetadata.outputTerms(m);
    sb.append("Terms of the model outputs (the recipe's `output_terms`, e.g. the serving model's licence): ")
        .append(terms == null ? "unknown — fill in (set `output_terms` in the recipe)" : terms).append(".\n\n");
    JsonNode inputs = m.path("inputs");
    if (!inputs.isArray() || inputs.size() == 0) {
      sb.append("(the manifest lists no input files)\n\n");
    } else {
      sb.append("| input | sha256 | bytes | licence |\n|---|---|---|---|\n");
      for (JsonNode f : inputs) {
        sb.append("| `").append(f.path("path").asText("?")).append("` | `").append(f.path("sha256").asText("?"))
            .append("` | ").append(f.path("bytes").asText("?")).append(" | ").append(licence).append(" |\n");
      }
      sb.append('\n');
    }
    JsonNode configs = m.path("config_files");
    if (configs.isArray() && configs.size() > 0) {
      sb.append("Configuration files (recipe, includes, templates, rubrics):\n\n| file | sha256 |\n|---|---|\n");
      for (JsonNode f : configs) {
        sb.append("| `").append(f.path("path").asText("?")).append("` | `").append(f.path("sha256").asText("?"))
            .append("` |\n");
      }
      sb.append('\n');
    }
  }

  /** The input licence from the recipe ({@code input.license} or {@code input.licence}), else a prompt to fill in. */
  static String licence(JsonNode m) {
    String text = CardMetadata.inputLicence(m);
    return text == null ? "unknown — fill in" : text;
  }

  private static void made(StringBuilder sb, JsonNode m, Map<String, ExportMetrics> exports) {
    sb.append("## How it was made\n\n");
    String command = m.path("command").asText("");
    sb.append("The run:\n\n```\n").append(command.isBlank() ? "(the manifest records no command)" : command)
        .append("\n```\n\n");
    sb.append("The exports:\n\n```\n");
    for (ExportMetrics e : exports.values()) {
      sb.append(e.command().isBlank() ? "(export of " + e.format() + ": command not recorded)" : e.command()).append('\n');
    }
    sb.append("```\n\n");
    sb.append("Run seed: ").append(m.path("seed").asText("unknown"));
    String configHash = m.path("config_hash").asText("");
    if (!configHash.isEmpty()) {
      sb.append("; config hash `").append(configHash).append('`');
    }
    JsonNode versions = m.path("versions");
    if (versions.isObject() && versions.size() > 0) {
      sb.append("; versions: ");
      String sep = "";
      for (var v : versions.properties()) {
        sb.append(sep).append(v.getKey()).append(' ').append(v.getValue().asText());
        sep = ", ";
      }
    }
    sb.append(".\n\n");
    cost(sb, m.path("costs"));
  }

  /** What the run paid, per stage and per kept pair (the manifest's {@code costs}); nothing when not recorded. */
  private static void cost(StringBuilder sb, JsonNode costs) {
    if (!costs.isObject()) {
      return;
    }
    sb.append("What it cost (fresh requests; replayed ledger answers are free):\n\n");
    sb.append("| stage | endpoint | requests | prompt tokens | completion tokens | cost |\n|---|---|---|---|---|---|\n");
    for (JsonNode s : costs.path("stages")) {
      sb.append("| ").append(s.path("stage").asText()).append(" | ").append(s.path("endpoint").asText())
          .append(" | ").append(s.path("requests").asLong()).append(" | ").append(s.path("prompt_tokens").asLong())
          .append(" | ").append(s.path("completion_tokens").asLong()).append(" | ").append(money(s.path("cost")))
          .append(" |\n");
    }
    sb.append("\nTotal ").append(money(costs.path("cost"))).append(" for ").append(costs.path("kept_pairs").asLong())
        .append(" kept pairs: ").append(money(costs.path("cost_per_kept_pair"))).append(" per kept pair.\n\n");
  }

  private static String money(JsonNode v) {
    return v.isNumber() ? String.format(java.util.Locale.ROOT, "$%.6f", v.asDouble()) : "no price set";
  }

  /**
   * Did the policy that wrote these responses beat the previous iteration's? Only for a run with a ranking step
   * ({@code ranking/summary.json}); a run without one has no section, so cards of single iterations do not change.
   */
  private static void ranking(StringBuilder sb, RunInputs in) {
    RankingSummary r = in.runDir() == null ? null : RankingSummary.read(new dev.assay.run.RunDirectory(in.runDir()));
    if (r == null) {
      return;
    }
    sb.append("## Policy ranking\n\n");
    sb.append("The policy that wrote these responses (`").append(r.currentPolicy()).append("`) against the previous")
        .append(" iteration's (`").append(r.previousPolicy()).append("`) on the same prompts, judged by `").append(r.judge())
        .append("` (").append(r.model()).append(") in both seat orders, a tie counted as half a win:\n\n");
    sb.append("| figure | value |\n|---|---|\n");
    sb.append("| judgments with a verdict / prompts | ").append(r.ok()).append(" / ").append(r.prompts()).append(" |\n");
    sb.append("| wins / losses / ties | ").append(r.wins()).append(" / ").append(r.losses()).append(" / ").append(r.ties()).append(" |\n");
    sb.append("| P(").append(r.currentPolicy()).append(" beats ").append(r.previousPolicy()).append(") [95% bootstrap over prompts] | ")
        .append(r.winRate() == null ? "n/a" : f3(r.winRate()) + " [" + f3(r.winRateLower()) + ", " + f3(r.winRateUpper()) + "]").append(" |\n");
    sb.append("| Bradley-Terry strength difference [95%] | ")
        .append(r.strengthDifference() == null ? "n/a" : f3(r.strengthDifference()) + " [" + f3(r.strengthLower()) + ", " + f3(r.strengthUpper()) + "]")
        .append(" |\n");
    sb.append("| verdict | ").append(r.verdict()).append(" |\n\n");
  }

  /**
   * The verdict positions of judge-training pairs, for a self-rationalization run ({@code rationalization/balance.json});
   * other runs have no section.
   */
  private static void positionBalance(StringBuilder sb, RunInputs in) {
    PositionBalance b = in.runDir() == null ? null : PositionBalance.read(new dev.assay.run.RunDirectory(in.runDir()));
    if (b == null) {
      return;
    }
    sb.append("## Judge pairs: verdict position balance\n\n");
    if (!b.applicable()) {
      sb.append("Not applicable: `").append(b.judge()).append("` is an absolute judge, whose judgments have no seat (A or B) to balance.\n\n");
      return;
    }
    sb.append("Judge pairs of `").append(b.judge()).append("` whose chosen verdict is \"A is better\" against \"B is better\" ")
        .append(b.enabled()
            ? "(balanced: the larger side loses its excess, a seeded choice, seed " + b.seed() + "):"
            : "(not balanced: `rationalization.balance: false`):")
        .append("\n\n| figure | value |\n|---|---|\n");
    sb.append("| chosen A / B, before | ").append(b.chosenABefore()).append(" / ").append(b.chosenBBefore()).append(" |\n");
    sb.append("| chosen A / B, after | ").append(b.chosenA()).append(" / ").append(b.chosenB()).append(" |\n");
    sb.append("| pairs dropped (`position_balance`) | ").append(b.dropped()).append(" |\n");
    sb.append("| chosen ties (kept, no seat) | ").append(b.chosenTie()).append(" |\n\n");
  }

  private static String f3(Double v) {
    return v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
  }

  private static void notes(StringBuilder sb, JsonNode m) {
    sb.append("## Notes\n\n");
    JsonNode notes = m.path("notes");
    if (!notes.isArray() || notes.size() == 0) {
      sb.append("(the manifest has no notes)\n");
      return;
    }
    for (JsonNode n : notes) {
      sb.append("- ").append(n.asText()).append('\n');
    }
  }

  static String num(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return String.format(Locale.ROOT, "%.0f", x);
    }
    return String.format(Locale.ROOT, "%.4f", x);
  }
}
