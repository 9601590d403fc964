package dev.assay.rewards;

import static dev.assay.rewards.Fixtures.candidate;
import static dev.assay.rewards.Fixtures.counter;
import static dev.assay.rewards.Fixtures.list;
import static dev.assay.rewards.Fixtures.score;
import static dev.assay.rewards.Fixtures.verdict;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Candidate;
import dev.assay.grouping.PromptShardOptions;
import dev.assay.grouping.PromptShards;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.PairCandidates;
import dev.assay.judging.Verdict;
import dev.assay.rewards.judge.ScoreWithJudge;
import dev.assay.rewards.pairwise.ScoreWithPairwiseJudge;
import dev.assay.rewards.trained.ConsensusLabel;
import dev.assay.rewards.trained.TrainedRewardModelTest;
import dev.assay.testing.Pipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardModelsTest {
  private static final int PROMPTS = 40;
  private static final int SHARDS = 4;
  private static final Map<String, RewardModelSpec.Implicit> HOOK_CALLS = new ConcurrentHashMap<>();

  @TempDir Path tmp;

  /** A stand-in for the other engineer's implicit reward: the response length, compared by difference. */
  private static final class LengthAsImplicit extends PTransform<PCollection<Candidate>, RewardModelOutput> {
    private final String name;

    LengthAsImplicit(String name) {
      this.name = name;
    }

    @Override
    public RewardModelOutput expand(PCollection<Candidate> candidates) {
      String n = name;
      PCollection<CandidateReward> rewards =
          candidates
              .apply(MapElements.into(TypeDescriptor.of(CandidateReward.class))
                  .via(c -> new CandidateReward(n, c.promptId(), c.id(), c.response().length(), 1, 1, 0)))
              .setCoder(JsonCoder.of(CandidateReward.class));
      return RewardModelOutput.of(rewards, rewards.apply(CompareRewards.with(n, PreferenceRule.byDifference())));
    }
  }

  private static List<RewardModelSpec> specs() {
    return List.of(
        new RewardModelSpec.Judge("judge:self", "self"),
        new RewardModelSpec.Pairwise("pairwise:pw", "pw"),
        new RewardModelSpec.Verifier("verifier", "numeric"),
        new RewardModelSpec.Trained("trained", "labels.jsonl"),
        new RewardModelSpec.Implicit("implicit", "policy", null, null));
  }

  /**
   * Five voters side by side on 40 prompts x 2 candidates: each gets its own transform, tags every output with its
   * name, gives 80 rewards and 40 preferences, and groups into at most 4 keys (by the graph and by the run).
   */
  @Test
  void dispatchesEveryTypeToItsTransformAndBoundsTheGroupingKeys() throws IOException {
    writeLabels(tmp.resolve("labels.jsonl"));
    List<Candidate> candidates = new ArrayList<>();
    List<Judgment> judgments = new ArrayList<>();
    for (int i = 0; i < PROMPTS; i++) {
      String p = "p" + i;
      candidates.add(candidate(p, 0, "The answer is " + i + ".", Integer.toString(i)));
      candidates.add(candidate(p, 1, "I think it is " + (i + 1) + ", roughly.", Integer.toString(i)));
      judgments.add(score("self", p, 0, 0, 4));
      judgments.add(score("self", p, 1, 0, 2));
      judgments.add(verdict("pw", p, 0, 1, 0, Verdict.A));
      judgments.add(verdict("pw", p, 1, 0, 0, Verdict.B));
    }
    TestPipeline p = Pipelines.create(SHARDS);
    PCollection<Judgment> js = p.apply("Judgments", Create.of(judgments).withCoder(JsonCoder.of(Judgment.class)));
    PCollection<Candidate> cs = p.apply("Candidates", Create.of(candidates).withCoder(JsonCoder.of(Candidate.class)));
    RewardModels models =
        RewardModels.create(tmp, 42, spec -> {
          HOOK_CALLS.put(spec.name(), spec);
          return new LengthAsImplicit(spec.name());
        });
    Map<String, RewardModelOutput> outputs = new LinkedHashMap<>();
    for (RewardModelSpec spec : specs()) {
      outputs.put(spec.name(), models.apply(spec, js, cs));
    }
    // One assertion over all voters (a PAssert per output would add ten more steps to check the same thing).
    PCollectionList<CandidateReward> rewards = PCollectionList.empty(p);
    PCollectionList<PairPreference> preferences = PCollectionList.empty(p);
    for (RewardModelOutput out : outputs.values()) {
      rewards = rewards.and(out.rewards());
      preferences = preferences.and(out.preferences());
    }
    Set<String> voters = Set.copyOf(outputs.keySet()); // the lambdas below are serialized: capture no PCollection
    PAssert.that(rewards.apply("AllRewards", Flatten.pCollections()))
        .satisfies(rs -> {
          Map<String, Long> perVoter = list(rs).stream().collect(Collectors.groupingBy(CandidateReward::rewardModel, Collectors.counting()));
          assertThat(perVoter, is(expectedCounts(voters, 2 * PROMPTS)));
          return null;
        });
    PAssert.that(preferences.apply("AllPreferences", Flatten.pCollections()))
        .satisfies(ps -> {
          Map<String, Long> perVoter = list(ps).stream().collect(Collectors.groupingBy(PairPreference::rewardModel, Collectors.counting()));
          assertThat(perVoter, is(expectedCounts(voters, PROMPTS)));
          return null;
        });
    assertThat(outputs.get("judge:self").has(ScoreWithJudge.SCORE_STATS), is(true));
    assertThat(outputs.get("pairwise:pw").has(ScoreWithPairwiseJudge.FLIP_RATES), is(true));
    assertThat(HOOK_CALLS.get("implicit").endpoint(), is("policy"));

    List<Coder<?>> keyCoders = groupByKeyKeyCoders(p);
    assertThat("every voter groups somewhere", keyCoders, not(empty()));
    // Shard keys (integers from GroupIntoPromptShards) or the single key of a global combine; never a prompt id.
    for (Coder<?> c : keyCoders) {
      assertThat(c.getClass().getSimpleName(), oneOf(VarIntCoder.class.getSimpleName(), VoidCoder.class.getSimpleName()));
    }

    PipelineResult result = p.run();
    result.waitUntilFinish();
    for (String name : outputs.keySet()) {
      // One processed group per distinct key: 40 prompts, at most 4 keys.
      assertThat(name, counter(result, name, "shard_groups"), lessThanOrEqualTo((long) SHARDS));
    }
    assertThat(counter(result, "verifier", "matches"), is((long) PROMPTS));
  }

  private static Map<String, Long> expectedCounts(Set<String> voters, long each) {
    Map<String, Long> out = new HashMap<>();
    voters.forEach(v -> out.put(v, each));
    return out;
  }

  /** The key coders of every GroupByKey inside the reward-model steps (PAssert's own are left out). */
  private static List<Coder<?>> groupByKeyKeyCoders(Pipeline p) {
    List<Coder<?>> out = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof GroupByKey && !node.getFullName().startsWith("PAssert")) {
              for (PValue in : node.getInputs().values()) {
                out.add(((KvCoder<?, ?>) ((PCollection<?>) in).getCoder()).getKeyCoder());
              }
            }
          }
        });
    return out;
  }

  /** The grouping key is a coarse shard: 10,000 prompts map onto exactly the 16 keys 0..15, the same on every JVM. */
  @Test
  void theShardKeyOfAPromptIsBoundedByTheShardCount() {
    Set<Integer> keys = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String prompt = "prompt-" + i;
      keys.add(PromptShards.of(prompt, PromptShardOptions.DEFAULT));
    }
    // The key must be the same on every worker of every runner: pinned to Python's hashlib (first 7 hex digits of
    // the id's SHA-256, mod 16), not to a value this code printed.
    assertThat(PromptShards.of("prompt-0", 16), is(13));
    assertThat(PromptShards.of("prompt-1", 16), is(3));
    assertThat(PromptShards.of("mt_bench_eval/81", 16), is(10));
    // All 28 bits, and a non-ASCII id (hashed as UTF-8): int(sha256(id).hexdigest()[:7], 16) modulo a large count.
    assertThat(PromptShards.of("prompt-0", 1 << 28), is(189209437));
    assertThat(PromptShards.of("x", 1_000_003), is(648983));
    assertThat(PromptShards.of("prompt-\u00e9\u2192", 1_000_003), is(202689));
    assertThat(keys, is(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)));
    assertThat(PromptShards.of("any", 1), is(0));
    assertThrows(IllegalArgumentException.class, () -> PromptShards.requireCount(0));
  }

  @Test
  void anImplicitVoterWithoutTheHookIsAClearError() {
    TestPipeline p = TestPipeline.create();
    PCollection<Judgment> js = p.apply("J", Create.empty(JsonCoder.of(Judgment.class)));
    PCollection<Candidate> cs = p.apply("C", Create.empty(JsonCoder.of(Candidate.class)));
    RewardModelSpec implicit = new RewardModelSpec.Implicit("implicit", "policy", null, null);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> RewardModels.create(tmp, 1, null).apply(implicit, js, cs));
    assertThat(e.getMessage(), containsString("no implicit reward hook"));
  }

  @Test
  void outputsWithoutBothRequiredTagsAreRejected() {
    TestPipeline p = TestPipeline.create();
    PCollection<CandidateReward> rewards = p.apply(Create.empty(JsonCoder.of(CandidateReward.class)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RewardModelOutput.of(org.apache.beam.sdk.values.PCollectionTuple.of(RewardModelOutput.REWARDS, rewards)));
    assertThat(e.getMessage(), containsString("needs both REWARDS and PREFERENCES"));
    TupleTag<String> unknown = new TupleTag<>("unknown") {};
    RewardModelOutput out = RewardModelOutput.of(rewards, p.apply("P", Create.empty(JsonCoder.of(PairPreference.class))));
    assertThrows(IllegalArgumentException.class, () -> out.get(unknown));
  }

  private static void writeLabels(Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    for (ConsensusLabel l : TrainedRewardModelTest.syntheticLabels()) {
      b.append(Json.line(Map.of("prompt", l.prompt(), "response", l.response(), "label", l.label()))).append('\n');
    }
    Files.writeString(file, b);
  }
}
