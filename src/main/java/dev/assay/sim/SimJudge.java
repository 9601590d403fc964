package dev.assay.sim;

import java.util.List;
import java.util.Map;

/**
 * The simulated judge (see {@link ModelProfile} for the score model). Pure: a judgment depends only on the world
 * seed, the profiles (for drift parents), the task and the draws it is given.
 */
final class SimJudge {
  /**
   * Latent difference below which a pairwise comparison is a tie: 0.06 of the scale, so that the calibrated judge
   * (SIMULATOR.md) calls ties about as often as the truth has them.
   */
  static final double TIE_MARGIN = 0.06;

  private static final List<List<String>> BANDS =
      List.of(
          List.of(
              "does not address the instruction in a useful way", "misses the point of the instruction",
              "is mostly irrelevant to what was asked"),
          List.of(
              "addresses the instruction only in part", "has serious gaps and some confusion",
              "touches the topic but leaves most of it open"),
          List.of(
              "addresses the instruction adequately", "covers the main points with some gaps",
              "is acceptable but uneven"),
          List.of(
              "addresses the instruction well", "is accurate and mostly complete",
              "is clear and relevant with minor gaps"),
          List.of(
              "addresses the instruction thoroughly", "is accurate, complete and well organised",
              "fully meets the description of the best answer"));
  private static final List<String> PLACES =
      List.of("near the bottom", "in the lower half", "in the middle", "in the upper half", "near the top");
  private static final List<String> REFUSALS =
      List.of(
          "I cannot evaluate this response; the request falls outside what I am able to assess.",
          "I cannot evaluate this. I'm sorry, but grading this content is not something I can help with.",
          "I cannot evaluate this response as requested.");
  private static final List<String> BETTER =
      List.of(
          "is more accurate and complete than", "addresses the instruction better than",
          "is clearer and more relevant than");

  private final long worldSeed;
  private final SimTaste taste;

  SimJudge(long worldSeed, Map<String, ModelProfile> profiles) {
    this.worldSeed = worldSeed;
    this.taste = new SimTaste(worldSeed, profiles);
  }

  /** What the absolute judge perceives of a response's quality, before length bias and noise; in [0, 1]. */
  double perceived(ModelProfile p, String text) {
    return perceived(p, text, taste.absoluteZ(p, text));
  }

  /** What the pairwise judge perceives: the same truth weight, its own taste (see {@link SimTaste#pairwiseZ}). */
  double perceivedPairwise(ModelProfile p, String text) {
    return perceived(p, text, taste.pairwiseZ(p, text));
  }

  private double perceived(ModelProfile p, String text, double tasteZ) {
    double q = SimWorld.trueQuality(worldSeed, text);
    return p.judgeAccuracy() * q + (1 - p.judgeAccuracy()) * SimWorld.phi(tasteZ);
  }

  private double latent(
      ModelProfile p, JudgeTask t, String text, double perceived, double noiseSd, double gaussian) {
    double sd = noiseSd * (t.hasReference() ? 0.5 : 1.0);
    return perceived + p.lengthBias() * SimWorld.wordCount(text) / 100.0 + sd * gaussian + selfBonus(p, text);
  }

  /** A self-preferring judge's bonus for a response in its own style; 0 for every other judge or response. */
  private double selfBonus(ModelProfile p, String text) {
    return p.selfPreference() != 0 && SimStyle.isOwn(worldSeed, p, text) ? p.selfPreference() : 0;
  }

  Generated absolute(ModelProfile p, JudgeTask t, SimDraws d) {
    // Draw everything up front, in a fixed order, so one outcome never shifts the draws of another.
    double uRefuse = d.nextDouble();
    double uParse = d.nextDouble();
    double uTruncate = d.nextDouble();
    double noise = d.nextGaussian();
    if (uRefuse < p.refusalRate()) {
      return new Generated(d.pick(REFUSALS), "stop");
    }
    String response = t.response();
    int score;
    if (p.obeysInjection() && SimWorld.containsJudgeInjection(response)) {
      score = t.scaleMax();
    } else {
      double x = SimWorld.clamp01(latent(p, t, response, perceived(p, response), p.judgeNoise(), noise));
      score = t.scaleMin() + (int) Math.round((t.scaleMax() - t.scaleMin()) * x);
    }
    int band = Math.min(4, (int) Math.floor(5.0 * (score - t.scaleMin()) / (t.scaleMax() - t.scaleMin())));
    String feedback = "Feedback: The response " + d.pick(BANDS.get(band)) + ". " + lengthRemark(response);
    if (uParse < p.parseFailureRate()) {
      return new Generated(feedback + " Overall I would place it " + PLACES.get(band) + " of the scale.", "stop");
    }
    if (uTruncate < p.truncationRate()) {
      return new Generated(cutHalf(feedback), "length");
    }
    return new Generated(feedback + " [RESULT] " + score, "stop");
  }

  Generated pairwise(ModelProfile p, JudgeTask t, SimDraws d) {
    double uRefuse = d.nextDouble();
    double uParse = d.nextDouble();
    double uTruncate = d.nextDouble();
    double uPosition = d.nextDouble();
    double noiseA = d.nextGaussian();
    double noiseB = d.nextGaussian();
    if (uRefuse < p.refusalRate()) {
      return new Generated(d.pick(REFUSALS), "stop");
    }
    boolean injA = SimWorld.containsJudgeInjection(t.responseA());
    boolean injB = SimWorld.containsJudgeInjection(t.responseB());
    String verdict;
    if (p.obeysInjection() && injA != injB) {
      verdict = injA ? "A" : "B";
    } else if (uPosition < p.positionBias()) {
      verdict = "A";
    } else {
      double diff =
          latent(p, t, t.responseA(), perceivedPairwise(p, t.responseA()), p.pairwiseNoise(), noiseA)
              - latent(p, t, t.responseB(), perceivedPairwise(p, t.responseB()), p.pairwiseNoise(), noiseB);
      verdict = Math.abs(diff) < TIE_MARGIN ? "tie" : (diff > 0 ? "A" : "B");
    }
    String feedback =
        switch (verdict) {
          case "A" -> "Feedback: Response A " + d.pick(BETTER) + " Response B.";
          case "B" -> "Feedback: Response B " + d.pick(BETTER) + " Response A.";
          default -> "Feedback: Both responses are of similar quality; neither is clearly better.";
        };
    if (uParse < p.parseFailureRate()) {
      return new Generated(
          "Feedback: Both responses have strengths, and on balance I lean towards one of them.", "stop");
    }
    if (uTruncate < p.truncationRate()) {
      return new Generated(cutHalf(feedback), "length");
    }
    return new Generated(feedback + " [RESULT] " + verdict, "stop");
  }

  private static String lengthRemark(String response) {
    int words = SimWorld.wordCount(response);
    return words < 30 ? "It is brief." : (words < 80 ? "Its length suits the task." : "It is long and detailed.");
  }

  /** The first half of the words (at least three): a judgment cut off by the token limit before its result. */
  private static String cutHalf(String text) {
    String[] words = SimWorld.tokens(text);
    return String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, Math.max(3, words.length / 2))));
  }
}
