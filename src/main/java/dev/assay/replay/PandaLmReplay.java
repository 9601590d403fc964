package dev.assay.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.agreement.JsonArrayFile;
import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import dev.assay.judging.JudgmentKind;
import dev.assay.qualification.LabelledItem;
import dev.assay.qualification.LabelledSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * PandaLM's published verdicts of one judge ({@code gpt-3.5-turbo-testset-v1.json}, {@code pandalm-7b-testset-v1.json})
 * on its human test set ({@code testset-v1.json}), joined by {@code idx}.
 *
 * <p>PandaLM kept the judge's parsed fields, not its raw text: {@code <judge>_result} (1, 2, 0 or "Tie"; GPT-3.5
 * also "garbage" where PandaLM could not read its answer), {@code _reason} and {@code _reference}. The replayed
 * answer is rebuilt from them as {@code <1|2|Tie>}, a blank line, {@code ### Reason: <reason>}, a blank line, {@code
 * ### Reference: <reference>}; {@link dev.assay.judging.PairwiseParser} reads its first line. So replaying PandaLM
 * tests Assay's statistics on PandaLM's verdicts, not Assay's parsing of PandaLM's raw answers, which are not
 * published. Items answered "garbage" have no text and fail as {@code NOT_PUBLISHED}. Verdicts exist for one order
 * only (response1 shown first); the other order fails as {@code NOT_PUBLISHED}. The test set repeats some pairs
 * (same instruction, input and responses under different model pairs); where the judge's answers to such copies
 * differ (a "garbage" beside a verdict included), a request for that content fails as {@code AMBIGUOUS}.
 *
 * @param testset PandaLM's {@code testset-v1.json}
 * @param judgeFile one judge's verdict file
 */
public record PandaLmReplay(String testset, String judgeFile) implements ReplaySource {
  public PandaLmReplay {
    Objects.requireNonNull(testset, "testset");
    Objects.requireNonNull(judgeFile, "judgeFile");
  }

  /** The judge's name from its file: {@code gpt-3.5-turbo-testset-v1.json} gives {@code gpt-3.5-turbo}. */
  public String judge() {
    String f = ReplaySource.fileName(judgeFile);
    int cut = f.indexOf("-testset");
    return cut > 0 ? f.substring(0, cut) : f.replaceFirst("\\.json$", "");
  }

  /** {@code <judge>/PandaLM}. */
  public String name() {
    return judge() + "/PandaLM";
  }

  @Override
  public ReplayIndex load() {
    Map<String, LabelledItem> items = new HashMap<>();
    for (LabelledItem i : LabelledSet.pandalm(Path.of(testset)).items()) {
      items.put(i.id(), i);
    }
    ReplayIndex.Builder index =
        ReplayIndex.builder(
            name(), JudgmentKind.PAIRWISE,
            "REPLAY: every judge answer is rebuilt from " + judge() + "'s published PandaLM verdict, reason and"
                + " reference (PandaLM kept no raw text), response1 shown first only; not a live model's");
    String file = judgeFile;
    String oneOrder = "PandaLM published " + judge() + "'s verdicts with response1 shown first only";
    for (JsonArrayFile.Element e : JsonArrayFile.read(Path.of(judgeFile))) {
      JsonlReader.Line line = new JsonlReader.Line(file, e.line(), e.node());
      String idx = line.id("idx");
      LabelledItem item = items.get(idx);
      if (item == null) {
        throw new InputException(file, e.line(), "idx", "no item " + idx + " in " + testset);
      }
      String prefix = fieldPrefix(e, file);
      String where = ReplaySource.fileName(judgeFile) + " idx " + idx;
      String key = ReplayKey.pairwise(item.instruction(), item.output1(), item.output2());
      index.instruction(item.instruction());
      index.unanswered(ReplayKey.pairwise(item.instruction(), item.output2(), item.output1()), oneOrder);
      String verdict = verdict(e.node().get(prefix + "_result"), file, e.line(), prefix + "_result");
      if (verdict == null) {
        index.answer(
            key,
            new PublishedAnswer(
                null, "stop", where + ": PandaLM recorded 'garbage', its answer could not be read and no text was kept"));
        continue;
      }
      String reason = text(line, prefix + "_reason");
      String reference = text(line, prefix + "_reference");
      index.answer(
          key,
          new PublishedAnswer(verdict + "\n\n### Reason: " + reason + "\n\n### Reference: " + reference, "stop", where));
    }
    return index.build();
  }

  /** The judge's field prefix: the {@code X} of the element's {@code X_result} field. */
  private static String fieldPrefix(JsonArrayFile.Element e, String file) {
    for (Iterator<String> names = e.node().fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (n.endsWith("_result")) {
        return n.substring(0, n.length() - "_result".length());
      }
    }
    throw new InputException(file, e.line(), "<judge>_result", "no verdict field: is this a PandaLM judge file?");
  }

  /** "1", "2" or "Tie" as PandaLM writes them; null for "garbage". */
  private static String verdict(JsonNode v, String file, long line, String field) {
    String s = v == null || v.isNull() ? "" : v.asText().strip();
    return switch (s) {
      case "1", "2" -> s;
      case "0", "Tie", "tie" -> "Tie";
      case "garbage" -> null;
      default -> throw new InputException(file, line, field, "expected 1, 2, 0, Tie or garbage, got " + v);
    };
  }

  private static String text(JsonlReader.Line line, String field) {
    String t = line.optionalText(field);
    return t == null ? "" : t;
  }
}
