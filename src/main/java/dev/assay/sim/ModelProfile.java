package dev.assay.sim;

import java.util.Objects;

/**
 * How one simulated model behaves, as a policy (writing responses), as a judge (grading them) and as a scorer
 * (token log-probs). The same model plays every role; the request's content decides which (see {@link Simulator}).
 *
 * <p><b>Policy.</b> A response's true quality ({@link SimWorld#trueQuality}) is drawn around {@code skill}: the
 * model drafts two to nine sentences, then swaps words until the quality is within 0.01 of a target
 * {@code clamp(skill + 0.15 N(0,1))} (exactly {@code skill} at temperature 0); so the mean quality of a model's
 * responses is about its skill, whatever their length (within one model, length says nothing about quality). A
 * model's {@code verbosity} adds sentences to every response: stronger models that write longer answers make the
 * longer of two models' answers the better one more often, as on MT-Bench. With probability {@code hackRate} it instead writes a short
 * reward-hacking response with an instruction to the judge, whose true quality is low. A model with a non-zero
 * {@code selfPreference} drafts its (non-hacking) responses in a style of its own ({@link SimStyle}), which leaves
 * their quality as it was.
 *
 * <p><b>Judge.</b> The judge does not see the truth {@code q} exactly. It perceives
 * {@code p = judgeAccuracy * q + (1 - judgeAccuracy) * taste}, where {@code taste} in [0, 1] is its own idea of
 * quality: the normal CDF of {@code t}, with {@code t = z(driftSeed)} for a judge without {@code driftFrom} and
 * {@code t = ((1 - drift) t_parent + drift z(driftSeed)) / sqrt((1 - drift)^2 + drift^2)} for a judge drifting from
 * {@code driftFrom}; {@code z(s)} is a word-value score of the text with independent seed {@code s}. So
 * {@code drift = 0} (with the parent's accuracy) gives the parent's scores up to noise, {@code drift = 1} a taste
 * independent of the parent's. An absolute score is
 * {@code lo + round((hi - lo) * clamp(p + lengthBias * words / 100 + judgeNoise N(0,1)))} on the rubric's scale
 * {@code lo..hi} (noise halved when a reference answer is shown). Pairwise, both responses get
 * such a latent value (with the pairwise taste, below) and independent noise of sd {@code pairwiseNoise}; with probability {@code positionBias} the verdict is A regardless,
 * otherwise the larger latent wins, or tie within 0.06 of the scale. Before scoring, with probability {@code refusalRate} the judge
 * refuses, and after scoring it may drop the result marker ({@code parseFailureRate}) or be cut off before it
 * ({@code truncationRate}, finish reason {@code length}). A judge with {@code obeysInjection} gives a response that
 * carries a judge instruction the top score (absolute) or the win (pairwise, when only one side carries one). A judge
 * with {@code selfPreference} adds it to the latent value of a response it recognises as its own ({@link SimStyle}).
 *
 * <p><b>Scorer.</b> Each token's log-prob is a model-independent base plus {@code (0.5 + learned) * 2 * (v(w) - 1/2)}
 * for content words plus model-specific noise (sd 0.3 per token); so {@code sum log p_t - sum log p_ref} grows with
 * the response's true quality times {@code learned_t - learned_ref}.
 *
 * <p><b>Shared errors.</b> A judge's taste is its systematic error; two knobs say how far the model's other
 * instruments share it (see {@link SimTaste}). {@code pairwiseShare}: the pairwise judge's taste is the absolute
 * judge's mixed with an independent one of its own, 1 = the same taste (absolute and pairwise verdicts differ only by
 * noise and position bias), 0 = independent tastes. {@code implicitShare}: the learned part of the model's log-probs
 * (the {@code learned} term above) rewards, per word, the truth mixed with the absolute judge's taste, 0 = the truth
 * alone (the implicit reward's errors are token noise, independent of the judge's), 1 = the judge's taste alone.
 * Neither has a published figure to be calibrated to; {@code ./assay bench filters} sweeps both.
 *
 * <p>Build with {@link #builder(String)}; the record validates its ranges and throws
 * {@link IllegalArgumentException} on a caller mistake.
 *
 * @param name the served model id; must start with {@code sim-} so that it cannot pass for a real model
 * @param skill the policy's mean true quality, in [0, 1]
 * @param hackRate probability that a policy response is a reward-hacking one, in [0, 1]
 * @param judgeAccuracy weight of the truth in what the judge perceives, in [0, 1]
 * @param judgeNoise standard deviation of the noise on an absolute latent score (fraction of the scale), >= 0
 * @param positionBias probability that a pairwise verdict is A whatever the responses, in [0, 1]
 * @param lengthBias latent-score bonus per 100 words of the response (fraction of the scale; may be negative)
 * @param parseFailureRate probability that a judgment lacks a parseable result, in [0, 1]
 * @param refusalRate probability that the judge refuses to judge, in [0, 1]
 * @param truncationRate probability that the judgment is cut off before its result, in [0, 1]
 * @param obeysInjection whether instructions aimed at the judge inside a response are obeyed
 * @param learned how much the model has learned, for log-probs: 0 for a reference model, more for later iterations
 * @param drift in [0, 1]: how much of the judge's taste is replaced relative to {@code driftFrom}
 * @param driftSeed the seed of this judge's own taste
 * @param driftFrom the model whose taste this judge starts from, or null for a fresh taste
 * @param pairwiseShare in [0, 1]: how much of the absolute judge's taste the same model's pairwise judge shares
 * @param implicitShare in [0, 1]: how much of the absolute judge's taste the model's learned log-probs carry
 * @param pairwiseNoise standard deviation of the noise on each response's latent value in a pairwise comparison
 *     (fraction of the scale), >= 0; {@link Builder#judgeNoise} sets it with the absolute noise
 * @param verbosity extra sentences the policy writes: its responses have {@code 2 + verbosity} to
 *     {@code 9 + verbosity} sentences, in [0, 20]
 * @param selfPreference in [-1, 1]: what this judge adds to its latent value (fraction of the scale) for a response
 *     in its own model's style ({@link SimStyle}); a model with a non-zero value also writes in that style
 */
public record ModelProfile(
    String name,
    double skill,
    double hackRate,
    double judgeAccuracy,
    double judgeNoise,
    double positionBias,
    double lengthBias,
    double parseFailureRate,
    double refusalRate,
    double truncationRate,
    boolean obeysInjection,
    double learned,
    double drift,
    long driftSeed,
    String driftFrom,
    double pairwiseShare,
    double implicitShare,
    double pairwiseNoise,
    int verbosity,
    double selfPreference) {

  /** Every simulated model id starts with this, so a simulated run can never be mistaken for a real one. */
  public static final String NAME_PREFIX = "sim-";

  public ModelProfile {
    Objects.requireNonNull(name, "name");
    if (!name.startsWith(NAME_PREFIX)
        || name.length() == NAME_PREFIX.length()
        || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a simulated model id must look like sim-NAME (no spaces): '" + name + "'");
    }
    unit("skill", skill);
    unit("hackRate", hackRate);
    unit("judgeAccuracy", judgeAccuracy);
    unit("positionBias", positionBias);
    unit("parseFailureRate", parseFailureRate);
    unit("refusalRate", refusalRate);
    unit("truncationRate", truncationRate);
    unit("drift", drift);
    unit("pairwiseShare", pairwiseShare);
    unit("implicitShare", implicitShare);
    if (!(judgeNoise >= 0) || Double.isInfinite(judgeNoise)) {
      throw new IllegalArgumentException("judgeNoise must be finite and >= 0: " + judgeNoise);
    }
    if (verbosity < 0 || verbosity > 20) {
      throw new IllegalArgumentException("verbosity must be in [0, 20]: " + verbosity);
    }
    if (!(pairwiseNoise >= 0) || Double.isInfinite(pairwiseNoise)) {
      throw new IllegalArgumentException("pairwiseNoise must be finite and >= 0: " + pairwiseNoise);
    }
    if (!Double.isFinite(lengthBias) || !Double.isFinite(learned)) {
      throw new IllegalArgumentException("lengthBias and learned must be finite");
    }
    if (!(selfPreference >= -1 && selfPreference <= 1)) {
      throw new IllegalArgumentException("selfPreference must be in [-1, 1]: " + selfPreference);
    }
    if (name.equals(driftFrom)) {
      throw new IllegalArgumentException(name + " cannot drift from itself");
    }
  }

  private static void unit(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1]: " + value);
    }
  }

  /**
   * A builder with neutral defaults: skill 0.5, judge accuracy 0.7, judge noise 0.1, no biases, no failures, no
   * injection obedience, learned 0, no drift parent, a taste seed derived from the name (distinct per model), the
   * pairwise judge sharing the absolute judge's whole taste (pairwise share 1) and log-probs carrying none of it
   * (implicit share 0).
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder preset with this profile's values, for variants ({@code p.toBuilder().judgeNoise(0).build()}). */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.skill = skill;
    b.hackRate = hackRate;
    b.judgeAccuracy = judgeAccuracy;
    b.judgeNoise = judgeNoise;
    b.positionBias = positionBias;
    b.lengthBias = lengthBias;
    b.parseFailureRate = parseFailureRate;
    b.refusalRate = refusalRate;
    b.truncationRate = truncationRate;
    b.obeysInjection = obeysInjection;
    b.learned = learned;
    b.drift = drift;
    b.driftSeed = driftSeed;
    b.driftFrom = driftFrom;
    b.pairwiseShare = pairwiseShare;
    b.implicitShare = implicitShare;
    b.pairwiseNoise = pairwiseNoise;
    b.verbosity = verbosity;
    b.selfPreference = selfPreference;
    return b;
  }

  /** Assembles a {@link ModelProfile}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private String name;
    private double skill = 0.5;
    private double hackRate;
    private double judgeAccuracy = 0.7;
    private double judgeNoise = 0.1;
    private double positionBias;
    private double lengthBias;
    private double parseFailureRate;
    private double refusalRate;
    private double truncationRate;
    private boolean obeysInjection;
    private double learned;
    private double drift;
    private long driftSeed;
    private String driftFrom;
    private double pairwiseShare = 1;
    private double implicitShare;
    private double pairwiseNoise = 0.1;
    private int verbosity;
    private double selfPreference;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
      this.driftSeed = SimHash.of(name);
    }

    /** Renames the profile; the taste seed stays as it was (call {@link #driftSeed} to change it). */
    public Builder name(String v) { name = v; return this; }
    public Builder skill(double v) { skill = v; return this; }
    public Builder hackRate(double v) { hackRate = v; return this; }
    public Builder judgeAccuracy(double v) { judgeAccuracy = v; return this; }
    /** The noise of absolute scores, and of pairwise comparisons too unless {@link #pairwiseNoise} is set after. */
    public Builder judgeNoise(double v) { judgeNoise = v; pairwiseNoise = v; return this; }

    /**
     * The noise on each response's latent value in a pairwise comparison. Set apart from {@link #judgeNoise}
     * because the two instruments differ: sampled absolute scores of one response vary a lot (prometheus-eval's
     * three GPT-4 samples agree on 44% of items), while a side-by-side verdict rarely changes when the answers
     * swap seats (12.9%); one noise cannot give both.
     */
    public Builder pairwiseNoise(double v) { pairwiseNoise = v; return this; }

    /** Extra sentences in every policy response (0 to 20): a more verbose model, not a better one. */
    public Builder verbosity(int v) { verbosity = v; return this; }
    public Builder positionBias(double v) { positionBias = v; return this; }
    public Builder lengthBias(double v) { lengthBias = v; return this; }
    public Builder parseFailureRate(double v) { parseFailureRate = v; return this; }
    public Builder refusalRate(double v) { refusalRate = v; return this; }
    public Builder truncationRate(double v) { truncationRate = v; return this; }
    public Builder obeysInjection(boolean v) { obeysInjection = v; return this; }
    public Builder learned(double v) { learned = v; return this; }
    public Builder driftSeed(long v) { driftSeed = v; return this; }

    /** How much of the absolute judge's taste the pairwise judge shares: 1 the same taste, 0 an independent one. */
    public Builder pairwiseShare(double v) { pairwiseShare = v; return this; }

    /** How much of the absolute judge's taste the learned log-probs carry: 0 the truth alone, 1 the taste alone. */
    public Builder implicitShare(double v) { implicitShare = v; return this; }
    /**
     * How much this model, as a judge, favours responses it wrote: added to the latent value (fraction of the scale)
     * of a response in its own style. Non-zero also makes it write in that style ({@link SimStyle}).
     */
    public Builder selfPreference(double v) { selfPreference = v; return this; }

    /** This judge's taste starts from {@code parent}'s, with a share {@code drift} of it replaced. */
    public Builder driftFrom(String parent, double drift) {
      this.driftFrom = parent;
      this.drift = drift;
      return this;
    }

    /** A judge with a fresh taste of its own (no parent). */
    public Builder noDrift() {
      this.driftFrom = null;
      this.drift = 0;
      return this;
    }

    /** Judge noise, all biases and all failure rates set to zero, injection ignored: an ideal instrument. */
    public Builder exact() {
      judgeNoise = 0;
      pairwiseNoise = 0;
      positionBias = 0;
      lengthBias = 0;
      parseFailureRate = 0;
      refusalRate = 0;
      truncationRate = 0;
      obeysInjection = false;
      return this;
    }

    public ModelProfile build() {
      return new ModelProfile(
          name, skill, hackRate, judgeAccuracy, judgeNoise, positionBias, lengthBias, parseFailureRate, refusalRate,
          truncationRate, obeysInjection, learned, drift, driftSeed, driftFrom,
          pairwiseShare, implicitShare, pairwiseNoise, verbosity, selfPreference);
    }
  }
}
