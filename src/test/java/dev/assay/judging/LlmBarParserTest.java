package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our parsers against every raw judge answer LLMBar (Natural set) recorded: GPT-4, ChatGPT and LLaMA2-70B-chat, every
 * prompting strategy, both presentation orders.
 *
 * <p>File shape: each item has {@code results}, a list whose plain-list entries are auxiliary generations (metrics,
 * reference answers: not verdicts) and whose object entries are verdict stages, keyed {@code "swap = False"} (output_1
 * shown as Output (a)) and {@code "swap = True"} (output_2 shown first), each with {@code completion: [text,
 * finish_reason]} and {@code winner} ("1", "2" or null) already mapped back to output_1/output_2. Swap strategies add a
 * second stage (a synthesis prompt) when the first stage's two orders conflict. Rating strategies instead hold
 * {@code score_1}/{@code score_2} (bare 0-9 integers) and derive the winner by comparing them.
 *
 * <p>LLMBar's own rule (evaluate.py and its configs): {@code re.search} with the pattern for "1" tried before the
 * pattern for "2", so Output (a) wins whenever its pattern matches anywhere, wherever Output (b)'s does. CoT-style
 * prompts use {@code Output \(a\) is better.}; the others {@code (?:^|\n) ?Output \(a\)}, which also matches a
 * sentence that merely starts with "Output (a) …". We prefer the last explicit marker and do not read mentions, so we
 * differ on a few answers; {@link #everyRecordedVerdictReparses} lists each with the reason and pins their number.
 */
class LlmBarParserTest {

  /** LLMBar's parsing patterns (from its configs), used only to explain a difference, never to parse. */
  private static final Pattern THEIR_COT_A = Pattern.compile("Output \\(a\\) is better.");
  private static final Pattern THEIR_COT_B = Pattern.compile("Output \\(b\\) is better.");
  private static final Pattern THEIR_LINE_A = Pattern.compile("(?:^|\\n) ?Output \\(a\\)");
  private static final Pattern THEIR_LINE_B = Pattern.compile("(?:^|\\n) ?Output \\(b\\)");

  /** One recorded verdict: {@code item} is the 0-based index in result.json, {@code stage} counts verdict stages. */
  private record Case(String strategy, int item, int stage, boolean swap, String ours, String theirs, String text) {
    String where() {
      return strategy + " item " + item + " stage " + stage + " swap=" + swap;
    }
  }

  private record Difference(Case c, Why why) {}

  private static List<Path> strategies;
  private static List<Case> cases;

  /**
   * Reads every result file once per test class. Called from each test rather than {@code @BeforeAll} so that a
   * missing data folder shows as skipped tests, not as a class that silently ran nothing.
   */
  private static synchronized void load() throws IOException {
    Path data = SharedData.require("llmbar-natural").resolve("evaluators");
    if (cases != null) {
      return;
    }
    try (Stream<Path> evaluators = Files.list(data)) {
      strategies =
          evaluators
              .filter(Files::isDirectory)
              .flatMap(LlmBarParserTest::listDirs)
              .filter(d -> Files.exists(d.resolve("result.json")))
              .sorted()
              .toList();
    }
    cases = readCases();
  }

  private static Stream<Path> listDirs(Path dir) {
    try {
      return Files.list(dir).filter(Files::isDirectory).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String name(Path strategyDir) {
    return strategyDir.getParent().getFileName() + "/" + strategyDir.getFileName();
  }

  private static JsonNode read(Path file) throws IOException {
    return Json.mapper().readTree(file.toFile());
  }

  /** The winner label LLMBar would record for our parse: position verdict mapped back to output_1 / output_2. */
  private static String label(ParsedJudgment p, boolean swap) {
    if (!p.ok() || p.verdict() == Verdict.TIE) {
      return null;
    }
    boolean first = p.verdict() == Verdict.A;
    return first != swap ? "1" : "2";
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  /** Every verdict-bearing answer, with our label and theirs. */
  private static List<Case> readCases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (Path dir : strategies) {
      JsonNode items = read(dir.resolve("result.json"));
      for (int i = 0; i < items.size(); i++) {
        int stage = 0;
        for (JsonNode r : items.get(i).get("results")) {
          if (!r.isObject()) {
            continue; // an auxiliary generation (metrics or a reference answer), not a verdict
          }
          if (r.has("score_1")) {
            String[] ours = ratingLabels(r);
            for (int s = 0; s < 2; s++) {
              boolean swap = s == 1;
              String raw = r.get("score_1").get(0).asText() + " | " + r.get("score_2").get(0).asText();
              out.add(new Case(name(dir), i, stage, swap, ours[s], text(r.get("swap = " + (swap ? "True" : "False")).get("winner")), raw));
            }
          } else {
            for (boolean swap : new boolean[] {false, true}) {
              JsonNode side = r.get("swap = " + (swap ? "True" : "False"));
              String completion = side.get("completion").get(0).asText();
              String finish = side.get("completion").get(1).asText();
              ParsedJudgment p = PairwiseParser.parse(completion, finish);
              out.add(new Case(name(dir), i, stage, swap, label(p, swap), text(side.get("winner")), completion));
            }
          }
          stage++;
        }
      }
    }
    return out;
  }

  /**
   * Our labels for a rating item, per order. Each score is read with the absolute parser on LLMBar's 0-9 scale; the
   * winner is then derived with LLMBar's own comparison ("1" if s1 > s2 else "2" without swap, "2" if s2 > s1 else "1"
   * with swap), so this compares score parsing, not tie policy. (Assay itself calls equal scores a tie; that is why
   * LLMBar's rating strategies have a low {@code equal}: see {@link #equalFigures}.) An unreadable score: no label.
   */
  private static String[] ratingLabels(JsonNode r) {
    ParsedJudgment s1 = AbsoluteParser.parse(r.get("score_1").get(0).asText(), r.get("score_1").get(1).asText(), 0, 9);
    ParsedJudgment s2 = AbsoluteParser.parse(r.get("score_2").get(0).asText(), r.get("score_2").get(1).asText(), 0, 9);
    if (!s1.ok() || !s2.ok()) {
      return new String[] {null, null};
    }
    int a = s1.score();
    int b = s2.score();
    return new String[] {a > b ? "1" : "2", b > a ? "2" : "1"};
  }

  /** Kinds of difference between our reading and LLMBar's, each explained in {@link #explain}. */
  enum Why {
    /**
     * A synthesis answer (Swap_CoT's second stage) first reports what each assistant argued ("Assistant (a) argues
     * that Output (a) is better…") and ends "Therefore, Output (b) is better.". LLMBar's {@code re.search} tries the
     * (a) pattern first and finds the quoted claim; we take the final verdict.
     */
    QUOTED_CLAIM,
    /**
     * LLaMA2 answers "Output (b) is better." (or just "Output (b)") and then explains, in a paragraph that starts
     * "Output (a) provides…". LLMBar's line-start pattern for (a), tried first, takes that mention as the verdict; we
     * read only a line that is just "Output (x)" or says "is better".
     */
    LINE_START_MENTION,
    /** A rating answer "10" on the 0-9 scale LLMBar asked for: unparseable for us, compared by LLMBar's int(). */
    SCORE_OFF_SCALE
  }

  /** Why LLMBar's recorded winner differs from ours, derived from their rule; null when no known reason applies. */
  private static Why explain(Case c) {
    if (c.strategy().contains("/Rating")) {
      String[] scores = c.text().split(" \\| ");
      boolean offScale = !scores[0].matches("[0-9]") || !scores[1].matches("[0-9]");
      return offScale && c.ours() == null ? Why.SCORE_OFF_SCALE : null;
    }
    boolean cot = isCotStage(c.strategy(), c.stage());
    String answer = c.text().strip();
    boolean hasA = (cot ? THEIR_COT_A : THEIR_LINE_A).matcher(answer).find();
    boolean hasB = (cot ? THEIR_COT_B : THEIR_LINE_B).matcher(answer).find();
    String oursPos = c.ours() == null ? null : positionOf(c.ours(), c.swap());
    // Both patterns match and ours is (b): LLMBar's first-listed pattern (a) won, not the answer's own verdict.
    if (hasA && hasB && "b".equals(oursPos) && "a".equals(positionOf(c.theirs(), c.swap()))) {
      return cot ? Why.QUOTED_CLAIM : Why.LINE_START_MENTION;
    }
    return null;
  }

  private static String positionOf(String label, boolean swap) {
    boolean first = label.equals("1") != swap;
    return first ? "a" : "b";
  }

  /** CoT-style prompts ("Therefore, Output (x) is better.") per LLMBar's configs: CoT, Swap's first stage, Swap_CoT. */
  private static boolean isCotStage(String strategy, int stage) {
    String s = strategy.substring(strategy.indexOf('/') + 1);
    return s.equals("CoT") || s.equals("Swap_CoT") || (s.equals("Swap") && stage == 0);
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 70 ? one.substring(0, 70) + "…" : one;
  }

  @Test
  void everyRecordedVerdictReparses() throws IOException {
    load();
    List<Case> all = cases;
    List<Difference> differences = new ArrayList<>();
    List<Case> unexplained = new ArrayList<>();
    for (Case c : all) {
      if (!Objects.equals(c.ours(), c.theirs())) {
        Why why = explain(c);
        if (why == null) {
          unexplained.add(c);
        } else {
          differences.add(new Difference(c, why));
        }
      }
    }
    System.out.println("LLMBar: " + all.size() + " recorded verdicts; " + differences.size() + " read differently by us:");
    for (Difference d : differences) {
      System.out.println(
          "  " + d.c().where() + " ours=" + d.c().ours() + " theirs=" + d.c().theirs() + " " + d.why()
              + ": " + abbreviate(d.c().text()));
    }
    for (Case c : unexplained) {
      System.out.println("  UNEXPLAINED " + c.where() + " ours=" + c.ours() + " theirs=" + c.theirs() + "\n" + c.text());
    }
    assertThat("differences with no known reason (listed above)", unexplained.size(), is(0));
    // 30 pairwise strategies x 100 items x 2 orders, 155 second (synthesis) stages of the Swap strategies x 2 orders,
    // 7 rating strategies x 100 items x 2 orders.
    assertThat(all.size(), is(30 * 200 + 155 * 2 + 7 * 200));
    Map<Why, Long> byWhy =
        differences.stream().collect(Collectors.groupingBy(Difference::why, () -> new EnumMap<>(Why.class), Collectors.counting()));
    // Pinned: ChatGPT/Swap_CoT 8 + LLaMA2/Swap_CoT 3; LLaMA2/Vanilla_1shot 3 + Vanilla_2shot 6; ChatGPT/Rating and
    // ChatGPT/Rating_NoRules one "10" each, which decides the winner in both orders (2 x 2).
    assertThat(byWhy, equalTo(Map.of(Why.QUOTED_CLAIM, 11L, Why.LINE_START_MENTION, 9L, Why.SCORE_OFF_SCALE, 4L)));
  }

  /**
   * LLMBar's {@code equal} figure is the number of items whose final winner (as output_1/output_2, so already
   * mapped back from positions) is the same in both orders: a verdict that survives the swap. It compares labels with
   * Python's {@code ==}, so two missing verdicts (None, None) also count as equal. Recomputed from our parse of the
   * final stage, it must match the published figure exactly except where {@link #everyRecordedVerdictReparses} lists a
   * final-stage difference; those deltas are pinned here.
   */
  @Test
  void equalFigures() throws IOException {
    load();
    Map<String, int[]> byStrategy = new java.util.TreeMap<>();
    List<Case> finals = finalStageCases();
    for (int k = 0; k + 1 < finals.size(); k += 2) {
      Case f = finals.get(k);
      Case t = finals.get(k + 1);
      int[] counts = byStrategy.computeIfAbsent(f.strategy(), x -> new int[2]);
      counts[0] += Objects.equals(f.ours(), t.ours()) ? 1 : 0;
      counts[1] += Objects.equals(f.theirs(), t.theirs()) ? 1 : 0;
    }
    assertThat(byStrategy.size(), is(strategies.size()));
    Map<String, Integer> deltas = new java.util.TreeMap<>();
    for (Path dir : strategies) {
      String name = name(dir);
      JsonNode stats = read(dir.resolve("statistics.json"));
      int published = Integer.parseInt(stats.get("equal").asText().split(" / ")[0]);
      int[] counts = byStrategy.get(name);
      assertThat(name + ": recorded winners reproduce the published equal", counts[1], is(published));
      if (counts[0] != published) {
        deltas.put(name, counts[0] - published);
      }
      System.out.println("equal " + name + ": published " + published + ", from our parse " + counts[0]);
    }
    // Only the four strategies whose final stage has a difference listed by everyRecordedVerdictReparses move, each
    // by the net number of items whose both-order equality our reading changes. ChatGPT/Swap_CoT: 8 differences in 7
    // items; the 6 items with one order re-read become consistent, item 96 is re-read in both orders and stays
    // inconsistent. LLaMA2/Swap_CoT: items 25 and 64 become consistent, item 85 (consistent for
    // LLMBar only because a quoted claim won in one order) becomes inconsistent: net +1. LLaMA2/Vanilla_1shot: 3
    // items become consistent. LLaMA2/Vanilla_2shot: items 22, 29, 57, 61, 79 become consistent, item 9 does not
    // stay so: net +4. All 33 other strategies reproduce the published figure exactly.
    assertThat(
        deltas,
        equalTo(
            Map.of(
                "ChatGPT/Swap_CoT", 6,
                "LLaMA2/Swap_CoT", 1,
                "LLaMA2/Vanilla_1shot", 3,
                "LLaMA2/Vanilla_2shot", 4)));
  }

  /** The two orders of every item's final verdict stage, swap=false then swap=true. */
  private static List<Case> finalStageCases() throws IOException {
    List<Case> all = cases;
    Map<String, Integer> lastStage = new java.util.HashMap<>();
    for (Case c : all) {
      lastStage.merge(c.strategy() + "#" + c.item(), c.stage(), Math::max);
    }
    return all.stream().filter(c -> c.stage() == lastStage.get(c.strategy() + "#" + c.item())).toList();
  }
}
