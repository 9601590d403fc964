package dev.assay.rewards;

import java.io.Serializable;
import java.util.Objects;
import java.util.Set;

/**
 * One configured internal reward model (a voter), bound from an entry of {@code reward_models:} in a recipe. The
 * entry's {@code type:} picks the record; its other keys are that record's components in snake_case. Several entries
 * may share a type with different judges, models or reference modes: each is its own voter.
 *
 * <p>The built-in types are the records below. A type from elsewhere (a plug-in, a test) implements {@link
 * Extension} and registers a {@link RewardModelType} (one line in {@code META-INF/services}, see {@link
 * RewardModelTypes}); the family stays sealed, so code that handles the built-in types sees them all.
 *
 * <p>Failure modes: the compact constructors throw {@link IllegalArgumentException} (or {@link NullPointerException}
 * for a missing {@code name}) with a message that starts with the offending key, so a recipe error points at it.
 */
public sealed interface RewardModelSpec extends Serializable
    permits RewardModelSpec.Judge,
        RewardModelSpec.Pairwise,
        RewardModelSpec.Implicit,
        RewardModelSpec.Trained,
        RewardModelSpec.Verifier,
        RewardModelSpec.Extension {
  /** The voter's name, unique in a recipe. */
  String name();

  /** The {@code type:} value of this voter's kind, as registered with {@link RewardModelTypes}. */
  String type();

  /**
   * {@code judge}: the mean of N absolute judgments of one judge.
   *
   * @param judge the name of the judge (in {@code judges:}) whose judgments it reads
   */
  record Judge(String name, String judge) implements RewardModelSpec {
    public static final String TYPE = "judge";

    public Judge {
      Objects.requireNonNull(name, "name");
      if (judge == null) {
        throw new IllegalArgumentException("judge: a judge reward model needs the name of a configured judge");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code pairwise}: the share of both-order verdicts that prefer a response (a verdict that flips is a tie).
   *
   * @param judge the name of the pairwise judge (in {@code judges:}) whose verdicts it reads
   */
  record Pairwise(String name, String judge) implements RewardModelSpec {
    public static final String TYPE = "pairwise";

    public Pairwise {
      Objects.requireNonNull(name, "name");
      if (judge == null) {
        throw new IllegalArgumentException("judge: a pairwise reward model needs the name of a configured judge");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code implicit}: the DPO implicit reward from token log-probs.
   *
   * @param endpoint the current model's endpoint
   * @param referenceEndpoint the reference model's endpoint; null = length-normalised log-likelihood under the
   *     current model (CREAM's choice at iteration 0)
   * @param beta the DPO beta (default 0.1)
   */
  record Implicit(String name, String endpoint, String referenceEndpoint, Double beta) implements RewardModelSpec {
    public static final String TYPE = "implicit";

    public Implicit {
      Objects.requireNonNull(name, "name");
      if (endpoint == null) {
        throw new IllegalArgumentException("endpoint: an implicit reward model needs the current model's endpoint");
      }
      beta = beta == null ? 0.1 : beta;
      if (!(beta > 0)) {
        throw new IllegalArgumentException("beta must be > 0: " + beta);
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code trained}: a small Tribuo model trained on earlier iterations' consensus labels.
   *
   * @param labels a JSONL file of earlier consensus labels (path relative to the recipe folder)
   */
  record Trained(String name, String labels) implements RewardModelSpec {
    public static final String TYPE = "trained";

    public Trained {
      Objects.requireNonNull(name, "name");
      if (labels == null) {
        throw new IllegalArgumentException("labels: a trained reward model needs earlier consensus labels");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * {@code verifier}: a rule check of each response against its prompt's reference answer.
   *
   * @param match {@code exact}, {@code normalised} (default) or {@code numeric}
   */
  record Verifier(String name, String match) implements RewardModelSpec {
    public static final String TYPE = "verifier";

    public Verifier {
      Objects.requireNonNull(name, "name");
      match = match == null ? "normalised" : match;
      if (!Set.of("exact", "normalised", "numeric").contains(match)) {
        throw new IllegalArgumentException("match must be exact, normalised or numeric: " + match);
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * The spec of a reward-model type registered from outside the built-in family. Implementations are records (the
   * recipe binder builds them from YAML) and serializable (they travel with the pipeline).
   */
  non-sealed interface Extension extends RewardModelSpec {}
}
