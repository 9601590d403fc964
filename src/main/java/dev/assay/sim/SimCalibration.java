package dev.assay.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Measures a simulated judge the way published studies measured real ones, so the simulator's defaults can be put
 * beside those figures ({@code ./assay bench calibration}, SIMULATOR.md).
 *
 * <p><b>Items.</b> Item {@code i} is a synthetic prompt and two responses to it written by two different policies
 * drawn from {@code policies} (as MT-Bench pairs answers of different models), at temperature > 0. The truth of a
 * pair is which response has the higher true quality ({@link SimWorld#trueQuality}), a tie when they differ by less
 * than {@link #TRUTH_TIE_MARGIN}.
 *
 * <p><b>What is measured</b>, per judge, with the simulator's own judge code (no HTTP, no template rendering: the
 * same {@code SimJudge} the server answers with):
 *
 * <ul>
 *   <li>pairwise verdicts in both orders; the combined verdict is the common one, or a tie when the two orders
 *       disagree (the MT-Bench paper's rule for its agreement table);
 *   <li>agreement of the combined verdict with the truth, with ties as a third class and, apart, on the items where
 *       neither is a tie;
 *   <li>swap flips: the share of items whose verdict changes when the answers swap seats; the first-shown answer's
 *       share of the decisive single-order verdicts; the longer answer's share of the decisive combined verdicts
 *       where lengths differ;
 *   <li>within-judge agreement: three absolute samples (1-5, reference shown, as in prometheus-eval's GPT-4
 *       judgments) of one response, the share of items where all three agree.
 * </ul>
 *
 * Judgments without a result (refusal, parse failure, truncation) leave their item out of the figures they feed and
 * are counted. Pure and deterministic: the figures depend only on the configuration, the judge, the size and the seed.
 */
public final class SimCalibration {
  /** True qualities closer than this are a tie in the truth (the MT-Bench experts may vote a tie too). */
  public static final double TRUTH_TIE_MARGIN = 0.08;

  /** The policies whose responses make the calibration pairs: the default self-rewarding iterations. */
  public static final List<String> DEFAULT_POLICIES = List.of("sim-m0", "sim-m1", "sim-m2", "sim-m3");

  private static final long TAG_ITEM = SimHash.of("calibration-item");
  private static final long TAG_PAIRWISE = SimHash.of("calibration-pairwise");
  private static final long TAG_ABSOLUTE = SimHash.of("calibration-absolute");
  private static final int SAMPLES = 3;
  private static final String RESULT = "[RESULT] ";
  private static final List<String> TOPICS =
      List.of(
          "gardening", "volcanoes", "taxes", "photosynthesis", "chess", "bridges", "vaccines", "poetry", "jazz",
          "compilers", "glaciers", "bread", "satellites", "elections", "coral", "recursion", "pottery", "rivers",
          "batteries", "migration", "telescopes", "grammar", "insurance", "mountains", "bicycles", "memory",
          "copyright", "forests", "encryption", "weather", "languages", "sculpture");

  /**
   * The figures of one judge.
   *
   * @param judge the judge's model id
   * @param items items asked
   * @param pairwiseItems items whose two pairwise verdicts both parsed (the base of the pairwise figures)
   * @param truthTies of those, items the truth calls a tie
   * @param agreementWithTies share of pairwise items where the combined verdict equals the truth (3 classes)
   * @param decisiveItems items where neither the combined verdict nor the truth is a tie
   * @param agreementWithoutTies share of those where they agree
   * @param swapFlips share of pairwise items whose verdict changes when the answers swap seats
   * @param firstShownWins share of the decisive single-order verdicts that pick the answer shown first
   * @param longerWins share of the decisive combined verdicts (answers of different length) that pick the longer one
   * @param absoluteItems items whose three absolute samples all parsed
   * @param allSamplesAgree share of those where the three scores are equal
   * @param unparsed judgments without a result, over all that were asked
   */
  public record Figures(
      String judge,
      int items,
      int pairwiseItems,
      int truthTies,
      double agreementWithTies,
      int decisiveItems,
      double agreementWithoutTies,
      double swapFlips,
      double firstShownWins,
      double longerWins,
      int absoluteItems,
      double allSamplesAgree,
      int unparsed) {}

  private final SimulatorConfig config;
  private final Map<String, ModelProfile> models = new HashMap<>();
  private final SimPolicy policy;
  private final SimJudge judge;
  private final List<ModelProfile> policies;

  /**
   * @param config the simulator whose judges are measured (its world seed and models)
   * @param policies ids of at least two served models that write the calibration responses
   * @throws IllegalArgumentException when fewer than two policies are given or one is not served
   */
  public SimCalibration(SimulatorConfig config, List<String> policies) {
    this.config = Objects.requireNonNull(config, "config");
    config.models().forEach(m -> models.put(m.name(), m));
    if (policies.size() < 2) {
      throw new IllegalArgumentException("calibration pairs need at least two policies: " + policies);
    }
    this.policies =
        policies.stream()
            .map(
                id -> {
                  ModelProfile m = models.get(id);
                  if (m == null) {
                    throw new IllegalArgumentException("policy " + id + " is not served by this configuration");
                  }
                  return m;
                })
            .toList();
    this.policy = new SimPolicy(config.worldSeed());
    this.judge = new SimJudge(config.worldSeed(), models);
  }

  /** The default simulator with the {@link #DEFAULT_POLICIES}. */
  public static SimCalibration defaults() {
    return new SimCalibration(SimulatorConfig.defaults(), DEFAULT_POLICIES);
  }

  /**
   * Measures one judge on {@code items} items.
   *
   * @param judgeId a served model id
   * @param items the number of items, >= 1
   * @param seed the item seed (prompts, which policies, responses, judge draws)
   * @throws IllegalArgumentException for an unknown judge or items < 1
   */
  public Figures measure(String judgeId, int items, long seed) {
    ModelProfile j = models.get(judgeId);
    if (j == null) {
      throw new IllegalArgumentException("judge " + judgeId + " is not served by this configuration");
    }
    if (items < 1) {
      throw new IllegalArgumentException("items must be >= 1: " + items);
    }
    long world = config.worldSeed();
    int pairwise = 0, truthTies = 0, agreeWithTies = 0, decisive = 0, agreeDecisive = 0, flips = 0;
    int singleDecisive = 0, firstWins = 0, lengthDecisive = 0, longerWon = 0, absolute = 0, allAgree = 0;
    int unparsed = 0;
    for (int i = 0; i < items; i++) {
      SimDraws itemDraws = new SimDraws(SimHash.key(world, TAG_ITEM, seed, i));
      String prompt = prompt(itemDraws);
      int first = itemDraws.nextInt(policies.size());
      int second = (first + 1 + itemDraws.nextInt(policies.size() - 1)) % policies.size();
      String a = policy.respond(policies.get(first), prompt, itemDraws.nextLong(), false);
      String b = policy.respond(policies.get(second), prompt, itemDraws.nextLong(), false);

      Verdict ab = pairwiseVerdict(j, a, b, SimHash.key(world, TAG_PAIRWISE, seed, i, 0));
      Verdict baSwapped = pairwiseVerdict(j, b, a, SimHash.key(world, TAG_PAIRWISE, seed, i, 1));
      unparsed += (ab == null ? 1 : 0) + (baSwapped == null ? 1 : 0);
      if (ab != null && baSwapped != null) {
        Verdict ba = baSwapped.swap();
        pairwise++;
        double qa = SimWorld.trueQuality(world, a);
        double qb = SimWorld.trueQuality(world, b);
        Verdict truth = Math.abs(qa - qb) < TRUTH_TIE_MARGIN ? Verdict.TIE : (qa > qb ? Verdict.A : Verdict.B);
        Verdict combined = ab == ba ? ab : Verdict.TIE;
        truthTies += truth == Verdict.TIE ? 1 : 0;
        agreeWithTies += combined == truth ? 1 : 0;
        if (combined != Verdict.TIE && truth != Verdict.TIE) {
          decisive++;
          agreeDecisive += combined == truth ? 1 : 0;
        }
        flips += ab != ba ? 1 : 0;
        for (Verdict shown : List.of(ab, baSwapped)) { // as shown: A is the first seat
          if (shown != Verdict.TIE) {
            singleDecisive++;
            firstWins += shown == Verdict.A ? 1 : 0;
          }
        }
        int wa = SimWorld.wordCount(a);
        int wb = SimWorld.wordCount(b);
        if (combined != Verdict.TIE && wa != wb) {
          lengthDecisive++;
          longerWon += (combined == Verdict.A) == (wa > wb) ? 1 : 0;
        }
      }

      Integer[] scores = new Integer[SAMPLES];
      boolean allParsed = true;
      for (int s = 0; s < SAMPLES; s++) {
        JudgeTask task = new JudgeTask(JudgeTask.Kind.ABSOLUTE, a, null, null, true, 1, 5);
        scores[s] = result(judge.absolute(j, task, new SimDraws(SimHash.key(world, TAG_ABSOLUTE, seed, i, s))))
            .map(Integer::valueOf).orElse(null);
        if (scores[s] == null) {
          unparsed++;
          allParsed = false;
        }
      }
      if (allParsed) {
        absolute++;
        allAgree += scores[0].equals(scores[1]) && scores[1].equals(scores[2]) ? 1 : 0;
      }
    }
    return new Figures(
        judgeId, items, pairwise, truthTies, share(agreeWithTies, pairwise), decisive, share(agreeDecisive, decisive),
        share(flips, pairwise), share(firstWins, singleDecisive), share(longerWon, lengthDecisive), absolute,
        share(allAgree, absolute), unparsed);
  }

  private enum Verdict {
    A,
    B,
    TIE;

    Verdict swap() {
      return this == A ? B : (this == B ? A : TIE);
    }
  }

  private Verdict pairwiseVerdict(ModelProfile j, String first, String second, long key) {
    JudgeTask task = new JudgeTask(JudgeTask.Kind.PAIRWISE, null, first, second, false, 1, 5);
    return result(judge.pairwise(j, task, new SimDraws(key)))
        .map(r -> r.equals("A") ? Verdict.A : (r.equals("B") ? Verdict.B : Verdict.TIE))
        .orElse(null);
  }

  /** What follows the result marker, or empty when the judgment has none (refusal, parse failure, truncation). */
  private static java.util.Optional<String> result(Generated g) {
    int at = g.text().lastIndexOf(RESULT);
    return at < 0 ? java.util.Optional.empty() : java.util.Optional.of(g.text().substring(at + RESULT.length()).strip());
  }

  private static String prompt(SimDraws d) {
    String x = d.pick(TOPICS);
    String y = d.pick(TOPICS);
    return "Explain how " + x + " relates to " + y + ", with an example.";
  }

  private static double share(int part, int whole) {
    return whole == 0 ? Double.NaN : (double) part / whole;
  }
}
