package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RubricTest {
  @TempDir Path tmp;

  private Path write(String yaml) throws IOException {
    Path p = tmp.resolve("r.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private static String fiveLevels() {
    StringBuilder sb = new StringBuilder("criteria: Is it right?\n");
    for (int i = 1; i <= 5; i++) {
      sb.append("score").append(i).append("_description: level ").append(i).append('\n');
    }
    return sb.toString();
  }

  @Test
  void shippedRubricsLoadOnTheDefaultScale() {
    for (String name : List.of("helpfulness", "harmlessness", "factual-correctness")) {
      Rubric r = Rubric.load(Path.of("configs", "rubrics", name + ".yaml"));
      assertThat(r.id(), is(name));
      assertThat(r.minScore(), is(1));
      assertThat(r.maxScore(), is(5));
      assertThat(r.descriptions().size(), is(5));
    }
  }

  @Test
  void rendersThePrometheusBlock() throws IOException {
    Rubric r = Rubric.load(write(fiveLevels()));
    assertThat(
        r.render(),
        is("[Is it right?]\nScore 1: level 1\nScore 2: level 2\nScore 3: level 3\nScore 4: level 4\nScore 5: level 5"));
    assertThat(r.id(), is("r"));
    assertThat(r.version().length(), is(12));
  }

  @Test
  void configurableScale() throws IOException {
    StringBuilder sb = new StringBuilder("id: ten\nmin_score: 0\nmax_score: 9\ncriteria: Overall quality\n");
    for (int i = 0; i <= 9; i++) {
      sb.append("score").append(i).append("_description: d").append(i).append('\n');
    }
    Rubric r = Rubric.load(write(sb.toString()));
    assertThat(r.id(), is("ten"));
    assertThat(r.render(), containsString("\nScore 0: d0\n"));
    assertThat(r.render(), containsString("\nScore 9: d9"));
    assertThat(r.description(7), is("d7"));
  }

  @Test
  void parseRenderedRoundTrips() throws IOException {
    Rubric r = Rubric.load(write(fiveLevels()));
    Rubric back = Rubric.parseRendered("r", r.render());
    assertThat(back, is(r));
    assertThrows(IllegalArgumentException.class, () -> Rubric.parseRendered("x", "no score lines"));
    assertThrows(IllegalArgumentException.class, () -> Rubric.parseRendered("x", "[c]\nScore 1: a\nScore 3: b"));
  }

  @Test
  void badRubricsNameLineAndKey() throws IOException {
    InputException missing = assertThrows(InputException.class, () -> Rubric.load(write(fiveLevels().replace("score3_description: level 3\n", ""))));
    assertThat(missing.field(), is("score3_description"));
    assertThat(missing.getMessage(), containsString("missing"));

    InputException outside = assertThrows(InputException.class, () -> Rubric.load(write(fiveLevels() + "score6_description: six\n")));
    assertThat(outside.field(), is("score6_description"));
    assertThat(outside.line(), is(7L));
    assertThat(outside.getMessage(), containsString("outside"));

    InputException unknown = assertThrows(InputException.class, () -> Rubric.load(write(fiveLevels() + "weight: 2\n")));
    assertThat(unknown.field(), is("weight"));

    InputException scale = assertThrows(InputException.class, () -> Rubric.load(write("max_score: 1\n" + fiveLevels())));
    assertThat(scale.field(), is("max_score"));
    assertThat(scale.line(), is(1L));

    InputException type = assertThrows(InputException.class, () -> Rubric.load(write("min_score: one\n" + fiveLevels())));
    assertThat(type.field(), is("min_score"));
    assertThat(type.getMessage(), not(containsString("Exception")));
  }
}
