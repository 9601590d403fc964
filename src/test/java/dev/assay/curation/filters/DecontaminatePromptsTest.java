package dev.assay.curation.filters;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Prompt;
import dev.assay.io.InputException;
import dev.assay.io.JsonCoder;
import dev.assay.testing.Pipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Beam transform: per-prompt, typed removed output, bad evaluation files fail before the pipeline runs. */
class DecontaminatePromptsTest {
  @TempDir Path tmp;

  @Test
  void contaminatedPromptsGoToTheRemovedOutput() throws IOException {
    Path eval = tmp.resolve("eval.jsonl");
    Files.writeString(eval, "{\"question\": \"" + DecontaminationTest.QUESTION + "\"}\n");
    String evalName = eval.toString();
    TestPipeline p = Pipelines.create();
    PCollectionTuple out =
        p.apply(
                Create.of(
                        new Prompt("clean", "Write a limerick about a cat", null),
                        new Prompt("leak", "Q: " + DecontaminationTest.QUESTION, null))
                    .withCoder(JsonCoder.of(Prompt.class)))
            .apply(DecontaminatePrompts.against(List.of(eval), DecontaminationSpec.defaults()));
    PAssert.that(out.get(DecontaminatePrompts.KEPT).apply(MapElements.into(TypeDescriptors.strings()).via(Prompt::id)))
        .containsInAnyOrder("clean");
    PAssert.that(out.get(DecontaminatePrompts.REMOVED))
        .satisfies(
            removed -> {
              RemovedPrompt r = removed.iterator().next();
              assertThat(r.id(), is("leak"));
              assertThat(r.reason(), is("contaminated"));
              assertThat(r.evalFile(), is(evalName));
              assertThat(r.ngram(), is("a train leaves the station at noon travelling east at sixty miles per"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aMissingEvaluationFileFailsWhenTheTransformIsBuilt() {
    assertThrows(
        InputException.class,
        () -> DecontaminatePrompts.against(List.of(tmp.resolve("missing.jsonl")), DecontaminationSpec.defaults()));
  }
}
