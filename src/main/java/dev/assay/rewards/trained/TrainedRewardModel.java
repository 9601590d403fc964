package dev.assay.rewards.trained;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.assay.io.Hashing;
import dev.assay.io.InputException;
import dev.assay.rewards.TextFeatures;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * A linear regression of consensus labels on {@link TextFeatures}, trained with Tribuo's {@link LinearSGDTrainer}
 * (squared loss, AdaGrad) on the driver before the pipeline runs, then shipped to workers inside a DoFn.
 *
 * <p><b>Training.</b> Labels are centred on their mean (the model learns deviations; the mean is added back), which
 * lets AdaGrad start from zero weights without spending epochs on the intercept. {@value #EPOCHS} epochs,
 * minibatch 1, examples shuffled by Tribuo with the given seed: the same labels and seed give the same model.
 * {@link #residualSd()} is the RMSE on a seeded 20% of the labels held out from a first fit (the shipped model is then
 * fitted on all of them): the noise scale of pair probabilities, measured where the model cannot have memorised.
 *
 * <p><b>Shipping.</b> The Tribuo model travels as its protobuf bytes (Tribuo's stable format; its provenance records
 * the trainer, the seed and the labels' SHA-256) and is restored lazily on first use in each JVM.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for fewer than {@value #MIN_EXAMPLES} labels or labels that are
 * all equal (there is nothing to learn); {@link InputException} for a bad labels file ({@link ConsensusLabels#read});
 * {@link IllegalStateException} if the shipped bytes do not decode to a regression model (a corrupted closure).
 */
public final class TrainedRewardModel implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Passes over the data: plenty for a linear model on a few thousand labels; training takes well under a second. */
  public static final int EPOCHS = 20;

  /** AdaGrad's initial learning rate. */
  static final double LEARNING_RATE = 0.1;

  /** Below this a regression with thousands of features is noise. */
  public static final int MIN_EXAMPLES = 10;

  private static final String OUTPUT = "label";

  private final byte[] modelBytes;
  private final TextFeatures features;
  private final double labelMean;
  private final double residualSd;
  private final int examples;
  private final long seed;
  private final String labelsSha256;
  private transient volatile Model<Regressor> model;

  private TrainedRewardModel(
      Model<Regressor> model, TextFeatures features, double labelMean, double residualSd, int examples, long seed,
      String labelsSha256) {
    this.modelBytes = model.serialize().toByteArray();
    this.model = model;
    this.features = features;
    this.labelMean = labelMean;
    this.residualSd = residualSd;
    this.examples = examples;
    this.seed = seed;
    this.labelsSha256 = labelsSha256;
  }

  /** Reads {@code labelsFile} ({@link ConsensusLabels}) and trains with default features. */
  public static TrainedRewardModel train(Path labelsFile, long seed) {
    List<ConsensusLabel> labels = ConsensusLabels.read(labelsFile);
    if (labels.size() < MIN_EXAMPLES || labels.stream().mapToDouble(ConsensusLabel::label).distinct().count() < 2) {
      throw new InputException(
          labelsFile.toString(), 0, "label",
          "need at least " + MIN_EXAMPLES + " labels, not all equal, to train a reward model; found " + labels.size());
    }
    return train(labels, TextFeatures.defaults(), seed, Hashing.sha256(labelsFile));
  }

  /**
   * Trains on labels in memory.
   *
   * @param labelsSha256 the hash of where the labels came from, recorded in the model's provenance
   */
  public static TrainedRewardModel train(List<ConsensusLabel> labels, TextFeatures features, long seed, String labelsSha256) {
    return train(labels, features, seed, labelsSha256, LEARNING_RATE, EPOCHS);
  }

  static TrainedRewardModel train(
      List<ConsensusLabel> labels, TextFeatures features, long seed, String labelsSha256, double learningRate, int epochs) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labelsSha256, "labelsSha256");
    if (labels.size() < MIN_EXAMPLES) {
      throw new IllegalArgumentException("need at least " + MIN_EXAMPLES + " labels to train, got " + labels.size());
    }
    if (labels.stream().allMatch(l -> l.label() == labels.get(0).label())) {
      throw new IllegalArgumentException("all " + labels.size() + " labels are " + labels.get(0).label() + ": nothing to learn");
    }
    // The error scale of pair probabilities comes from labels the model did not see: with thousands of hashed
    // features a linear model fits its training labels closer than their noise, and a training RMSE would make every
    // preference overconfident. One seeded 80/20 split estimates it; the model that ships is then fitted on all labels.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int held = Math.max(2, labels.size() / 5);
    List<ConsensusLabel> fit = new ArrayList<>();
    List<ConsensusLabel> check = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      if (i < held) {
        check.add(labels.get(order.get(i)));
      } else {
        fit.add(labels.get(order.get(i)));
      }
    }
    Fitted probe = fit(fit, features, seed, labelsSha256, learningRate, epochs);
    double ss = 0;
    for (ConsensusLabel l : check) {
      double err = predictCentred(probe.model(), features, l.response()) + probe.mean() - l.label();
      ss += err * err;
    }
    Fitted all = fit(labels, features, seed, labelsSha256, learningRate, epochs);
    return new TrainedRewardModel(all.model(), features, all.mean(), Math.sqrt(ss / check.size()), labels.size(), seed, labelsSha256);
  }

  private record Fitted(Model<Regressor> model, double mean) {}

  private static Fitted fit(
      List<ConsensusLabel> labels, TextFeatures features, long seed, String labelsSha256, double learningRate, int epochs) {
    double mean = labels.stream().mapToDouble(ConsensusLabel::label).average().orElseThrow();
    RegressionFactory factory = new RegressionFactory();
    MutableDataset<Regressor> data =
        new MutableDataset<>(new SimpleDataSourceProvenance("consensus labels sha256:" + labelsSha256, factory), factory);
    for (ConsensusLabel l : labels) {
      data.add(example(features, l.response(), new Regressor(OUTPUT, l.label() - mean)));
    }
    LinearSGDTrainer trainer = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(learningRate, 0.1), epochs, -1, 1, seed);
    return new Fitted(trainer.train(data), mean);
  }

  /** The predicted label of a response. */
  public double predict(String response) {
    return predictCentred(model(), features, response) + labelMean;
  }

  /** The prediction error's standard deviation on held-out labels (RMSE of a seeded 80/20 split), label scale. */
  public double residualSd() {
    return residualSd;
  }

  public int examples() {
    return examples;
  }

  public long seed() {
    return seed;
  }

  public String labelsSha256() {
    return labelsSha256;
  }

  public TextFeatures features() {
    return features;
  }

  /**
   * The {@code n} weights with the largest magnitude, feature name to weight (on the centred label scale), largest
   * first: what this voter rewards, for a report.
   */
  public Map<String, Double> topFeatures(int n) {
    Map<String, Double> out = new LinkedHashMap<>();
    LinearSGDModel linear = (LinearSGDModel) model();
    for (var pair : linear.getTopFeatures(n).getOrDefault(OUTPUT, List.of())) {
      out.put(pair.getA(), pair.getB());
    }
    return out;
  }

  private static ArrayExample<Regressor> example(TextFeatures features, String text, Regressor output) {
    SortedMap<String, Double> f = features.extract(text);
    String[] names = f.keySet().toArray(new String[0]);
    double[] values = f.values().stream().mapToDouble(Double::doubleValue).toArray();
    return new ArrayExample<>(output, names, values);
  }

  private static double predictCentred(Model<Regressor> model, TextFeatures features, String text) {
    return model.predict(example(features, text, RegressionFactory.UNKNOWN_REGRESSOR)).getOutput().getValues()[0];
  }

  private Model<Regressor> model() {
    Model<Regressor> m = model;
    if (m == null) {
      synchronized (this) {
        m = model;
        if (m == null) {
          try {
            m = Model.deserialize(ModelProto.parseFrom(modelBytes)).castModel(Regressor.class);
          } catch (InvalidProtocolBufferException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("the shipped reward model does not decode: " + e.getMessage(), e);
          }
          model = m;
        }
      }
    }
    return m;
  }
}
