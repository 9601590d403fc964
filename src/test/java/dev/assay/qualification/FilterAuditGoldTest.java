package dev.assay.qualification;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.qualification.filters.AuditedFilter;
import dev.assay.qualification.filters.FilterAudit;
import dev.assay.qualification.filters.FilterAuditResult;
import dev.assay.qualification.filters.VoterVerdicts;
import dev.assay.replay.LlmBarReplay;
import dev.assay.replay.PandaLmReplay;
import dev.assay.replay.ReplayIndex;
import dev.assay.replay.ReplayProvider;
import dev.assay.replay.ReplaySource;
import dev.assay.testing.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-criterion of the filter audit on gold labels: on PandaLM and LLMBar natural, the published judges replayed
 * as voters through Assay's judging and consensus give the pinned counts, and every unfiltered accuracy (and every
 * kept count) is recomputed here from the raw JSON without Assay's readers.
 */
class FilterAuditGoldTest {
  private static final FilterAudit.Options OPTIONS = new FilterAudit.Options(2, 0.6, 2000, 42, 0.95);

  @TempDir Path tmp;

  @Test
  void pandaLmConsensusOfGpt35AndPandaLm7b() {
    Path dir = SharedData.require("pandalm");
    Path testset = dir.resolve("testset-v1.json");
    Map<String, ReplaySource> sources = new LinkedHashMap<>();
    sources.put("gpt-3.5", new PandaLmReplay(testset.toString(), dir.resolve("gpt-3.5-turbo-testset-v1.json").toString()));
    sources.put("pandalm-7b", new PandaLmReplay(testset.toString(), dir.resolve("pandalm-7b-testset-v1.json").toString()));
    LabelledSet set = LabelledSet.pandalm(testset);
    FilterAuditResult r = audit(set, sources, false, List.of(AuditedFilter.CONSENSUS));
    System.out.println(dev.assay.qualification.filters.FilterAuditText.render(r));

    // Independently: gold is the annotators' majority; a verdict is the published result where a replay can answer.
    JsonNode raw = SharedData.readTree(testset);
    Integer[] gpt = PandaLmQualificationTest.publishedVerdicts(raw, SharedData.readTree(dir.resolve("gpt-3.5-turbo-testset-v1.json")), "gpt_");
    Integer[] panda = PandaLmQualificationTest.publishedVerdicts(raw, SharedData.readTree(dir.resolve("pandalm-7b-testset-v1.json")), "pandalm_");
    long decisive = 0;
    long gptRight = 0;
    long pandaRight = 0;
    long bothSay = 0; // consensus k = 2 of 2: both give the same decisive verdict
    long bothSayRight = 0;
    for (int i = 0; i < raw.size(); i++) {
      Integer gold = PandaLmQualificationTest.gold(raw.get(i));
      boolean agree = gpt[i] != null && gpt[i] != 0 && gpt[i].equals(panda[i]);
      bothSay += agree ? 1 : 0;
      if (gold != null && gold != 0) {
        decisive++;
        gptRight += gold.equals(gpt[i]) ? 1 : 0;
        pandaRight += gold.equals(panda[i]) ? 1 : 0;
        bothSayRight += agree && gold.equals(gpt[i]) ? 1 : 0;
      }
    }
    assertThat(r.items(), is(999L));
    assertThat(r.decisiveGold(), is(decisive));
    assertThat(r.decisiveGold(), is(894L));
    assertThat(r.tieGold(), is(105L));
    assertThat(baseline(r, "gpt-3.5").correct(), is(gptRight));
    assertThat(baseline(r, "gpt-3.5").accuracy(), closeTo((double) gptRight / decisive, 1e-12));
    assertThat(baseline(r, "pandalm-7b").correct(), is(pandaRight));
    assertThat(baseline(r, "pandalm-7b").accuracy(), closeTo((double) pandaRight / decisive, 1e-12));
    assertThat("pinned", List.of(gptRight, pandaRight), equalTo(List.of(653L, 635L)));

    for (String primary : List.of("gpt-3.5", "pandalm-7b")) {
      FilterAuditResult.FilterRow row = row(r, "consensus", primary);
      assertThat(row.kept(), is(bothSay));
      assertThat(row.keptCorrect(), is(bothSayRight));
      assertThat(row.input(), is(999L));
      assertThat(row.kept() + row.rejected(), is(999L));
      assertThat("pinned", List.of(row.kept(), row.keptDecisive(), row.keptCorrect(), row.keptTieGold()), equalTo(List.of(628L, 589L, 521L, 39L)));
      assertThat(row.gainOverInput().estimate(), closeTo(521.0 / 589 - (double) baseline(r, primary).correct() / 894, 1e-12));
      assertThat("a 15-point gain is measurable", row.gainOverInput().lower(), greaterThan(0.1));
      assertThat(row.flag(), nullValue());
    }
    assertThat(row(r, "consensus", "gpt-3.5").rejectedCorrect(), is(132L));
    assertThat(row(r, "consensus", "pandalm-7b").rejectedCorrect(), is(114L));
  }

  @Test
  void llmBarNaturalSwapConsensusAndConsistency() {
    Path root = SharedData.require("llmbar-natural");
    List<String> evaluators = List.of("GPT-4", "ChatGPT", "LLaMA2");
    Map<String, ReplaySource> sources = new LinkedHashMap<>();
    for (String e : evaluators) {
      sources.put(e, new LlmBarReplay(root.resolve("evaluators").resolve(e).resolve("Swap").toString()));
    }
    LabelledSet set = LabelledSet.llmbar(root.resolve("dataset.json"));
    FilterAuditResult r = audit(set, sources, true,
        List.of(AuditedFilter.CONSENSUS, AuditedFilter.CONSISTENCY, AuditedFilter.CONSENSUS_THEN_CONSISTENCY));
    System.out.println(dev.assay.qualification.filters.FilterAuditText.render(r));

    // Independently, from each result.json: the last round's published winner in each order, against the label.
    JsonNode dataset = SharedData.readTree(root.resolve("dataset.json"));
    Map<String, String[][]> winners = new LinkedHashMap<>();
    for (String e : evaluators) {
      JsonNode result = SharedData.readTree(root.resolve("evaluators").resolve(e).resolve("Swap").resolve("result.json"));
      String[][] w = new String[result.size()][];
      for (int i = 0; i < result.size(); i++) {
        JsonNode rounds = result.get(i).get("results");
        JsonNode last = rounds.get(rounds.size() - 1);
        w[i] = new String[] {last.get("swap = False").get("winner").asText(), last.get("swap = True").get("winner").asText()};
      }
      winners.put(e, w);
    }
    assertThat(r.items(), is(100L));
    assertThat(r.decisiveGold(), is(100L));
    for (String p : evaluators) {
      String[][] w = winners.get(p);
      long right = 0;
      long consistent = 0;
      long consistentRight = 0;
      long consensus = 0;
      long consensusRight = 0;
      long chained = 0;
      for (int i = 0; i < dataset.size(); i++) {
        String label = dataset.get(i).get("label").asText();
        String mine = w[i][0];
        right += label.equals(mine) ? 1 : 0;
        boolean same = decisive(mine) && mine.equals(w[i][1]);
        consistent += same ? 1 : 0;
        consistentRight += same && label.equals(mine) ? 1 : 0;
        long agree = 0;
        long against = 0;
        for (String v : evaluators) {
          String[] o = winners.get(v)[i];
          String combined = decisive(o[0]) && o[0].equals(o[1]) ? o[0] : null; // a flip is a tie
          agree += combined != null && combined.equals(mine) ? 1 : 0;
          against += combined != null && !combined.equals(mine) ? 1 : 0;
        }
        boolean kept = decisive(mine) && agree >= 2 && against < 2;
        consensus += kept ? 1 : 0;
        consensusRight += kept && label.equals(mine) ? 1 : 0;
        chained += kept && same ? 1 : 0;
      }
      String published = SharedData.readTree(root.resolve("evaluators").resolve(p).resolve("Swap").resolve("statistics.json"))
          .get("correct_False").asText().split(" / ")[0].strip();
      assertThat(p + ": the raw winners give the published accuracy", right, is(Long.parseLong(published)));
      assertThat(p, baseline(r, p).correct(), is(right));
      assertThat(p, baseline(r, p).accuracy(), closeTo(right / 100.0, 1e-12));
      assertThat(p, row(r, "consistency", p).kept(), is(consistent));
      assertThat(p, row(r, "consistency", p).keptCorrect(), is(consistentRight));
      assertThat(p, row(r, "consensus", p).kept(), is(consensus));
      assertThat(p, row(r, "consensus", p).keptCorrect(), is(consensusRight));
      assertThat(p, row(r, "consensus + consistency", p).input(), is(consensus));
      assertThat(p, row(r, "consensus + consistency", p).kept(), is(chained));
    }
    // Pinned: accuracy, then (kept, kept right) of consensus and of consistency.
    assertThat(figures(r, "GPT-4"), equalTo(List.of(94L, 82L, 79L, 97L, 93L)));
    assertThat(figures(r, "ChatGPT"), equalTo(List.of(77L, 80L, 73L, 89L, 72L)));
    assertThat(figures(r, "LLaMA2"), equalTo(List.of(78L, 74L, 69L, 69L, 60L)));
  }

  private static boolean decisive(String winner) {
    return winner.equals("1") || winner.equals("2");
  }

  private static List<Long> figures(FilterAuditResult r, String p) {
    return List.of(baseline(r, p).correct(), row(r, "consensus", p).kept(), row(r, "consensus", p).keptCorrect(),
        row(r, "consistency", p).kept(), row(r, "consistency", p).keptCorrect());
  }

  private FilterAuditResult audit(LabelledSet set, Map<String, ReplaySource> sources, boolean both, List<AuditedFilter> filters) {
    List<FilterAudit.Voter> voters = voters(sources);
    List<VoterVerdicts> verdicts = FilterAudit.judge(set, voters, both, 42, tmp, RunnerChoice.direct().options());
    return FilterAudit.audit(set.source(), set.items(), verdicts, filters, OPTIONS, List.of());
  }

  private static List<FilterAudit.Voter> voters(Map<String, ReplaySource> sources) {
    List<FilterAudit.Voter> voters = new ArrayList<>();
    for (Map.Entry<String, ReplaySource> s : sources.entrySet()) {
      ReplayProvider provider = new ReplayProvider(s.getValue());
      ReplayIndex index = provider.backend().index();
      voters.add(new FilterAudit.Voter(s.getKey(), LlmBarReproductionTest.judge(index), provider));
    }
    return voters;
  }

  private static FilterAuditResult.Baseline baseline(FilterAuditResult r, String voter) {
    return r.voters().stream().filter(b -> b.voter().equals(voter)).findFirst().orElseThrow();
  }

  private static FilterAuditResult.FilterRow row(FilterAuditResult r, String filter, String primary) {
    return r.filters().stream().filter(f -> f.filter().equals(filter) && f.primary().equals(primary)).findFirst().orElseThrow();
  }
}
