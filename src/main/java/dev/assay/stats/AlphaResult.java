package dev.assay.stats;

/**
 * Krippendorff's alpha with the quantities it is made of.
 *
 * <p>{@code alpha = 1 - observedDisagreement / expectedDisagreement}, both from the coincidence matrix of pairable
 * values: {@code D_o = Σ o_ck δ²_ck / n}, {@code D_e = Σ n_c n_k δ²_ck / (n (n - 1))}.
 *
 * @param alpha the statistic; 1 is perfect reliability, 0 chance level; NaN when expected disagreement is 0 (all
 *     pairable values equal, so there is no variation to agree on)
 * @param observedDisagreement D_o
 * @param expectedDisagreement D_e
 * @param pairableValues n: values in units with at least two values (only these enter alpha)
 * @param pairableUnits units with at least two values
 * @param units all units given, pairable or not
 * @param distinctValues distinct values among the pairable ones
 * @param level the metric used for δ²
 */
public record AlphaResult(
    double alpha,
    double observedDisagreement,
    double expectedDisagreement,
    long pairableValues,
    long pairableUnits,
    long units,
    int distinctValues,
    KrippendorffAlpha.Level level) {}
