package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import dev.assay.testing.SharedData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every case of {@code shared/data/stat-reference-values/reference_values.json}, driven from the file.
 *
 * <p>Cases are recognised by shape (an object with {@code x} and {@code tau_b}, a {@code table} with {@code
 * fleiss}, ...), so a new case of a known shape is tested without touching this class; a section, case or
 * expectation of an unknown shape becomes a <em>failing</em> test that names it, so nothing in the file is silently
 * ignored. Keys starting with {@code _} and descriptive keys ({@code source}, {@code reference}, ...) are notes.
 *
 * <p>Tolerance: a value is checked to the decimals it is written with (or the case's {@code decimals}): the
 * computed value must round to the written one ({@code |actual - expected| <= 0.5·10^-d}) or truncate to it (one
 * literal, scipy's tau-c of [1, 1, 2] with itself, is 8/9 written as 0.88888888). Integer-valued decimals written as
 * {@code 0.0} or {@code 1.0} are exact claims (scipy returns exactly 0.0 and 1.0) and are checked to 1e-12.
 * Literals with more digits than a double carries (0.82078268166812329) are checked to 1e-13 relative, the
 * precision the reference implementations' own double arithmetic fixes. JSON integers (counts) must be equal.
 *
 * <p>The whole class is skipped, with a message, when {@code ../shared/data} is absent.
 */
class ReferenceValuesTest {
  private static final String FILE = "stat-reference-values/reference_values.json";
  private static final Set<String> NOTES =
      Set.of("source", "reference", "decimals", "files", "procedure", "formula", "missing");

  @TestFactory
  Stream<DynamicNode> everyReferenceCase() {
    Path file = SharedData.find(FILE);
    if (file == null) {
      // Skip as a test, not as the factory: surefire drops the message of an aborted container.
      return Stream.of(dynamicTest("reference values", () -> SharedData.require(FILE)));
    }
    JsonNode root = SharedData.readTree(file);
    List<DynamicNode> sections = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String name = e.getKey();
      JsonNode node = e.getValue();
      if (isNote(name, node)) {
        continue;
      }
      List<DynamicNode> cases =
          switch (name) {
            case "krippendorff_alpha" -> krippendorff(name, node);
            case "fleiss_kappa" -> fleiss(name, node);
            case "cohen_kappa" -> cohen(name, node);
            case "kendall_tau" -> kendall(name, node);
            case "spearman_rho" -> spearman(name, node);
            case "llm_judge_acceptance_values" -> llmJudge(name, node);
            default -> List.of(unhandled(name, "no handler for this section"));
          };
      sections.add(dynamicContainer(name, cases));
    }
    return sections.stream();
  }

  // ---------------------------------------------------------------- Krippendorff's alpha

  private static List<DynamicNode> krippendorff(String path, JsonNode section) {
    JsonNode missing = section.path("missing"); // the marker of a missing value; JSON null in this file
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> c : section.properties()) {
      String name = path + "/" + c.getKey();
      JsonNode node = c.getValue();
      if (isNote(c.getKey(), node)) {
        continue;
      }
      if (!node.has("reliability_data_coders_x_units")) {
        out.add(unhandled(name, "no reliability_data_coders_x_units"));
        continue;
      }
      double[][] data = matrix(node.get("reliability_data_coders_x_units"), missing);
      for (Map.Entry<String, JsonNode> block : node.properties()) {
        if (block.getKey().equals("reliability_data_coders_x_units") || isNote(block.getKey(), block.getValue())) {
          continue;
        }
        // "expected" (from the doctest) and "computed_here" (the transcriber's own value) are checked alike.
        for (Map.Entry<String, JsonNode> level : block.getValue().properties()) {
          if (isNote(level.getKey(), level.getValue())) {
            continue;
          }
          String test = name + "/" + block.getKey() + "/" + level.getKey();
          KrippendorffAlpha.Level lv;
          try {
            lv = KrippendorffAlpha.Level.valueOf(level.getKey().toUpperCase());
          } catch (IllegalArgumentException e) {
            out.add(unhandled(test, "unknown level"));
            continue;
          }
          out.add(check(test, level.getValue(), null, () -> KrippendorffAlpha.compute(data, lv).alpha()));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Fleiss' kappa

  private static List<DynamicNode> fleiss(String path, JsonNode section) {
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> c : section.properties()) {
      if (isNote(c.getKey(), c.getValue())) {
        continue;
      }
      String name = path + "/" + c.getKey();
      if (c.getValue().isArray()) {
        for (int i = 0; i < c.getValue().size(); i++) {
          out.addAll(fleissCase(name + "[" + i + "]", c.getValue().get(i)));
        }
      } else {
        out.addAll(fleissCase(name, c.getValue()));
      }
    }
    return out;
  }

  private static List<DynamicNode> fleissCase(String name, JsonNode node) {
    double[][] table;
    if (node.has("table")) {
      table = matrix(node.get("table"), null);
    } else if (node.has("ratings")) {
      table = countTable(intMatrix(node.get("ratings")));
    } else {
      return List.of(unhandled(name, "neither table nor ratings"));
    }
    Integer decimals = node.has("decimals") ? node.get("decimals").intValue() : null;
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      JsonNode v = e.getValue();
      if (key.equals("table") || key.equals("ratings") || isNote(key, v)) {
        continue;
      }
      String test = name + "/" + key;
      switch (key) {
        case "expected", "fleiss" -> out.add(check(test, v, decimals, () -> fleissOf(node, table).kappa()));
        case "randolph" -> out.add(check(test, v, decimals, () -> fleissOf(node, table).randolphKappa()));
        case "expected_z" -> out.add(check(test, v, decimals, () -> fleissOf(node, table).z()));
        case "category_column_sums" ->
            out.add(
                dynamicTest(
                    test,
                    () -> {
                      double[] sums = new double[table[0].length];
                      for (double[] row : table) {
                        for (int j = 0; j < row.length; j++) {
                          sums[j] += row[j];
                        }
                      }
                      assertArrayEquals(doubles(v, null), sums, 0.0, "column sums of the count table");
                    }));
        default -> out.add(unhandled(test, "unknown expectation"));
      }
    }
    return out;
  }

  private static FleissResult fleissOf(JsonNode node, double[][] table) {
    return node.has("ratings") ? FleissKappa.fromRatings(intMatrix(node.get("ratings"))) : FleissKappa.fromTable(table);
  }

  /** Subjects x categories counts of raw ratings, categories = sorted distinct ratings (as statsmodels aggregates). */
  private static double[][] countTable(int[][] ratings) {
    int[] categories = Arrays.stream(ratings).flatMapToInt(Arrays::stream).distinct().sorted().toArray();
    double[][] t = new double[ratings.length][categories.length];
    for (int i = 0; i < ratings.length; i++) {
      for (int r : ratings[i]) {
        t[i][Arrays.binarySearch(categories, r)]++;
      }
    }
    return t;
  }

  // ---------------------------------------------------------------- Cohen's kappa

  private static final Pattern RATER_PAIR = Pattern.compile("(rater\\d+)_vs_(rater\\d+).*");
  private static final Pattern DISTANCE_WEIGHTS = Pattern.compile("(?:custom_)?weights_(\\d+(?:_\\d+)+)");
  private static final Pattern SCORE_WEIGHTS = Pattern.compile("(linear|quadratic)_weights_(-?\\d+(?:_-?\\d+)+)");

  private static List<DynamicNode> cohen(String path, JsonNode section) {
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> sub : section.properties()) {
      String name = path + "/" + sub.getKey();
      JsonNode node = sub.getValue();
      if (isNote(sub.getKey(), node)) {
        continue;
      }
      if (node.has("contingency") && !node.has("y1")) {
        out.add(dynamicContainer(sub.getKey(), cohenTableBlocks(name, node)));
      } else if (hasRaterArrays(node)) {
        out.add(dynamicContainer(sub.getKey(), cohenRaterBlocks(name, node)));
      } else {
        List<DynamicNode> cases = new ArrayList<>();
        for (Map.Entry<String, JsonNode> c : node.properties()) {
          if (isNote(c.getKey(), c.getValue())) {
            continue;
          }
          cases.addAll(
              c.getValue().has("y1")
                  ? cohenExpressionCase(name + "/" + c.getKey(), c.getValue())
                  : List.of(unhandled(name + "/" + c.getKey(), "no y1/y2")));
        }
        out.add(dynamicContainer(sub.getKey(), cases));
      }
    }
    return out;
  }

  /** scikit-learn's cases: y1/y2 written as Python list expressions, expected unweighted or per weighting. */
  private static List<DynamicNode> cohenExpressionCase(String name, JsonNode node) {
    int[] y1 = pythonList(node.get("y1").asText());
    int[] y2 = pythonList(node.get("y2").asText());
    Integer decimals = node.has("decimals") ? node.get("decimals").intValue() : null;
    List<DynamicNode> out = new ArrayList<>();
    if (node.has("contingency")) {
      out.add(
          dynamicTest(
              name + "/contingency",
              () -> {
                double[] cats = Arrays.stream(concat(y1, y2)).distinct().sorted().asDoubleStream().toArray();
                long[][] t = CohenKappa.table(toD(y1), toD(y2), cats);
                assertEquals(Arrays.deepToString(longMatrix(node.get("contingency"))), Arrays.deepToString(t));
              }));
    }
    JsonNode expected = node.get("expected");
    if (expected == null) {
      out.add(unhandled(name, "no expected"));
    } else if (expected.isObject()) {
      for (Map.Entry<String, JsonNode> w : expected.properties()) {
        KappaWeights weights = namedWeights(w.getKey());
        if (weights == null) {
          out.add(unhandled(name + "/" + w.getKey(), "unknown weighting"));
        } else {
          out.add(check(name + "/" + w.getKey(), w.getValue(), decimals, () -> CohenKappa.of(y1, y2, weights).kappa()));
        }
      }
    } else {
      out.add(check(name, expected, decimals, () -> CohenKappa.of(y1, y2).kappa()));
    }
    return out;
  }

  /** statsmodels' SAS printout: one table, a block per weighting with kappa, standard errors, CI, z and p. */
  private static List<DynamicNode> cohenTableBlocks(String name, JsonNode node) {
    long[][] table = longMatrix(node.get("contingency"));
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> block : node.properties()) {
      String key = block.getKey();
      if (key.equals("contingency") || isNote(key, block.getValue())) {
        continue;
      }
      String test = name + "/" + key;
      double[] values = positions(table.length);
      KappaWeights weights = namedWeights(key);
      Matcher m = SCORE_WEIGHTS.matcher(key);
      if (m.matches()) {
        // statsmodels' 1-D weights are category scores: distance |s_i - s_j| by value.
        values = Arrays.stream(m.group(2).split("_")).mapToDouble(Double::parseDouble).toArray();
        weights = m.group(1).equals("linear") ? KappaWeights.linearByValue() : KappaWeights.quadraticByValue();
      }
      if (weights == null) {
        out.add(unhandled(test, "unknown weighting"));
        continue;
      }
      KappaWeights w = weights;
      double[] v = values;
      List<DynamicNode> checks = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : block.getValue().properties()) {
        String stat = e.getKey();
        JsonNode expected = e.getValue();
        String t = test + "/" + stat;
        java.util.function.Supplier<KappaResult> r = () -> CohenKappa.fromTable(table, w, v);
        switch (stat) {
          case "kappa" -> checks.add(check(t, expected, null, () -> r.get().kappa()));
          case "ase" -> checks.add(check(t, expected, null, () -> r.get().standardError()));
          case "ase_h0" -> checks.add(check(t, expected, null, () -> r.get().standardErrorNull()));
          case "z" -> checks.add(check(t, expected, null, () -> r.get().z()));
          case "p_one_sided" -> checks.add(check(t, expected, null, () -> r.get().pValueOneSided()));
          case "p_two_sided" -> checks.add(check(t, expected, null, () -> r.get().pValueTwoSided()));
          case "ci95" -> {
            checks.add(check(t + "[lower]", expected.get(0), null, () -> r.get().confidenceInterval(0.95).lower()));
            checks.add(check(t + "[upper]", expected.get(1), null, () -> r.get().confidenceInterval(0.95).upper()));
          }
          default -> {
            if (!isNote(stat, expected)) {
              checks.add(unhandled(t, "unknown statistic"));
            }
          }
        }
      }
      out.add(dynamicContainer(key, checks));
    }
    return out;
  }

  private static boolean hasRaterArrays(JsonNode node) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().matches(".*rater\\d+") && e.getValue().isArray()) {
        return true;
      }
    }
    return false;
  }

  /**
   * R irr::kappa2 cases: rater arrays and "raterA_vs_raterB" blocks. Categories are the sorted union of observed
   * values and weights are over their index (the file's caveat: irr drops the unused level 5), which is {@link
   * CohenKappa}'s default for raw ratings. The "not_asserted" block (statsmodels keeps it as an R comment only) is
   * checked too: it reproduces for raters 1 and 2, over their six observed levels.
   */
  private static List<DynamicNode> cohenRaterBlocks(String name, JsonNode node) {
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> block : node.properties()) {
      String key = block.getKey();
      if (isNote(key, block.getValue()) || (key.matches(".*rater\\d+") && block.getValue().isArray())) {
        continue;
      }
      Matcher pair = RATER_PAIR.matcher(key);
      if (!pair.matches()) {
        out.add(unhandled(name + "/" + key, "not a raterA_vs_raterB block"));
        continue;
      }
      int[] a = raterArray(node, pair.group(1));
      int[] b = raterArray(node, pair.group(2));
      List<DynamicNode> checks = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : block.getValue().properties()) {
        String stat = e.getKey();
        String t = name + "/" + key + "/" + stat;
        if (isNote(stat, e.getValue())) {
          continue;
        }
        String weighting = stat;
        String measure = "kappa";
        if (stat.startsWith("z_") || stat.startsWith("p_")) {
          measure = stat.substring(0, 1);
          weighting = stat.substring(2);
        }
        KappaWeights w = namedWeights(weighting);
        if (w == null || a == null || b == null) {
          checks.add(unhandled(t, w == null ? "unknown weighting" : "rater array not found"));
          continue;
        }
        String what = measure;
        checks.add(
            check(
                t,
                e.getValue(),
                null,
                () -> {
                  KappaResult r = CohenKappa.of(a, b, w);
                  return switch (what) {
                    case "z" -> r.z();
                    case "p" -> r.pValueTwoSided(); // R irr reports the two-sided p
                    default -> r.kappa();
                  };
                }));
      }
      out.add(dynamicContainer(key, checks));
    }
    return out;
  }

  private static int[] raterArray(JsonNode node, String rater) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if ((e.getKey().equals(rater) || e.getKey().endsWith("_" + rater)) && e.getValue().isArray()) {
        return ints(e.getValue());
      }
    }
    return null;
  }

  /** A weighting named as in the file, or null: none/unweighted, [equal_]linear, [squared_]quadratic, weights_0_0_1. */
  private static KappaWeights namedWeights(String name) {
    if (name.equals("none") || name.equals("unweighted")) {
      return KappaWeights.unweighted();
    }
    if (name.equals("linear") || name.equals("equal_linear")) {
      return KappaWeights.linear();
    }
    if (name.equals("quadratic") || name.equals("squared_quadratic")) {
      return KappaWeights.quadratic();
    }
    Matcher m = DISTANCE_WEIGHTS.matcher(name);
    if (m.matches()) {
      // R irr's numeric weight vector: disagreement by index distance |i - j|.
      return KappaWeights.byDistance(Arrays.stream(m.group(1).split("_")).mapToDouble(Double::parseDouble).toArray());
    }
    return null;
  }

  // ---------------------------------------------------------------- Kendall's tau

  private static List<DynamicNode> kendall(String path, JsonNode section) {
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> c : section.properties()) {
      if (isNote(c.getKey(), c.getValue())) {
        continue;
      }
      String name = path + "/" + c.getKey();
      if (c.getValue().isArray()) {
        for (int i = 0; i < c.getValue().size(); i++) {
          out.addAll(kendallCase(name + "[" + i + "]", c.getValue().get(i)));
        }
      } else {
        out.addAll(kendallCase(name, c.getValue()));
      }
    }
    return out;
  }

  private static List<DynamicNode> kendallCase(String name, JsonNode node) {
    if (!node.has("x")) {
      return List.of(unhandled(name, "no x"));
    }
    double[] x = doubles(node.get("x"), null);
    // "self_with_ties" gives only x: tau of x with itself.
    double[] y = node.has("y") ? doubles(node.get("y"), null) : x;
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      if (key.equals("x") || key.equals("y") || isNote(key, e.getValue())) {
        continue;
      }
      String t = name + "/" + key;
      switch (key) {
        case "tau", "tau_b" -> out.add(check(t, e.getValue(), null, () -> KendallTau.compute(x, y).tauB()));
        case "tau_c" -> out.add(check(t, e.getValue(), null, () -> KendallTau.compute(x, y).tauC()));
        case "p" -> out.add(check(t, e.getValue(), null, () -> KendallTau.compute(x, y).pValue()));
        case "p_asymptotic" ->
            out.add(check(t, e.getValue(), null, () -> KendallTau.compute(x, y).pValueAsymptotic()));
        case "p_exact" -> out.add(check(t, e.getValue(), null, () -> KendallTau.compute(x, y).pValueExact()));
        default -> out.add(unhandled(t, "unknown expectation"));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Spearman's rho

  private static final Pattern NAMED_PAIR = Pattern.compile("(rho|p)_([a-z]+\\d*)_([a-z]+\\d*)");

  private static List<DynamicNode> spearman(String path, JsonNode section) {
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> c : section.properties()) {
      if (isNote(c.getKey(), c.getValue())) {
        continue;
      }
      String name = path + "/" + c.getKey();
      JsonNode node = c.getValue();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        JsonNode expected = e.getValue();
        String t = name + "/" + key;
        if (isNote(key, expected) || (expected.isArray() && !key.endsWith("_ranks"))) {
          continue; // input arrays
        }
        Matcher m = NAMED_PAIR.matcher(key);
        if (key.equals("rho") || key.equals("p") || m.matches()) {
          String xs = m.matches() ? m.group(2) : "x";
          String ys = m.matches() ? m.group(3) : "y";
          boolean rho = key.startsWith("rho");
          if (!node.has(xs) || !node.has(ys)) {
            out.add(unhandled(t, "arrays " + xs + "/" + ys + " not in the case"));
            continue;
          }
          double[] x = doubles(node.get(xs), null);
          double[] y = doubles(node.get(ys), null);
          out.add(
              check(t, expected, null, () -> {
                CorrelationResult r = Correlation.spearman(x, y);
                return rho ? r.coefficient() : r.pValue();
              }));
        } else if (key.endsWith("_ranks") && node.has(key.substring(0, key.length() - "_ranks".length()))) {
          String of = key.substring(0, key.length() - "_ranks".length());
          double[] v = doubles(node.get(of), null);
          out.add(dynamicTest(t, () -> assertArrayEquals(doubles(expected, null), Correlation.ranks(v), 0.0)));
          if (node.has("x") && node.has("y")) {
            // The case's point: with ties, Spearman's rho is Pearson's r of the mid-ranks.
            double[] x = doubles(node.get("x"), null);
            double[] y = doubles(node.get("y"), null);
            out.add(
                dynamicTest(
                    t + "/spearman_equals_pearson_of_midranks",
                    () ->
                        assertEquals(
                            Correlation.pearson(Correlation.ranks(x), Correlation.ranks(y)).coefficient(),
                            Correlation.spearman(x, y).coefficient(),
                            1e-15)));
          }
        } else {
          out.add(unhandled(t, "unknown expectation"));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- published LLM-judge figures

  private static List<DynamicNode> llmJudge(String path, JsonNode section) {
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> c : section.properties()) {
      if (isNote(c.getKey(), c.getValue())) {
        continue;
      }
      String name = path + "/" + c.getKey();
      JsonNode node = c.getValue();
      List<DynamicNode> cases =
          switch (c.getKey()) {
            case "pandalm_readme" -> pandaLm(name, node);
            case "llmbar_natural_gpt4_swap_statistics_json" -> llmBar(name, node);
            case "mtbench_table5_zheng2023" -> mtBench(name, node);
            case "autoj_readme" -> autoJ(name, node);
            case "alpaca_eval_gpt35_0301" ->
                List.of(
                    notInSharedData(
                        name + "/from_raw_annotations",
                        "alpaca_eval annotations (gpt35_turbo_instruct / alpaca_eval_gpt4 preferences) are not in"
                            + " shared/data; the win rates are published figures only"));
            default -> List.of(unhandled(name, "no handler for this published figure"));
          };
      out.add(dynamicContainer(c.getKey(), cases));
    }
    return out;
  }

  private static final Pattern ANNOTATOR_PAIR = Pattern.compile("a(\\d)_a(\\d)");

  /** PandaLM README: pairwise Cohen's kappa of the three annotators, label counts of the majority vote. */
  private static List<DynamicNode> pandaLm(String name, JsonNode node) {
    List<DynamicNode> out = new ArrayList<>();
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.path("cohen_kappa_pairs").properties()) {
      Matcher m = ANNOTATOR_PAIR.matcher(e.getKey());
      if (!m.matches()) {
        out.add(unhandled(name + "/cohen_kappa_pairs/" + e.getKey(), "not aN_aM"));
        continue;
      }
      pairs.add(e.getKey());
      int a = Integer.parseInt(m.group(1)) - 1;
      int b = Integer.parseInt(m.group(2)) - 1;
      out.add(
          check(
              name + "/cohen_kappa_pairs/" + e.getKey(),
              e.getValue(),
              null,
              () -> {
                int[][] labels = PandaLm.annotatorLabels();
                return CohenKappa.of(labels[a], labels[b]).kappa();
              }));
    }
    JsonNode rounded = node.path("readme_rounded");
    for (int i = 0; i < rounded.size(); i++) {
      if (i >= pairs.size()) {
        out.add(unhandled(name + "/readme_rounded[" + i + "]", "more rounded values than pairs"));
        continue;
      }
      // Same order as cohen_kappa_pairs: (1,2) (1,3) (2,3), the README matrix read row by row.
      Matcher m = ANNOTATOR_PAIR.matcher(pairs.get(i));
      m.matches();
      int a = Integer.parseInt(m.group(1)) - 1;
      int b = Integer.parseInt(m.group(2)) - 1;
      out.add(
          check(
              name + "/readme_rounded[" + i + "]=" + pairs.get(i),
              rounded.get(i),
              null,
              () -> {
                int[][] labels = PandaLm.annotatorLabels();
                return CohenKappa.of(labels[a], labels[b]).kappa();
              }));
    }
    for (Map.Entry<String, JsonNode> e : node.path("majority_label_counts").properties()) {
      int label = Integer.parseInt(e.getKey().replaceAll("^(\\d+).*", "$1"));
      out.add(
          dynamicTest(
              name + "/majority_label_counts/" + e.getKey(),
              () -> {
                int[][] labels = PandaLm.annotatorLabels();
                long count = 0;
                for (int i = 0; i < labels[0].length; i++) {
                  if (majority(labels[0][i], labels[1][i], labels[2][i]) == label) {
                    count++;
                  }
                }
                assertEquals(e.getValue().longValue(), count);
              }));
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!Set.of("cohen_kappa_pairs", "readme_rounded", "majority_label_counts").contains(e.getKey())
          && !isNote(e.getKey(), e.getValue())) {
        out.add(unhandled(name + "/" + e.getKey(), "unknown figure"));
      }
    }
    return out;
  }

  /** The label at least two of three annotators gave; every PandaLM item has one (no 0/1/2 three-way split). */
  private static int majority(int a, int b, int c) {
    if (a == b || a == c) {
      return a;
    }
    if (b == c) {
      return b;
    }
    throw new AssertionError("three-way split " + a + "/" + b + "/" + c);
  }

  private static final Pattern PROPER_KAPPA = Pattern.compile("F vs label = ([0-9.]+)");

  /** LLMBar statistics.json for GPT-4 / Swap: counts, kappa between the two orders, and the kappa_False quirk. */
  private static List<DynamicNode> llmBar(String name, JsonNode node) {
    List<DynamicNode> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      JsonNode expected = e.getValue();
      String t = name + "/" + key;
      switch (key) {
        case "n" -> out.add(check(t, expected, null, () -> LlmBarSwap.load().label().length));
        case "correct_False" ->
            out.add(check(t, expected, null, () -> matches(LlmBarSwap.load().unswapped(), LlmBarSwap.load().label())));
        case "correct_True" ->
            out.add(check(t, expected, null, () -> matches(LlmBarSwap.load().swapped(), LlmBarSwap.load().label())));
        case "correct_both" ->
            out.add(
                check(t, expected, null, () -> {
                  LlmBarSwap s = LlmBarSwap.load();
                  int both = 0;
                  for (int i = 0; i < s.label().length; i++) {
                    if (s.unswapped()[i] == s.label()[i] && s.swapped()[i] == s.label()[i]) {
                      both++;
                    }
                  }
                  return both;
                }));
        case "equal" ->
            out.add(
                check(t, expected, null, () -> {
                  LlmBarSwap s = LlmBarSwap.load();
                  return PercentAgreement.of(s.unswapped(), s.swapped()).agreeing();
                }));
        case "kappa_agreement" ->
            out.add(
                check(t, expected, null, () -> {
                  LlmBarSwap s = LlmBarSwap.load();
                  return CohenKappa.of(s.unswapped(), s.swapped()).kappa();
                }));
        case "kappa_False", "kappa_True" -> {
          boolean swapped = key.endsWith("True");
          out.add(
              check(t + " (LLMBar quirk: winner 2 mapped to 0 before comparing with labels 1/2)", expected, null, () -> {
                LlmBarSwap s = LlmBarSwap.load();
                int[] v = (swapped ? s.swapped() : s.unswapped()).clone();
                for (int i = 0; i < v.length; i++) {
                  if (v[i] == 2) {
                    v[i] = 0;
                  }
                }
                return CohenKappa.of(v, s.label()).kappa();
              }));
        }
        case "_caveat" -> {
          Matcher m = PROPER_KAPPA.matcher(expected.asText());
          if (m.find()) {
            JsonNode proper = DecimalNode.valueOf(new BigDecimal(m.group(1)));
            out.add(
                check(t + "/proper_kappa_False_vs_label", proper, null, () -> {
                  LlmBarSwap s = LlmBarSwap.load();
                  return CohenKappa.of(s.unswapped(), s.label()).kappa();
                }));
          }
        }
        default -> {
          if (!isNote(key, expected)) {
            out.add(unhandled(t, "unknown figure"));
          }
        }
      }
    }
    return out;
  }

  private static int matches(int[] a, int[] b) {
    return (int) PercentAgreement.of(a, b).agreeing();
  }

  /**
   * MT-Bench Table 5 (Zheng et al. 2023): the raw human and GPT-4 pair judgments are not in shared/data, so the
   * counts cannot be recomputed; what can be checked is that the counts give the paper's rounded percentages.
   */
  private static List<DynamicNode> mtBench(String name, JsonNode node) {
    List<DynamicNode> out = new ArrayList<>();
    String files = node.path("files").asText("");
    out.add(
        dynamicTest(
            name + "/from_raw_judgments",
            () -> {
              Path found = SharedData.find(files.replaceAll("\\{.*", ""));
              assumeTrue(
                  found != null,
                  "skipped: " + files + " is not in shared/data (see SOURCES.md); the agreement counts cannot be"
                      + " recomputed from raw judgments here");
              fail("raw MT-Bench judgments are now present at " + found + ": implement the recount");
            }));
    // Paper, Table 5, as the file's paper_rounded states: G4-pair vs human 66% (S1) / 85% (S2); human vs human
    // 63% / 81% (turn 1) and 67% / 82% (turn 2). The G4-pair counts of both turns round to 66 / 85.
    Map<String, Integer> paperPercent =
        Map.of(
            "turn1/gpt4pair_vs_human_S1", 66,
            "turn1/gpt4pair_vs_human_S2", 85,
            "turn1/human_vs_human_S1", 63,
            "turn1/human_vs_human_S2", 81,
            "turn2/gpt4pair_vs_human_S1", 66,
            "turn2/gpt4pair_vs_human_S2", 85,
            "turn2/human_vs_human_S1", 67,
            "turn2/human_vs_human_S2", 82);
    for (Map.Entry<String, JsonNode> top : node.properties()) {
      String key = top.getKey();
      if (isNote(key, top.getValue())) {
        continue;
      }
      if (key.equals("paper_rounded")) {
        String text = top.getValue().asText();
        out.add(
            dynamicTest(
                name + "/paper_rounded_matches_the_percentages_checked_here",
                () -> {
                  for (String pair : List.of("66%/85%", "63%/81%", "67%/82%")) {
                    assertTrue(text.contains(pair), "paper_rounded no longer says " + pair + ": " + text);
                  }
                }));
      } else if (key.startsWith("turn")) {
        for (Map.Entry<String, JsonNode> e : top.getValue().properties()) {
          String k = key + "/" + e.getKey();
          Integer pct = paperPercent.get(k);
          if (pct == null) {
            out.add(unhandled(name + "/" + k, "no published percentage to compare with"));
            continue;
          }
          AgreementResult r =
              PercentAgreement.ofCounts(e.getValue().get(0).longValue(), e.getValue().get(1).longValue());
          out.add(
              dynamicTest(
                  name + "/" + k + "_rounds_to_" + pct + "%",
                  () -> assertEquals((long) pct, Math.round(r.percent()), r.toString())));
        }
      } else if (key.startsWith("computed_here")) {
        out.add(notInSharedData(name + "/" + key, "needs the raw GPT-4 pair judgments (both orders), not in shared/data"));
      } else {
        out.add(unhandled(name + "/" + key, "unknown figure"));
      }
    }
    return out;
  }

  /** Auto-J README: only published percentages; checks each is k/n for an integer k, then skips the recount. */
  private static List<DynamicNode> autoJ(String name, JsonNode node) {
    List<DynamicNode> out = new ArrayList<>();
    long n = node.path("n").longValue();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getKey().endsWith("_pct")) {
        if (!Set.of("n", "swap_label_map").contains(e.getKey()) && !isNote(e.getKey(), e.getValue())) {
          out.add(unhandled(name + "/" + e.getKey(), "unknown figure"));
        }
        continue;
      }
      BigDecimal pct = e.getValue().decimalValue();
      out.add(
          dynamicTest(
              name + "/" + e.getKey() + "_is_a_count_over_" + n,
              () -> {
                long k = Math.round(pct.doubleValue() * n / 100);
                double back = PercentAgreement.ofCounts(k, n).percent();
                assertEquals(pct.doubleValue(), back, 0.5 * Math.pow(10, -pct.scale()), k + "/" + n);
              }));
    }
    out.add(
        notInSharedData(
            name + "/from_raw_judgments", "Auto-J's pairwise test set and verdicts are not in shared/data"));
    return out;
  }

  // ---------------------------------------------------------------- helpers

  /** Comments ({@code _...}) and descriptive keys; never an expectation. */
  private static boolean isNote(String key, JsonNode value) {
    return key.startsWith("_") || NOTES.contains(key);
  }

  private static DynamicNode unhandled(String name, String why) {
    return dynamicTest(name + " [UNHANDLED]", () -> fail("reference case " + name + ": " + why
        + " — add a handler to ReferenceValuesTest so every case in the file is checked"));
  }

  private static DynamicNode notInSharedData(String name, String why) {
    return dynamicTest(name, () -> assumeTrue(false, "skipped: " + why));
  }

  /** A test that {@code actual} matches the written value to its stated decimals (see the class comment). */
  private static DynamicNode check(String name, JsonNode expected, Integer decimals, DoubleSupplier actual) {
    Executable e = () -> assertStated(name, expected, decimals, actual.getAsDouble());
    return dynamicTest(name, e);
  }

  static void assertStated(String name, JsonNode expected, Integer decimals, double actual) {
    if (expected.isTextual()) {
      assertEquals("NaN", expected.asText(), name + ": only NaN may be written as a string");
      assertTrue(Double.isNaN(actual), name + ": expected NaN, got " + actual);
      return;
    }
    if (expected.isIntegralNumber()) {
      assertEquals(expected.longValue(), actual, 0.0, name + ": a count must be exact");
      return;
    }
    BigDecimal bd = expected.decimalValue();
    double e = bd.doubleValue();
    int d = decimals != null ? decimals : bd.scale();
    boolean ok;
    String claim;
    if (bd.stripTrailingZeros().scale() <= 0 && bd.scale() <= 1 && decimals == null) {
      claim = "exactly";
      ok = Math.abs(actual - e) <= 1e-12;
    } else {
      double unit = Math.pow(10, -d);
      double floor = 1e-13 * Math.abs(e); // digits past what a double holds
      boolean rounds = Math.abs(actual - e) <= Math.max(0.5 * unit, floor) * (1 + 1e-9);
      // A few literals are truncated, not rounded (scipy writes 8/9 as 0.88888888 and checks it to 7 significant
      // digits): accept a value whose truncation to d decimals is the literal.
      boolean truncates =
          e >= 0 ? actual >= e - floor && actual < e + unit : actual <= e + floor && actual > e - unit;
      claim = "to " + d + " decimals";
      ok = rounds || truncates;
    }
    String what = claim;
    assertTrue(
        ok,
        () -> String.format("%s: expected %s (%s), got %.17g", name, bd.toPlainString(), what, actual));
  }

  private static double[] positions(int k) {
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      v[i] = i;
    }
    return v;
  }

  /** "[0]*40+[1]*60" as Python would expand it. */
  static int[] pythonList(String expr) {
    Matcher whole = Pattern.compile("\\s*\\[\\s*-?\\d+\\s*]\\s*\\*\\s*\\d+\\s*(\\+\\s*\\[\\s*-?\\d+\\s*]\\s*\\*\\s*\\d+\\s*)*").matcher(expr);
    if (!whole.matches()) {
      throw new IllegalArgumentException("not a [v]*n+[v]*n expression: " + expr);
    }
    Matcher term = Pattern.compile("\\[\\s*(-?\\d+)\\s*]\\s*\\*\\s*(\\d+)").matcher(expr);
    List<Integer> out = new ArrayList<>();
    while (term.find()) {
      int v = Integer.parseInt(term.group(1));
      for (int i = Integer.parseInt(term.group(2)); i > 0; i--) {
        out.add(v);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[] doubles(JsonNode array, JsonNode missing) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode x = array.get(i);
      boolean isMissing = x.isNull() || (missing != null && !missing.isNull() && !missing.isMissingNode() && x.equals(missing));
      v[i] = isMissing ? Double.NaN : x.doubleValue();
    }
    return v;
  }

  private static double[][] matrix(JsonNode rows, JsonNode missing) {
    double[][] m = new double[rows.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = doubles(rows.get(i), missing);
    }
    return m;
  }

  private static int[] ints(JsonNode array) {
    int[] v = new int[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).intValue();
    }
    return v;
  }

  private static int[][] intMatrix(JsonNode rows) {
    int[][] m = new int[rows.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = ints(rows.get(i));
    }
    return m;
  }

  private static long[][] longMatrix(JsonNode rows) {
    long[][] m = new long[rows.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new long[rows.get(i).size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = rows.get(i).get(j).longValue();
      }
    }
    return m;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static double[] toD(int[] a) {
    return Arrays.stream(a).asDoubleStream().toArray();
  }
}
