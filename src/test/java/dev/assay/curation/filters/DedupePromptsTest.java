package dev.assay.curation.filters;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.generation.Prompt;
import dev.assay.io.JsonCoder;
import dev.assay.testing.Pipelines;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** The Beam transform: same result as the plain function, every input accounted for, removed records typed. */
class DedupePromptsTest {
  @Test
  void keptAndRemovedAreTwoTypedOutputs() {
    TestPipeline p = Pipelines.create();
    List<Prompt> prompts =
        List.of(
            new Prompt("b", "Tell me a joke about cats", null),
            new Prompt("a", "tell me a joke   about CATS", null),
            new Prompt("c", DedupeTest.longText(null), null),
            new Prompt("d", DedupeTest.longText("other"), null),
            new Prompt("e", "Name three prime numbers", null));
    PCollectionTuple out =
        p.apply(Create.of(prompts).withCoder(JsonCoder.of(Prompt.class))).apply(DedupePrompts.with(DedupeSpec.defaults()));

    PAssert.that(out.get(DedupePrompts.KEPT).apply(MapElements.into(TypeDescriptors.strings()).via(Prompt::id)))
        .containsInAnyOrder("a", "c", "e");
    PAssert.that(out.get(DedupePrompts.REMOVED))
        .satisfies(
            removed -> {
              List<String> seen = new ArrayList<>();
              for (RemovedPrompt r : removed) {
                seen.add(r.id() + ":" + r.reason() + ":" + r.keptId());
              }
              seen.sort(null);
              assertThat(seen, is(List.of("b:duplicate_exact:a", "d:duplicate_near:c")));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void removedRecordsRoundTripThroughTheirCoder() throws Exception {
    JsonCoder<RemovedPrompt> coder = JsonCoder.of(RemovedPrompt.class);
    CoderProperties.coderDecodeEncodeEqual(coder, new RemovedPrompt("dedupe", "x", "duplicate_near", "{}", "a", 0.875, null, null));
    CoderProperties.coderDecodeEncodeEqual(
        coder, new RemovedPrompt("decontaminate", "x", "contaminated", "{}", null, null, "mmlu.jsonl", "a b c"));
  }
}
