package dev.assay.generation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.io.Failure;
import dev.assay.io.JsonCoder;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.ChatChoice;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.TokenUsage;
import dev.assay.testing.FakeBackend;
import dev.assay.testing.Pipelines;
import dev.assay.testing.ScriptedFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateResponsesTest {
  @TempDir Path tmp;

  private static final GenerationSpec SPEC = new GenerationSpec("policy", 3, 0.8, 1.0, 64, null);

  /** Echoes the prompt with the seed; prompt "boom" fails after 3 attempts. */
  private static BackendProvider script(String name) {
    return FakeBackend.register(
        name,
        req -> {
          String prompt = req.messages().get(req.messages().size() - 1).content();
          if (prompt.equals("boom")) {
            throw new ScriptedFailure("server kept failing", 3);
          }
          return new ChatResponse("m", List.of(new ChatChoice(0, prompt + " #" + req.seed(), "stop")), new TokenUsage(3, 4));
        });
  }

  private PCollectionTuple generate(TestPipeline p, BackendProvider backend, Path ledger, List<Prompt> prompts) {
    return p.apply(Create.of(prompts).withCoder(JsonCoder.of(Prompt.class)))
        .apply(GenerateResponses.using("policy", "m", SPEC, 42, ledger, backend));
  }

  @Test
  void kResponsesPerPromptAndTypedFailures() {
    String name = "gen-" + UUID.randomUUID();
    Path ledger = tmp.resolve("ledger");
    TestPipeline p = Pipelines.create();
    List<Prompt> prompts = List.of(new Prompt("p1", "hello", null), new Prompt("p2", "boom", null));
    PCollectionTuple out = generate(p, script(name), ledger, prompts);

    PAssert.that(out.get(GenerateResponses.CANDIDATES).apply(MapElements.into(TypeDescriptors.strings()).via(Candidate::id)))
        .containsInAnyOrder("p1/m/0", "p1/m/1", "p1/m/2");
    PAssert.that(out.get(GenerateResponses.CANDIDATES))
        .satisfies(
            cs -> {
              List<Long> seeds = new ArrayList<>();
              for (Candidate c : cs) {
                assertThat(c.response().startsWith("hello #"), is(true));
                assertThat(c.finishReason(), is("stop"));
                seeds.add(Long.parseLong(c.response().substring("hello #".length())));
              }
              assertThat("each sample has its own seed", seeds.stream().distinct().count(), is(3L));
              return null;
            });
    PAssert.that(out.get(GenerateResponses.FAILURES))
        .satisfies(
            fs -> {
              List<Failure> list = new ArrayList<>();
              fs.forEach(list::add);
              assertThat(list.size(), is(3));
              for (Failure f : list) {
                assertThat(f.stage(), is("generate"));
                assertThat(f.errorClass(), is("ScriptedFailure"));
                assertThat(f.attempts(), is(3));
                assertThat(f.inputId().startsWith("p2/m/"), is(true));
              }
              return null;
            });
    p.run().waitUntilFinish();
    Ledger.release(ledger);
    assertThat("one request per sample", FakeBackend.get(name).calls(), is(6L));
  }

  @Test
  void aRerunIsServedFromTheLedger() {
    Path ledger = tmp.resolve("ledger2");
    List<Prompt> prompts = List.of(new Prompt("p1", "hello", null), new Prompt("p3", "again", null));

    String first = "gen-" + UUID.randomUUID();
    TestPipeline p1 = Pipelines.create();
    PAssert.that(generate(p1, script(first), ledger, prompts).get(GenerateResponses.CANDIDATES)).satisfies(cs -> null);
    p1.run().waitUntilFinish();
    Ledger.release(ledger);
    assertThat(FakeBackend.get(first).calls(), is(6L));

    String second = "gen-" + UUID.randomUUID();
    TestPipeline p2 = Pipelines.create();
    PAssert.that(
            generate(p2, script(second), ledger, prompts)
                .get(GenerateResponses.CANDIDATES)
                .apply(MapElements.into(TypeDescriptors.strings()).via(Candidate::id)))
        .containsInAnyOrder("p1/m/0", "p1/m/1", "p1/m/2", "p3/m/0", "p3/m/1", "p3/m/2");
    p2.run().waitUntilFinish();
    Ledger.release(ledger);
    assertThat("nothing sent again", FakeBackend.get(second).calls(), is(0L));
  }
}
