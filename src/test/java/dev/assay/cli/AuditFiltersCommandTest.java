package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./assay audit-filters} on LLMBar natural (the figures themselves are pinned and recomputed from the raw JSON
 * in {@code FilterAuditGoldTest}): the replays' notices, the text table with its flags, {@code --json}, bad usage.
 */
class AuditFiltersCommandTest {
  @TempDir Path tmp;

  @Test
  void llmBarTextAndJson() {
    Path root = SharedData.require("llmbar-natural");
    CliRun text = CliRun.auditFilters("llmbar", root.toString(), "--replicates", "500", "--work", tmp.resolve("a").toString());
    assertThat(text.err(), text.exit(), is(0));
    assertThat(text.err(), startsWith("REPLAY: every judge answer is LLMBar's published GPT-4/Swap completion"));
    assertThat(text.out(), startsWith("REPLAY: "));
    assertThat(text.out(), containsString("| GPT-4 | replay:GPT-4/Swap | 94.0% (94/100) | 0 | 0 of 0 |"));
    assertThat(text.out(), containsString("| consensus | ChatGPT | 100 | 80 | 20 | 80.0% | 77.0% | 91.3% (73/80) | 20.0% (4/20) | +14.2 ["));
    assertThat(text.out(), containsString("| consistency | LLaMA2 | 100 | 69 | 31 | 69.0% | 78.0% | 87.0% (60/69) | 58.1% (18/31) | +9.0 ["));
    assertThat(text.out(), containsString("consensus, primary GPT-4: removed 18 items with no measurable gain"));

    CliRun json = CliRun.auditFilters("llmbar", root.toString(), "--replicates", "500", "--json", "--strategy", "Swap");
    assertThat("JSON has no NaN: an undefined figure is null", json.out(), not(containsString("NaN")));
    JsonNode r = json.json();
    assertThat(r.get("k").asInt(), is(2));
    assertThat(r.get("voters").size(), is(3));
    assertThat(r.get("filters").size(), is(9));
    JsonNode first = r.get("filters").get(0);
    assertThat(first.get("filter").asText(), is("consensus"));
    assertThat(first.get("primary").asText(), is("GPT-4"));
    assertThat(first.get("kept").asLong() + first.get("rejected").asLong(), is(100L));
    assertThat(first.get("gain_over_input").get("level").asDouble(), closeTo(0.95, 1e-12));
    JsonNode chained = r.get("filters").get(2); // GPT-4's consistency after consensus rejects nothing
    assertThat(chained.get("filter").asText(), is("consensus + consistency"));
    assertThat(chained.get("rejected").asLong(), is(0L));
    assertThat(chained.get("accuracy_rejected").isNull(), is(true));
    assertThat(chained.has("flag"), is(false));
  }

  @Test
  void badUsageIsExit2() {
    CliRun preset = CliRun.auditFilters("mtbench", tmp.toString());
    assertThat(preset.exit(), is(2));
    assertThat(preset.err(), containsString("PRESET must be pandalm or llmbar"));
    CliRun missing = CliRun.auditFilters("pandalm", tmp.toString());
    assertThat(missing.exit(), is(2));
    assertThat(missing.err(), containsString("testset-v1.json"));
  }
}
