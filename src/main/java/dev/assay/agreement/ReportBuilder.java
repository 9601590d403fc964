package dev.assay.agreement;

import dev.assay.agreement.AgreementReport.AllRaters;
import dev.assay.agreement.AgreementReport.AlphaFigure;
import dev.assay.agreement.AgreementReport.Comparison;
import dev.assay.agreement.AgreementReport.CorrelationFigure;
import dev.assay.agreement.AgreementReport.Counts;
import dev.assay.agreement.AgreementReport.Exclusion;
import dev.assay.agreement.AgreementReport.FleissFigure;
import dev.assay.agreement.AgreementReport.Group;
import dev.assay.agreement.AgreementReport.GroupComparison;
import dev.assay.agreement.AgreementReport.KappaFigure;
import dev.assay.agreement.AgreementReport.PercentFigure;
import dev.assay.agreement.AgreementReport.RaterPair;
import dev.assay.io.InputException;
import dev.assay.stats.AgreementResult;
import dev.assay.stats.AlphaResult;
import dev.assay.stats.CohenKappa;
import dev.assay.stats.Correlation;
import dev.assay.stats.CorrelationResult;
import dev.assay.stats.FleissKappa;
import dev.assay.stats.FleissResult;
import dev.assay.stats.KappaResult;
import dev.assay.stats.KappaWeights;
import dev.assay.stats.KendallResult;
import dev.assay.stats.KendallTau;
import dev.assay.stats.KrippendorffAlpha;
import dev.assay.stats.PercentAgreement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes an {@link AgreementReport}. All arithmetic is in {@code dev.assay.stats}; this class only selects votes,
 * builds the category scale and forms the pairs each statistic is computed over.
 */
final class ReportBuilder {
  /** A vote reduced to what the statistics need: the rater's index and the category's index. */
  private record Vote(int rater, int category) {}

  private final Ratings ratings;
  private final AgreementOptions options;
  private final List<String> notes = new ArrayList<>();

  ReportBuilder(Ratings ratings, AgreementOptions options) {
    this.ratings = ratings;
    this.options = options;
  }

  AgreementReport build() {
    List<Rating> all = ratings.ratings();
    // Repeats are checked after the rater filter: a rater who is left out cannot count twice.
    Ratings.Unique unique = Ratings.unique(selectRaters(all), options.duplicates());
    List<Rating> selected = unique.votes();
    List<Rating> used = exclude(selected);
    Exclusion exclusion = options.excludeLabels().isEmpty() ? null : exclusion(selected, used);
    if (used.isEmpty()) {
      throw new InputException(
          ratings.source(), 0, null, "no vote is left after leaving out " + options.excludeLabels());
    }
    Scale scale = Scale.of(used, options);

    List<String> raters = new ArrayList<>(new TreeSet<>(used.stream().map(Rating::rater).toList()));
    Map<String, Integer> raterIndex = new HashMap<>();
    for (String r : raters) {
      raterIndex.put(r, raterIndex.size());
    }
    // Items in file order: deterministic output, and the order a reader of the file expects.
    Map<ItemKey, List<Vote>> items = new LinkedHashMap<>();
    for (Rating r : used) {
      items.computeIfAbsent(r.item(), k -> new ArrayList<>()).add(new Vote(raterIndex.get(r.rater()), scale.index(r)));
    }
    List<List<Vote>> units = List.copyOf(items.values());
    long pairable = units.stream().filter(u -> u.size() >= 2).count();
    Counts counts =
        new Counts(
            ratings.rowsLeftOut(), ratings.labelsMapped(), all.size(),
            all.stream().map(Rating::item).distinct().count(), all.stream().map(Rating::rater).distinct().count(),
            unique.replaced(), used.size(), units.size(), raters.size(), pairable);

    AllRaters allRaters =
        new AllRaters(percentAllPairs(units), fleiss(units, scale), alpha(units, raters.size(), scale));
    GroupComparison groups = options.groupA() == null ? null : groups(units, raters, scale);
    List<RaterPair> pairs = raterPairs(units, raters, scale);
    if (!scale.numeric() && options.order().isEmpty() && used.stream().anyMatch(r -> r.label().isNumeric())) {
      used.stream()
          .map(Rating::label)
          .filter(l -> !l.isNumeric())
          .findFirst()
          .ifPresent(l -> notes.add("labels compared as text, since '" + l.text() + "' is not a number"));
    }
    // Two numeric categories (1/2 verdicts) gain nothing from an order; three or more may well be grades.
    if (scale.numeric() && scale.size() >= 3 && options.level() == MeasurementLevel.NOMINAL) {
      notes.add(
          "labels are numbers but the level is nominal: no weighted kappa or correlations (choose the ordinal or"
              + " interval level if the numbers are grades)");
    }
    return new AgreementReport(
        ratings.source(), ratings.where().keepsAll() ? null : ratings.where().written(),
        ratings.labels().mapsNothing() ? null : ratings.labels().written(), options.level(), scale.numeric(),
        scale.names(), counts, exclusion, allRaters, groups, pairs, notes);
  }

  private List<Rating> selectRaters(List<Rating> all) {
    RaterPattern pattern = options.raters();
    if (pattern == null) {
      return all;
    }
    List<Rating> kept = all.stream().filter(r -> pattern.matches(r.rater())).toList();
    if (kept.isEmpty()) {
      throw new InputException(
          ratings.source(), 0, null,
          "rater pattern '" + pattern + "' matches no rater; raters are " + ratersOf(all));
    }
    return kept;
  }

  private boolean excluded(Label label) {
    return options.excludeLabels().stream().anyMatch(label::matches);
  }

  private Exclusion exclusion(List<Rating> selected, List<Rating> kept) {
    for (String label : options.excludeLabels()) {
      if (selected.stream().noneMatch(r -> r.label().matches(label))) {
        notes.add("left-out label '" + label + "' is not given by any vote");
      }
    }
    Set<Rating> keptSet = new HashSet<>(kept);
    Set<ItemKey> affected = new HashSet<>();
    for (Rating r : selected) {
      if (!keptSet.contains(r)) {
        affected.add(r.item());
      }
    }
    long before = selected.stream().map(Rating::item).distinct().count();
    long after = kept.stream().map(Rating::item).distinct().count();
    return new Exclusion(
        options.excludeLabels(), options.excludeScope(), selected.size() - kept.size(), affected.size(),
        before - after);
  }

  private List<Rating> exclude(List<Rating> selected) {
    if (options.excludeLabels().isEmpty()) {
      return selected;
    }
    if (options.excludeScope() == ExcludeScope.VOTE) {
      return selected.stream().filter(r -> !excluded(r.label())).toList();
    }
    Set<ItemKey> dropped = new HashSet<>();
    for (Rating r : selected) {
      if (excluded(r.label())) {
        dropped.add(r.item());
      }
    }
    return selected.stream().filter(r -> !dropped.contains(r.item())).toList();
  }

  private static PercentFigure percentAllPairs(List<List<Vote>> units) {
    List<List<Integer>> labels = new ArrayList<>();
    for (List<Vote> unit : units) {
      if (unit.size() >= 2) {
        labels.add(unit.stream().map(Vote::category).toList());
      }
    }
    if (labels.isEmpty()) {
      return new PercentFigure(0, 0, null, 0);
    }
    AgreementResult r = PercentAgreement.pairwise(labels);
    return new PercentFigure(r.agreeing(), r.total(), r.ratio(), labels.size());
  }

  private static FleissFigure fleiss(List<List<Vote>> units, Scale scale) {
    int min = units.stream().mapToInt(List::size).min().orElseThrow();
    int max = units.stream().mapToInt(List::size).max().orElseThrow();
    int k = scale.size();
    if (min != max) {
      return new FleissFigure(
          null, null, null, units.size(), null, k,
          "items have " + min + " to " + max
              + " votes; Fleiss' kappa needs the same number on every item (Krippendorff's alpha allows missing"
              + " votes)");
    }
    if (min < 2) {
      return new FleissFigure(
          null, null, null, units.size(), min, k, "every item has one vote: there is no agreement to measure");
    }
    long[][] table = new long[units.size()][k];
    for (int i = 0; i < units.size(); i++) {
      for (Vote v : units.get(i)) {
        table[i][v.category()]++;
      }
    }
    FleissResult r = FleissKappa.fromTable(table);
    return new FleissFigure(
        orNull(r.kappa()), orNull(r.observed()), orNull(r.expected()), r.subjects(), min, k,
        Double.isNaN(r.kappa()) ? "every vote has the same label: chance agreement is 1" : null);
  }

  private AlphaFigure alpha(List<List<Vote>> units, int raterCount, Scale scale) {
    MeasurementLevel level = options.level();
    long pairableUnits = units.stream().filter(u -> u.size() >= 2).count();
    long pairableVotes = units.stream().filter(u -> u.size() >= 2).mapToLong(List::size).sum();
    if (pairableUnits == 0) {
      return new AlphaFigure(null, level, null, null, 0, 0, "no item has two votes");
    }
    double[] values = scale.alphaValues(level);
    AlphaResult r;
    // Pick the smaller layout: units x categories counts, or raters x units values (many distinct interval values).
    if (scale.size() <= raterCount) {
      long[][] counts = new long[units.size()][scale.size()];
      for (int u = 0; u < units.size(); u++) {
        for (Vote v : units.get(u)) {
          counts[u][v.category()]++;
        }
      }
      r = KrippendorffAlpha.fromValueCounts(counts, values, level.alphaLevel());
    } else {
      double[][] data = new double[raterCount][units.size()];
      for (double[] row : data) {
        Arrays.fill(row, Double.NaN);
      }
      for (int u = 0; u < units.size(); u++) {
        for (Vote v : units.get(u)) {
          data[v.rater()][u] = values[v.category()];
        }
      }
      r = KrippendorffAlpha.compute(data, level.alphaLevel());
    }
    return new AlphaFigure(
        orNull(r.alpha()), level, orNull(r.observedDisagreement()), orNull(r.expectedDisagreement()),
        r.pairableUnits(), r.pairableValues(),
        Double.isNaN(r.alpha()) ? "every pairable vote has the same label: no variation to agree on" : null);
  }

  private GroupComparison groups(List<List<Vote>> units, List<String> raters, Scale scale) {
    boolean[] inA = select(options.groupA(), raters, "A");
    boolean[] inB = select(options.groupB(), raters, "B");
    for (int i = 0; i < raters.size(); i++) {
      if (inA[i] && inB[i]) {
        throw new InputException(
            ratings.source(), 0, null,
            "rater '" + raters.get(i) + "' matches both group A '" + options.groupA() + "' and group B '"
                + options.groupB() + "'; a vote cannot be paired with itself");
      }
    }
    PairCollector pairs = new PairCollector();
    long votesA = 0;
    long votesB = 0;
    for (List<Vote> unit : units) {
      boolean any = false;
      for (Vote a : unit) {
        votesA += inA[a.rater()] ? 1 : 0;
        votesB += inB[a.rater()] ? 1 : 0;
        if (!inA[a.rater()]) {
          continue;
        }
        for (Vote b : unit) {
          if (inB[b.rater()]) {
            pairs.add(a.category(), b.category());
            any = true;
          }
        }
      }
      pairs.items += any ? 1 : 0;
    }
    return new GroupComparison(
        new Group(options.groupA().spec(), members(raters, inA), votesA),
        new Group(options.groupB().spec(), members(raters, inB), votesB),
        compare(pairs, scale));
  }

  private boolean[] select(RaterPattern pattern, List<String> raters, String name) {
    boolean[] in = new boolean[raters.size()];
    boolean any = false;
    for (int i = 0; i < raters.size(); i++) {
      in[i] = pattern.matches(raters.get(i));
      any |= in[i];
    }
    if (!any) {
      throw new InputException(
          ratings.source(), 0, null, "group " + name + " '" + pattern + "' matches no rater; raters are " + raters);
    }
    return in;
  }

  private static List<String> members(List<String> raters, boolean[] in) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < raters.size(); i++) {
      if (in[i]) {
        out.add(raters.get(i));
      }
    }
    return out;
  }

  private List<RaterPair> raterPairs(List<List<Vote>> units, List<String> raters, Scale scale) {
    int n = raters.size();
    if (n > options.maxMatrixRaters()) {
      notes.add(
          "per-pair kappas left out: " + n + " raters, more than " + options.maxMatrixRaters() + " ("
              + (long) n * (n - 1) / 2 + " pairs)");
      return null;
    }
    PairCollector[][] byPair = new PairCollector[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        byPair[i][j] = new PairCollector();
      }
    }
    // One pass over the items; each item feeds only the pairs of raters who rated it (Σ m² work, not n² x items).
    for (List<Vote> unit : units) {
      for (Vote a : unit) {
        for (Vote b : unit) {
          if (a.rater() < b.rater()) {
            PairCollector p = byPair[a.rater()][b.rater()];
            p.add(a.category(), b.category());
            p.items++;
          }
        }
      }
    }
    List<RaterPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        out.add(new RaterPair(raters.get(i), raters.get(j), compare(byPair[i][j], scale)));
      }
    }
    return out;
  }

  /** Statistics over pairs of votes (first: the A side of Cohen's table). */
  private Comparison compare(PairCollector pairs, Scale scale) {
    MeasurementLevel level = options.level();
    int n = pairs.size;
    int k = scale.size();
    boolean ordered = level.isOrdered();
    boolean metric = level.isMetric();
    if (n == 0) {
      return new Comparison(
          0, 0, 0, null,
          emptyKappa("unweighted", k),
          ordered ? emptyKappa(metric ? "linear-by-value" : "linear", k) : null,
          ordered ? emptyKappa(metric ? "quadratic-by-value" : "quadratic", k) : null,
          ordered ? new CorrelationFigure(null, null, 0) : null,
          ordered ? new CorrelationFigure(null, null, 0) : null,
          metric ? new CorrelationFigure(null, null, 0) : null);
    }
    double[] values = scale.values();
    double[] a = new double[n];
    double[] b = new double[n];
    long agreeing = 0;
    for (int i = 0; i < n; i++) {
      a[i] = values[pairs.first[i]];
      b[i] = values[pairs.second[i]];
      agreeing += pairs.first[i] == pairs.second[i] ? 1 : 0;
    }
    // The whole scale as the category list, so that every comparison's table has the same categories and
    // position weights see categories neither side used.
    KappaFigure unweighted = kappa(CohenKappa.of(a, b, KappaWeights.unweighted(), values));
    KappaFigure linear = null;
    KappaFigure quadratic = null;
    CorrelationFigure tau = null;
    CorrelationFigure rho = null;
    CorrelationFigure r = null;
    if (ordered) {
      linear = kappa(CohenKappa.of(a, b, metric ? KappaWeights.linearByValue() : KappaWeights.linear(), values));
      quadratic =
          kappa(CohenKappa.of(a, b, metric ? KappaWeights.quadraticByValue() : KappaWeights.quadratic(), values));
      KendallResult kendall = KendallTau.compute(a, b);
      tau = new CorrelationFigure(orNull(kendall.tauB()), orNull(kendall.pValue()), kendall.n());
      rho = correlation(Correlation.spearman(a, b));
    }
    if (metric) {
      r = correlation(Correlation.pearson(a, b));
    }
    return new Comparison(
        pairs.items, n, agreeing, (double) agreeing / n, unweighted, linear, quadratic, tau, rho, r);
  }

  private static KappaFigure emptyKappa(String weighting, int categories) {
    return new KappaFigure(weighting, null, null, null, null, categories);
  }

  private static KappaFigure kappa(KappaResult r) {
    return new KappaFigure(
        r.weighting(), orNull(r.kappa()), orNull(r.observed()), orNull(r.expected()), orNull(r.standardError()),
        r.categories());
  }

  private static CorrelationFigure correlation(CorrelationResult r) {
    return new CorrelationFigure(orNull(r.coefficient()), orNull(r.pValue()), r.n());
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static List<String> ratersOf(List<Rating> votes) {
    return new ArrayList<>(new TreeSet<>(votes.stream().map(Rating::rater).toList()));
  }

  /** Growable parallel arrays of category pairs. */
  private static final class PairCollector {
    int[] first = new int[16];
    int[] second = new int[16];
    int size;
    long items;

    void add(int a, int b) {
      if (size == first.length) {
        first = Arrays.copyOf(first, size * 2);
        second = Arrays.copyOf(second, size * 2);
      }
      first[size] = a;
      second[size] = b;
      size++;
    }
  }

  /**
   * The ordered categories of the votes used, and the value of each for the statistics: the number itself when
   * labels are numeric, else the position (which is all that ordinal statistics look at).
   */
  record Scale(List<String> names, double[] values, boolean numeric, Map<Object, Integer> index) {
    int size() {
      return names.size();
    }

    /** The category of a rating's label. */
    int index(Rating r) {
      Integer i = index.get(numeric ? (Object) r.label().number() : r.label().text());
      if (i == null) {
        throw new IllegalStateException("label not on the scale: " + r.label());
      }
      return i;
    }

    /** Values for Krippendorff's alpha: positions below the interval level (order is all that counts there). */
    double[] alphaValues(MeasurementLevel level) {
      if (level.isMetric()) {
        return values;
      }
      double[] positions = new double[values.length];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = i;
      }
      return positions;
    }

    static Scale of(List<Rating> used, AgreementOptions options) {
      MeasurementLevel level = options.level();
      if (!options.order().isEmpty()) {
        return ordered(used, options.order());
      }
      Rating text = used.stream().filter(r -> !r.label().isNumeric()).findFirst().orElse(null);
      if (text == null) {
        double[] values =
            used.stream().mapToDouble(r -> r.label().number()).sorted().distinct().toArray();
        if (level == MeasurementLevel.RATIO && values[0] < 0) {
          Rating negative = used.stream().filter(r -> r.label().number() < 0).findFirst().orElseThrow();
          throw negative
              .origin()
              .problem("label " + negative.label() + " is negative; the ratio level needs non-negative numbers");
        }
        Map<Object, Integer> index = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (double v : values) {
          index.put(v, index.size());
          names.add(plain(v));
        }
        return new Scale(names, values, true, index);
      }
      if (level.isOrdered()) {
        throw text.origin()
            .problem(
                "label '" + text.label() + "' is not a number; the " + level.id() + " level needs numeric labels"
                    + (level.isMetric() ? "" : " or an explicit label order"));
      }
      List<String> names = new ArrayList<>(new TreeSet<>(used.stream().map(r -> r.label().text()).toList()));
      Map<Object, Integer> index = new HashMap<>();
      double[] values = new double[names.size()];
      for (String name : names) {
        values[index.size()] = index.size();
        index.put(name, index.size());
      }
      return new Scale(names, values, false, index);
    }

    /** Categories as the caller listed them; every label must be one of them. */
    private static Scale ordered(List<Rating> used, List<String> order) {
      Map<Object, Integer> index = new HashMap<>();
      for (Rating r : used) {
        String text = r.label().text();
        if (index.containsKey(text)) {
          continue;
        }
        int at = -1;
        for (int i = 0; i < order.size() && at < 0; i++) {
          if (r.label().matches(order.get(i))) {
            at = i;
          }
        }
        if (at < 0) {
          throw r.origin().problem("label '" + text + "' is not in the label order " + order);
        }
        index.put(text, at);
      }
      double[] values = new double[order.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = i;
      }
      return new Scale(order, values, false, index);
    }

    /** A number in its shortest plain decimal form: 1.0 as "1", 2.50 as "2.5". */
    static String plain(double v) {
      BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
      return d.signum() == 0 ? "0" : d.toPlainString();
    }
  }
}
