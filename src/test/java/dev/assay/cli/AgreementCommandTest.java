package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code agreement} command: options, both output forms, exit codes. Figures are checked by hand. */
class AgreementCommandTest {
  /**
   * Two judges on three pairwise items, one judge run in both orders; keys are (question, turn).
   *
   * <pre>
   *   (q1,1)  gpt/ab A   gpt/ba A   llama B
   *   (q1,2)  gpt/ab B   gpt/ba A   llama B
   *   (q2,1)  gpt/ab tie gpt/ba tie llama tie
   * </pre>
   */
  private static final String JSONL =
      """
      {"question": "q1", "turn": 1, "judge": "gpt/ab", "verdict": "A"}
      {"question": "q1", "turn": 1, "judge": "gpt/ba", "verdict": "A"}
      {"question": "q1", "turn": 1, "judge": "llama", "verdict": "B"}
      {"question": "q1", "turn": 2, "judge": "gpt/ab", "verdict": "B"}
      {"question": "q1", "turn": 2, "judge": "gpt/ba", "verdict": "A"}
      {"question": "q1", "turn": 2, "judge": "llama", "verdict": "B"}
      {"question": "q2", "turn": 1, "judge": "gpt/ab", "verdict": "tie"}
      {"question": "q2", "turn": 1, "judge": "gpt/ba", "verdict": "tie"}
      {"question": "q2", "turn": 1, "judge": "llama", "verdict": "tie"}
      """;

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void writeFile() throws IOException {
    file = dir.resolve("votes.jsonl");
    Files.writeString(file, JSONL);
  }

  private CliRun run(String... extra) {
    List<String> args = new ArrayList<>(List.of(file.toString(), "--item", "question,turn", "--rater", "judge",
        "--label", "verdict"));
    args.addAll(List.of(extra));
    return CliRun.agreement(args.toArray(String[]::new));
  }

  @Test
  void jsonShapeWithSortedKeys() {
    CliRun r = run("--group-a", "gpt/*", "--group-b", "llama", "--json");
    assertThat(r.exit(), equalTo(0));
    assertThat(r.err(), emptyString());
    JsonNode j = r.json();
    assertThat(names(j), contains("all_raters", "categories", "counts", "groups", "level", "notes", "numeric_labels",
        "rater_pairs", "source"));
    assertThat(j.get("level").asText(), equalTo("nominal"));
    assertThat(j.get("counts").get("items").asLong(), equalTo(3L));
    assertThat(j.get("counts").get("votes").asLong(), equalTo(9L));
    assertThat(names(j.get("all_raters")), contains("fleiss_kappa", "krippendorff_alpha", "percent_agreement"));
    // All pairs: (q1,1) 1 of 3, (q1,2) 1 of 3, (q2,1) 3 of 3.
    JsonNode p = j.get("all_raters").get("percent_agreement");
    assertThat(p.get("agreeing").asLong(), equalTo(5L));
    assertThat(p.get("pairs").asLong(), equalTo(9L));
    assertThat(p.get("ratio").asDouble(), closeTo(5.0 / 9, 1e-12));
    // Group A = gpt/ab, gpt/ba; B = llama. Pairs: (q1,1) A/B A/B; (q1,2) B/B A/B; (q2,1) tie/tie tie/tie.
    JsonNode c = j.get("groups").get("comparison");
    assertThat(c.get("pairs").asLong(), equalTo(6L));
    assertThat(c.get("agreeing").asLong(), equalTo(3L));
    assertThat(c.get("items").asLong(), equalTo(3L));
    // A side [A A B A tie tie], B side [B B B B tie tie]: p_o = 1/2; p_e = (3·0 + 1·4 + 2·2)/36 = 8/36;
    // kappa = (18/36 - 8/36) / (28/36) = 5/14.
    assertThat(c.get("cohen_kappa").get("kappa").asDouble(), closeTo(5.0 / 14, 1e-12));
    assertThat(names(c.get("cohen_kappa")), contains("categories", "expected", "kappa", "observed",
        "standard_error", "weighting"));
    assertThat(j.get("groups").get("a").get("raters").toString(), equalTo("[\"gpt/ab\",\"gpt/ba\"]"));
    assertThat(j.get("rater_pairs").size(), equalTo(3));
  }

  @Test
  void undefinedFiguresAreJsonNull() {
    // Only the tie item: every vote is "tie", so kappa has nothing to correct for.
    CliRun r = run("--raters", "gpt/*", "--exclude-label", "A", "--exclude-label", "B", "--exclude-scope", "item",
        "--group-a", "gpt/ab", "--group-b", "gpt/ba", "--json");
    JsonNode k = r.json().get("groups").get("comparison").get("cohen_kappa");
    assertThat(k.has("kappa"), is(true));
    assertThat(k.get("kappa").isNull(), is(true));
    assertThat(r.json().get("exclusion").get("items_dropped").asLong(), equalTo(2L));
    assertThat(r.json().get("exclusion").get("scope").asText(), equalTo("item"));
  }

  @Test
  void humanOutputHasCountsBesideRatios() {
    CliRun r = run("--group-a", "gpt/*", "--group-b", "llama");
    assertThat(r.exit(), equalTo(0));
    assertThat(r.out(), containsString("percent agreement      0.5556   5 of 9 pairs of votes agree, 3 items"));
    assertThat(r.out(), containsString("Fleiss' kappa"));
    assertThat(r.out(), containsString("Group A   gpt/*   2 raters: \"gpt/ab\", \"gpt/ba\"; 6 votes"));
    assertThat(r.out(), containsString("percent agreement   0.5000   3 of 6 pairs of votes agree, 3 items"));
    assertThat(r.out(), containsString("Cohen's kappa       0.3571   unweighted, 6 pairs, 3 categories"));
    assertThat(r.out(), containsString("Cohen's kappa per pair of raters"));
  }

  @Test
  void ordinalLevelAddsWeightedKappaAndCorrelations() throws IOException {
    Path csv = dir.resolve("scores.csv");
    Files.writeString(csv, "item,rater,label\n1,x,1\n1,y,1\n2,x,2\n2,y,1\n3,x,4\n3,y,4\n4,x,4\n4,y,2\n");
    JsonNode c = CliRun.agreement(csv.toString(), "--level", "ordinal", "--group-a", "x", "--group-b", "y", "--json")
        .json().get("groups").get("comparison");
    assertThat(c.get("cohen_kappa_quadratic").get("kappa").asDouble(), closeTo(9.0 / 13, 1e-12));
    assertThat(c.get("kendall_tau_b").get("coefficient").asDouble(), closeTo(0.8, 1e-12));
    assertThat(c.has("pearson"), is(false));
    JsonNode interval = CliRun.agreement(csv.toString(), "--level", "INTERVAL", "--group-a", "x", "--group-b", "y",
        "--json").json().get("groups").get("comparison");
    assertThat(interval.get("cohen_kappa_quadratic").get("kappa").asDouble(), closeTo(2.0 / 3, 1e-12));
    assertThat(interval.get("pearson").get("n").asLong(), equalTo(4L));
    // The README's weighting rule: positions at the ordinal level (3 is never used, so 2 and 4 are one step apart),
    // values from the interval level up; an order that lists 3 makes the positions the values.
    JsonNode listed = CliRun.agreement(csv.toString(), "--level", "ordinal", "--order", "1,2,3,4", "--group-a", "x",
        "--group-b", "y", "--json").json().get("groups").get("comparison");
    assertThat(listed.get("cohen_kappa_quadratic").get("kappa").asDouble(), closeTo(2.0 / 3, 1e-12));
    assertThat(c.get("cohen_kappa_quadratic").get("weighting").asText(), equalTo("quadratic"));
    assertThat(interval.get("cohen_kappa_quadratic").get("weighting").asText(), equalTo("quadratic-by-value"));
  }

  @Test
  void badInputExitsTwoWithFileLineAndFieldAndNoStackTrace() throws IOException {
    Files.writeString(file, JSONL + "{\"question\": \"q3\", \"turn\": 1, \"judge\": \"llama\"}\n");
    CliRun r = run();
    assertThat(r.exit(), equalTo(2));
    assertThat(r.out(), emptyString());
    assertThat(r.err(), equalTo("assay: " + file + ":10: field 'verdict': missing label (leave the row out for a"
        + " missing rating, or give it a label with --map-label =LABEL)" + System.lineSeparator()));
  }

  @Test
  void duplicateVoteExitsTwoUnlessKeepLast() throws IOException {
    Files.writeString(file, JSONL + "{\"question\": \"q1\", \"turn\": 1, \"judge\": \"llama\", \"verdict\": \"A\"}\n");
    CliRun r = run();
    assertThat(r.exit(), equalTo(2));
    assertThat(r.err(), containsString("rater 'llama' rated item [q1, 1] twice, on lines 3 and 10"));
    CliRun kept = run("--keep-last", "--json");
    assertThat(kept.exit(), equalTo(0));
    assertThat(kept.json().get("counts").get("duplicates_replaced").asLong(), equalTo(1L));
  }

  /**
   * The duplicate check ran on the whole file, before {@code --raters}: a rater left out still needed {@code
   * --keep-last}. It runs on the votes used now. Groups do not leave raters out (everyone stays in the all-raters
   * figures), so a duplicate by a rater outside both groups is still an error.
   */
  @Test
  void duplicatesOfRatersLeftOutAreNotChecked() throws IOException {
    Files.writeString(
        file, JSONL + "{\"question\": \"q1\", \"turn\": 1, \"judge\": \"llama\", \"verdict\": \"A\"}\n");
    CliRun gpt = run("--raters", "gpt/*", "--json");
    assertThat(gpt.err(), gpt.exit(), equalTo(0));
    assertThat(gpt.json().get("counts").get("votes").asLong(), equalTo(6L));
    assertThat(gpt.json().get("counts").get("votes_read").asLong(), equalTo(10L));
    assertThat(gpt.json().get("counts").get("duplicates_replaced").asLong(), equalTo(0L));
    CliRun groups = run("--group-a", "gpt/ab", "--group-b", "gpt/ba");
    assertThat(groups.exit(), equalTo(2));
    assertThat(groups.err(), containsString("rater 'llama' rated item [q1, 1] twice, on lines 3 and 10"));
    CliRun llama = run("--raters", "llama");
    assertThat(llama.exit(), equalTo(2));
    assertThat(llama.err(), containsString(file + ":10: rater 'llama' rated item [q1, 1] twice"));
  }

  /** Splitting a file by turn needed a conversion script: {@code --where} keeps rows where every condition holds. */
  @Test
  void whereKeepsTheRowsWhereEveryConditionHolds() {
    CliRun turn1 = run("--where", "turn=1", "--json");
    assertThat(turn1.err(), turn1.exit(), equalTo(0));
    JsonNode counts = turn1.json().get("counts");
    assertThat(counts.get("items").asLong(), equalTo(2L));
    assertThat(counts.get("votes_read").asLong(), equalTo(6L));
    assertThat(counts.get("rows_left_out").asLong(), equalTo(3L));
    assertThat(turn1.json().get("where").toString(), equalTo("[\"turn=1\"]"));
    // (q1,1) A A B: 1 of 3 pairs; (q2,1) tie x3: 3 of 3.
    assertThat(turn1.json().get("all_raters").get("percent_agreement").get("agreeing").asLong(), equalTo(4L));
    // Numbers match by value; a second condition narrows further.
    CliRun both = run("--where", "turn=1.0", "--where", "question=q1", "--json");
    assertThat(both.json().get("counts").get("votes_read").asLong(), equalTo(3L));
    assertThat(run("--where", "turn=2").out(), containsString("where     \"turn=2\": 6 rows left out"));
    assertUsage(run("--where", "turn=3"), "assay: " + file + ": no row matches --where turn=3 (9 rows read)");
    assertUsage(run("--where", "round=1"), "assay: " + file + ":1: field 'round': missing, so --where round=1");
    assertUsage(run("--where", "turn"), "assay: --where expects FIELD=VALUE, got 'turn'");
  }

  /**
   * Merging "tie" variants, or giving a missing label a value, needed a conversion script: {@code --map-label} does
   * it as the file is read, so every statistic (and {@code --exclude-label}) sees the mapped labels.
   */
  @Test
  void mapLabelMergesVariantsAndGivesMissingLabelsAValue() throws IOException {
    Path ties = dir.resolve("ties.jsonl");
    Files.writeString(
        ties,
        """
        {"item": 1, "rater": "x", "label": "tie (both good)"}
        {"item": 1, "rater": "y", "label": "tie (both bad)"}
        {"item": 2, "rater": "x", "label": "A"}
        {"item": 2, "rater": "y", "label": null}
        {"item": 3, "rater": "x", "label": "B"}
        {"item": 3, "rater": "y"}
        """);
    CliRun plain = CliRun.agreement(ties.toString());
    assertThat(plain.exit(), equalTo(2));
    assertThat(plain.err(), containsString(ties + ":4: field 'label': missing label (leave the row out for a missing"
        + " rating, or give it a label with --map-label =LABEL)"));
    CliRun mapped = CliRun.agreement(ties.toString(), "--map-label", "tie*=tie", "--map-label", "=B", "--json");
    assertThat(mapped.err(), mapped.exit(), equalTo(0));
    JsonNode j = mapped.json();
    assertThat(j.get("categories").toString(), equalTo("[\"A\",\"B\",\"tie\"]"));
    assertThat(j.get("map_labels").toString(), equalTo("[\"tie*=tie\",\"=B\"]"));
    assertThat(j.get("counts").get("labels_mapped").asLong(), equalTo(4L));
    // Item 1 tie/tie and item 3 B/B agree; item 2 A/B does not.
    assertThat(j.get("all_raters").get("percent_agreement").get("agreeing").asLong(), equalTo(2L));
    // The same with a regex (the whole label must match), and the first matching rule wins.
    JsonNode regex =
        CliRun.agreement(ties.toString(), "--map-label", "regex:tie \\((good|bad)\\)=never", "--map-label",
                "regex:tie \\(both (good|bad)\\)=tie", "--map-label", "tie*=other", "--map-label", "=B", "--json")
            .json();
    assertThat(regex.get("categories").toString(), equalTo("[\"A\",\"B\",\"tie\"]"));
    // Mapping happens before leaving labels out.
    CliRun noTies =
        CliRun.agreement(ties.toString(), "--map-label", "tie*=tie", "--map-label", "=B", "--exclude-label", "tie",
            "--json");
    assertThat(noTies.json().get("exclusion").get("votes").asLong(), equalTo(2L));
    assertThat(CliRun.agreement(ties.toString(), "--map-label", "tie*=tie", "--map-label", "=B").out(),
        containsString("labels mapped   \"tie*=tie\", \"=B\": 4 votes"));
    assertUsage(run("--map-label", "tie"), "assay: --map-label expects PATTERN=LABEL, got 'tie'");
    assertUsage(run("--map-label", "tie= "), "assay: --map-label 'tie= ' maps to an empty label");
    assertUsage(run("--map-label", "regex:(=x"), "assay: invalid regular expression");
  }

  /** Labels were joined with commas, so "good, mostly" read as two labels: text labels are quoted now. */
  @Test
  void textOutputQuotesLabelsSoACommaIsNotASeparator() throws IOException {
    Path csv = dir.resolve("commas.csv");
    Files.writeString(
        csv, "item,rater,label\n1,\"x, the first\",\"good, mostly\"\n1,y,bad\n2,\"x, the first\",bad\n2,y,bad\n");
    CliRun r = CliRun.agreement(csv.toString(), "--exclude-label", "ok, say", "--group-a", "x*", "--group-b", "y");
    assertThat(r.err(), r.exit(), equalTo(0));
    assertThat(r.out(), containsString("labels compared as text: \"bad\", \"good, mostly\"\n"));
    assertThat(r.out(), containsString("label \"ok, say\" (per vote)"));
    assertThat(r.out(), containsString("1 rater: \"x, the first\"; 2 votes"));
    // A quote inside a label is escaped as in JSON; numbers need no quotes.
    Files.writeString(csv, "item,rater,label\n1,x,\"say \"\"hi\"\"\"\n1,y,b\n");
    assertThat(CliRun.agreement(csv.toString()).out(), containsString("as text: \"b\", \"say \\\"hi\\\"\"\n"));
    Files.writeString(csv, "item,rater,label\n1,x,1\n1,y,2.5\n");
    assertThat(CliRun.agreement(csv.toString()).out(), containsString("labels compared as numbers: 1, 2.5\n"));
  }

  @Test
  void usageErrorsExitTwo() {
    assertUsage(run("--group-a", "gpt/*"), "assay: --group-a and --group-b go together");
    assertUsage(run("--level", "cardinal"), "assay: unknown level 'cardinal'");
    assertUsage(run("--group-a", "regex:(", "--group-b", "x"), "assay: invalid regular expression");
    assertUsage(run("--exclude-scope", "row"), "assay: unknown exclude scope 'row'");
    assertUsage(run("--level", "interval", "--order", "a,b"), "assay: a label order gives ranks, not distances");
    assertUsage(run("--group-a", "nobody", "--group-b", "llama"), "assay: " + file + ": group A 'nobody' matches no");
    assertUsage(CliRun.agreement(file.toString(), "--import", "pandalm", "--rater", "judge"),
        "assay: --import reads the file's own fields");
    assertUsage(CliRun.agreement(file.toString(), "--import", "lmsys"), "assay: unknown import format 'lmsys'");
    assertUsage(CliRun.agreement(file.toString(), "--format", "tsv"), "assay: unknown --format 'tsv'");
    assertUsage(CliRun.agreement(dir.resolve("votes.txt").toString()), "cannot tell the format");
    assertUsage(CliRun.agreement(dir.resolve("absent.csv").toString()), "absent.csv: file not found");
    // picocli's own parse errors: exit 2 with usage help.
    CliRun unknown = CliRun.agreement(file.toString(), "--frobnicate");
    assertThat(unknown.exit(), equalTo(2));
    assertThat(unknown.err(), containsString("Unknown option: '--frobnicate'"));
  }

  /** A folder said "cannot tell the format" (or "cannot read: Is a directory" when named like a file). */
  @Test
  void aFolderGivenAsFileSaysSo() throws IOException {
    Path plain = Files.createDirectory(dir.resolve("ratings"));
    Path named = Files.createDirectory(dir.resolve("ratings.jsonl"));
    assertUsage(CliRun.agreement(plain.toString()), "assay: " + plain + ": is a folder; give a .jsonl or .csv file");
    assertUsage(CliRun.agreement(named.toString(), "--format", "csv"), "assay: " + named + ": is a folder");
    assertUsage(CliRun.agreement("--import", "llmbar", plain.toString()),
        "assay: " + plain + ": is a folder; give the .json file");
  }

  private static void assertUsage(CliRun r, String message) {
    assertThat(r.err(), r.exit(), equalTo(2));
    assertThat(r.err(), startsWith(message.startsWith("assay: ") ? message : "assay: "));
    assertThat(r.err(), containsString(message.replaceFirst("^assay: ", "")));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  void formatOptionOverridesTheExtension() throws IOException {
    Path txt = dir.resolve("votes.txt");
    Files.writeString(txt, "item,rater,label\na,x,1\na,y,1\n");
    CliRun r = CliRun.agreement(txt.toString(), "--format", "csv", "--json");
    assertThat(r.json().get("all_raters").get("percent_agreement").get("agreeing").asLong(), equalTo(1L));
  }

  @Test
  void helpExitsZero() {
    CliRun r = CliRun.agreement("--help");
    assertThat(r.exit(), equalTo(0));
    assertThat(r.out(), containsString("--exclude-label"));
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
