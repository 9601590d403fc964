package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Published agreement figures, reproduced by running {@code assay agreement --import ... --json} and reading its
 * output. Skipped, with a message, when {@code shared/data} is absent.
 */
class PublishedAgreementFiguresTest {
  private static final String PANDALM = "pandalm/testset-v1.json";
  private static final String LLMBAR = "llmbar-natural/evaluators";
  private static final Pattern COUNT = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*=.*");

  /**
   * PandaLM README: inter-annotator Cohen's kappa 0.85 (1-2), 0.88 (1-3), 0.86 (2-3), to two decimals; unweighted
   * over {0, 1, 2} they are 0.852023 / 0.878944 / 0.861661 on 912 / 928 / 917 agreeing items of 999 (see the
   * stats package's PandaLmKappaTest).
   */
  @Test
  void pandaLmInterAnnotatorKappas() {
    Path file = SharedData.require(PANDALM);
    JsonNode report = CliRun.agreement("--import", "pandalm", file.toString(), "--json").json();
    assertThat(report.get("counts").get("items").asLong(), equalTo(999L));
    assertThat(report.get("counts").get("votes").asLong(), equalTo(2997L));
    JsonNode pairs = report.get("rater_pairs");
    assertThat(pairs.size(), equalTo(3));
    assertPair(pairs.get(0), "annotator1", "annotator2", 912, 0.852023, 0.85);
    assertPair(pairs.get(1), "annotator1", "annotator3", 928, 0.878944, 0.88);
    assertPair(pairs.get(2), "annotator2", "annotator3", 917, 0.861661, 0.86);
  }

  @Test
  void pandaLmPairThroughGroups() {
    Path file = SharedData.require(PANDALM);
    JsonNode c =
        CliRun.agreement("--import", "pandalm", file.toString(), "--group-a", "annotator2", "--group-b",
                "regex:annotator3", "--json")
            .json().get("groups").get("comparison");
    assertThat(c.get("pairs").asLong(), equalTo(999L));
    assertThat(c.get("agreeing").asLong(), equalTo(917L));
    assertThat(c.get("cohen_kappa").get("kappa").asDouble(), closeTo(0.861661, 5e-7));
  }

  private static void assertPair(JsonNode pair, String a, String b, long agreeing, double kappa, double published) {
    assertThat(pair.get("rater_a").asText(), equalTo(a));
    assertThat(pair.get("rater_b").asText(), equalTo(b));
    JsonNode c = pair.get("comparison");
    assertThat(c.get("pairs").asLong(), equalTo(999L));
    assertThat(c.get("agreeing").asLong(), equalTo(agreeing));
    double k = c.get("cohen_kappa").get("kappa").asDouble();
    assertThat(a + "-" + b, k, closeTo(kappa, 5e-7));
    assertThat(a + "-" + b + " to two decimals", Math.round(k * 100) / 100.0, equalTo(published));
  }

  /**
   * LLMBar-Natural: for every evaluator/strategy directory with a {@code statistics.json}, its {@code equal} (same
   * verdict in both presentation orders, e.g. GPT-4/Swap 97/100) is the percent agreement between the raters
   * {@code original} and {@code swapped}; {@code correct_False} / {@code correct_True} are each order's agreement
   * with {@code gold}. Their {@code kappa_agreement} is Cohen's kappa between the orders. Where a verdict is null
   * (ChatGPT/CoT, LLaMA2/Vanilla_1shot), {@code equal} counts the null as a vote for neither output (as the import
   * does, with the label {@code none}), while their kappa counts it as a vote for output 2: {@code --map-label
   * none=2} reproduces it, in every folder.
   */
  @TestFactory
  Stream<DynamicTest> llmBarSwapConsistency() {
    Path root = SharedData.find(LLMBAR);
    if (root == null) {
      return Stream.of(dynamicTest("LLMBar data", () -> SharedData.require(LLMBAR)));
    }
    List<Path> dirs = strategyDirectories(root);
    assumeTrue(!dirs.isEmpty(), "no evaluator/strategy directories under " + root);
    return Stream.concat(
        Stream.of(dynamicTest("all 37 directories found", () -> assertThat(dirs.size(), equalTo(37)))),
        dirs.stream()
            .map(d -> dynamicTest(root.relativize(d).toString(), () -> assertLlmBarDirectory(d))));
  }

  private static void assertLlmBarDirectory(Path dir) {
    JsonNode stats = SharedData.readTree(dir.resolve("statistics.json"));
    JsonNode report =
        CliRun.agreement("--import", "llmbar", dir.resolve("result.json").toString(), "--group-a", "original",
                "--group-b", "swapped", "--json")
            .json();
    JsonNode swap = report.get("groups").get("comparison");
    assertCount(swap, stats.get("equal").asText(), "equal");
    assertCount(pair(report, "gold", "original"), stats.get("correct_False").asText(), "correct_False");
    assertCount(pair(report, "gold", "swapped"), stats.get("correct_True").asText(), "correct_True");
    JsonNode asLlmBar =
        CliRun.agreement("--import", "llmbar", dir.resolve("result.json").toString(), "--map-label", "none=2",
                "--group-a", "original", "--group-b", "swapped", "--json")
            .json();
    assertThat(
        "kappa_agreement", asLlmBar.get("groups").get("comparison").get("cohen_kappa").get("kappa").asDouble(),
        closeTo(stats.get("kappa_agreement").asDouble(), 1e-12));
    boolean nullVerdict = report.get("categories").toString().contains("\"none\"");
    assertThat(asLlmBar.get("counts").get("labels_mapped").asLong() > 0, equalTo(nullVerdict));
  }

  private static JsonNode pair(JsonNode report, String a, String b) {
    for (JsonNode p : report.get("rater_pairs")) {
      if (p.get("rater_a").asText().equals(a) && p.get("rater_b").asText().equals(b)) {
        return p.get("comparison");
      }
    }
    throw new AssertionError("no rater pair " + a + "-" + b);
  }

  /** "97 / 100 = 97.0%" against the comparison's agreeing and pairs. */
  private static void assertCount(JsonNode comparison, String published, String name) {
    Matcher m = COUNT.matcher(published);
    assertThat(name + " '" + published + "' is 'k / n = ...'", m.matches(), equalTo(true));
    assertThat(name + " pairs", comparison.get("pairs").asLong(), equalTo(Long.parseLong(m.group(2))));
    assertThat(name + " agreeing", comparison.get("agreeing").asLong(), equalTo(Long.parseLong(m.group(1))));
    assertThat(comparison.get("items").asLong(), greaterThan(0L));
  }

  private static List<Path> strategyDirectories(Path root) {
    try (Stream<Path> evaluators = Files.list(root)) {
      return evaluators
          .filter(Files::isDirectory)
          .flatMap(PublishedAgreementFiguresTest::children)
          .filter(d -> Files.isRegularFile(d.resolve("result.json")))
          .filter(d -> Files.isRegularFile(d.resolve("statistics.json")))
          .filter(d -> SharedData.readTree(d.resolve("statistics.json")).has("equal"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> children(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
