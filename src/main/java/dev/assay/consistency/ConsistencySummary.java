package dev.assay.consistency;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.assay.run.StageCount;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consistency of a whole set of prompts between two iterations (CREAM): {@code C = mean C(x)} over the prompts whose
 * C(x) is defined, and {@code label_smoothing = 1 - C}, the epsilon of conservative DPO that CREAM's loss equals.
 *
 * <p>Counts come beside every figure: {@code C} over 3 defined prompts out of 1,000 is not the same statement as
 * over 990. Undefined prompts (see {@link PromptConsistency}) are counted per reason and left out of the mean; when
 * no prompt is defined, {@code consistency}, {@code labelSmoothing} and {@code meanTauB} are null (JSON null).
 * Accounting: {@code prompts = kept + rejected + failed} and {@code measured = defined + undefined = kept +
 * rejected}.
 *
 * @param prompts prompts given to the stage (every prompt id seen on either side)
 * @param measured prompts a {@link PromptConsistency} was computed for
 * @param defined measured prompts with a defined C(x)
 * @param undefined measured prompts with an undefined C(x)
 * @param undefinedReasons undefined prompts per reason
 * @param kept prompts passed on (all measured prompts in report mode)
 * @param rejected prompts filtered out (filter mode)
 * @param failed prompts that could not be measured
 * @param rejections rejected prompts per reason code
 * @param failures failed prompts per error class
 * @param consistency C, the mean C(x) over defined prompts; null when none is defined
 * @param labelSmoothing {@code 1 - C}; null when C is
 * @param meanTauB the mean tau-b over defined prompts ({@code 2C - 1}); null when C is
 * @param histogram defined prompts per C(x) bin: bin i holds [i/10, (i+1)/10), the last bin also 1.0
 */
public record ConsistencySummary(
    long prompts,
    long measured,
    long defined,
    long undefined,
    Map<String, Long> undefinedReasons,
    long kept,
    long rejected,
    long failed,
    Map<String, Long> rejections,
    Map<String, Long> failures,
    @JsonInclude(ALWAYS) Double consistency,
    @JsonInclude(ALWAYS) Double labelSmoothing,
    @JsonInclude(ALWAYS) Double meanTauB,
    List<Long> histogram)
    implements java.io.Serializable { // Combine.globally serializes its default (empty-input) value into the graph
  /** Histogram bins over [0, 1]. */
  public static final int BINS = 10;

  public ConsistencySummary {
    undefinedReasons = Collections.unmodifiableMap(new TreeMap<>(undefinedReasons));
    rejections = Collections.unmodifiableMap(new TreeMap<>(rejections));
    failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    histogram = List.copyOf(histogram);
    if (prompts != kept + rejected + failed || measured != defined + undefined || measured != kept + rejected) {
      throw new IllegalArgumentException(
          "prompts must be kept + rejected + failed and measured defined + undefined = kept + rejected: " + prompts
              + " " + measured + " " + defined + " " + undefined + " " + kept + " " + rejected + " " + failed);
    }
    if ((consistency == null) != (defined == 0)) {
      throw new IllegalArgumentException("consistency must be null exactly when no prompt is defined");
    }
  }

  /** The histogram bin of a C(x) in [0, 1]. */
  public static int binOf(double consistency) {
    if (!(consistency >= 0 && consistency <= 1)) {
      throw new IllegalArgumentException("consistency must be in [0, 1]: " + consistency);
    }
    return Math.min(BINS - 1, (int) Math.floor(consistency * BINS));
  }

  /** The stage's accounting: prompts in, kept out, rejected and failed with their reasons. */
  public StageCount stageCount() {
    Map<String, Long> reasons = new TreeMap<>(rejections);
    failures.forEach((k, v) -> reasons.merge(k, v, Long::sum));
    return new StageCount(prompts, kept, rejected, failed, reasons);
  }
}
