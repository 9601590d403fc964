package dev.assay.export;

import dev.assay.curation.pairs.PreferencePair;
import java.util.List;

/**
 * TRL's preference type in the standard format, explicit prompt: {@code {"prompt": str, "chosen": str, "rejected":
 * str}} (TRL docs, "Dataset formats and types", Preference), as read by {@code DPOTrainer} and the other preference
 * trainers.
 *
 * <p>Strings are written as they are: TRL applies no chat template to a standard dataset. A system message cannot be
 * carried and is dropped (counted in {@code metrics.json}); use {@link TrlConversationalRows} to keep it.
 */
public final class TrlPreferenceRows implements PairExporter {
  /** The row; JSON keys {@code chosen}, {@code id}, {@code prompt}, {@code rejected}, all strings. */
  public record Row(String id, String prompt, String chosen, String rejected) {}

  private TrlPreferenceRows() {}

  public static TrlPreferenceRows create() {
    return new TrlPreferenceRows();
  }

  @Override
  public String format() {
    return "trl";
  }

  @Override
  public List<ExportRow> rows(PreferencePair p) {
    return List.of(new ExportRow(p.id(), new Row(p.id(), p.prompt(), p.chosen(), p.rejected()), null));
  }

  @Override
  public Class<? extends Record> rowType() {
    return Row.class;
  }

  @Override
  public boolean carriesSystem() {
    return false;
  }
}
