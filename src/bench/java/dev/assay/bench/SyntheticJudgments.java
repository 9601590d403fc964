package dev.assay.bench;

import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.rewards.CandidateReward;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes the CPU benchmark's input: seeded, deterministic synthetic judgments of a self-rewarding iteration, with
 * the candidates they judge and the previous iteration's rewards for CREAM.
 *
 * <p>Shape: {@code prompts x candidates x judges x samples} absolute judgments (the judges are {@link
 * BenchRecipe#JUDGES}). Each candidate has a hidden quality in 1..5; a judge's score is the quality plus Gaussian noise
 * and a per-judge bias, rounded and clamped, so voters mostly agree and sometimes split. About 2% of judgments are
 * unparseable and 0.5% failed (no score), about 2% of responses carry a judge-format marker (for the reward-hacking
 * guard) and response lengths vary by 4x (for length control). Texts and rationales are short English-like word
 * strings of realistic length (responses 20-80 words, rationales 25-50). The previous iteration's rewards are the
 * primary voter's, from a noisier view of the same qualities.
 *
 * <p>The same {@code (prompts, samples, seed)} always gives the same bytes: every prompt draws from its own
 * generator seeded from the seed and its index. Failure mode: {@link UncheckedIOException} when a file cannot be
 * written.
 *
 * @param prompts number of prompts
 * @param candidates candidates per prompt
 * @param samples judgments per judge and candidate
 * @param seed the master seed
 */
record SyntheticJudgments(int prompts, int candidates, int samples, long seed) {
  SyntheticJudgments {
    if (prompts < 1 || candidates < 2 || samples < 1) {
      throw new IllegalArgumentException("need prompts >= 1, candidates >= 2, samples >= 1");
    }
  }

  static final int CANDIDATES = 4;
  static final int SAMPLES = 2;

  /** The shape with at least {@code judgments} judgments (4 candidates, 3 judges, 2 samples per prompt). */
  static SyntheticJudgments ofAtLeast(long judgments, long seed) {
    long perPrompt = (long) CANDIDATES * BenchRecipe.JUDGES.size() * SAMPLES;
    long prompts = Math.max(1, (judgments + perPrompt - 1) / perPrompt);
    if (prompts > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many judgments: " + judgments);
    }
    return new SyntheticJudgments((int) prompts, CANDIDATES, SAMPLES, seed);
  }

  /** The number of judgments this shape writes. */
  long judgments() {
    return (long) prompts * candidates * BenchRecipe.JUDGES.size() * samples;
  }

  private static final String[] WORDS = (
      "the a of to and in is that for it as with on by this be are from at or an which can more each model answer "
          + "light energy water system value data step first second because therefore however example result process "
          + "change rate time cell heat form state point large small blue sky wave scatter length short long reason "
          + "clear correct simple number function input output test case user request detail evidence claim source")
      .split(" ");

  private static final String[] TOPICS = {
    "why the sky is blue", "how vaccines train the immune system", "what a hash table is", "how tides work",
    "why bread rises", "how a binary search works", "what inflation means", "how photosynthesis stores energy"
  };

  /** Writes the three input files into {@code folder} (created if needed). */
  void write(Path folder) {
    try {
      Files.createDirectories(folder);
      try (BufferedWriter judgments = writer(folder.resolve(BenchRecipe.JUDGMENTS));
          BufferedWriter cands = writer(folder.resolve(BenchRecipe.CANDIDATES));
          BufferedWriter previous = writer(folder.resolve(BenchRecipe.PREVIOUS_REWARDS))) {
        for (int i = 0; i < prompts; i++) {
          writePrompt(i, judgments, cands, previous);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic judgments into " + folder, e);
    }
  }

  private void writePrompt(int index, BufferedWriter judgments, BufferedWriter cands, BufferedWriter previous) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + index);
    String promptId = String.format(Locale.ROOT, "p%07d", index);
    String prompt = "Explain " + TOPICS[index % TOPICS.length] + " to a curious student (" + index + ").";
    List<String> judges = BenchRecipe.JUDGES;
    for (int c = 0; c < candidates; c++) {
      String id = Candidate.idFor(promptId, "policy-m1", c);
      double quality = 1 + rnd.nextInt(5);
      String response = words(rnd, 20 + rnd.nextInt(61));
      if (rnd.nextInt(50) == 0) {
        response = response + " [RESULT] 5";
      }
      line(cands, new Candidate(id, promptId, prompt, null, response, "policy-m1", c, "stop", hex(rnd)));
      double prev = Math.max(1, Math.min(5, quality + gaussian(rnd) * 1.2));
      line(previous, new CandidateReward(BenchRecipe.PRIMARY, promptId, id, prev, 2, 2, 0.5));
      for (int j = 0; j < judges.size(); j++) {
        String judge = judges.get(j);
        double bias = (j - 1) * 0.2;
        for (int s = 0; s < samples; s++) {
          int roll = rnd.nextInt(1000);
          String rationale = words(rnd, 25 + rnd.nextInt(26));
          JudgmentStatus status = roll < 5 ? JudgmentStatus.FAILED : roll < 25 ? JudgmentStatus.UNPARSEABLE : JudgmentStatus.OK;
          Integer score = null;
          String raw = null;
          String error = null;
          switch (status) {
            case OK -> {
              score = (int) Math.max(1, Math.min(5, Math.round(quality + bias + gaussian(rnd) * 0.9)));
              raw = rationale + "\n[RESULT] " + score;
            }
            case UNPARSEABLE -> {
              raw = rationale;
              error = "no score in the judge's answer";
            }
            default -> error = "TransportException: connection reset";
          }
          line(judgments, new Judgment(judge + "/" + id + "/" + s, promptId, JudgmentKind.ABSOLUTE, judge, "sim-judge",
              "absolute@bench01", id, null, s, status, score, null, status == JudgmentStatus.FAILED ? null : rationale,
              raw, ReferenceMode.NONE, hex(rnd), "llm", error));
        }
      }
    }
  }

  private static String words(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder(n * 6);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(i % 12 == 0 ? ". " : " ");
      }
      sb.append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return sb.append('.').toString();
  }

  /** A standard normal draw (Box-Muller), so the generator needs nothing but the seeded stream. */
  private static double gaussian(SplittableRandom rnd) {
    double u = 1 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  private static String hex(SplittableRandom rnd) {
    return Long.toHexString(rnd.nextLong() | Long.MIN_VALUE) + Long.toHexString(rnd.nextLong() | Long.MIN_VALUE);
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  private static void line(BufferedWriter w, Object record) throws IOException {
    w.write(Json.line(record));
    w.write('\n');
  }
}
