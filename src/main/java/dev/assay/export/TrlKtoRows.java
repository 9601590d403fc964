package dev.assay.export;

import dev.assay.curation.pairs.PreferencePair;
import java.util.List;

/**
 * TRL's unpaired preference type in the standard format, as read by {@code KTOTrainer} (and {@code BCOTrainer}):
 * {@code {"prompt": str, "completion": str, "label": bool}}. Each pair gives two rows: the chosen completion with
 * {@code label: true} (desirable) and the rejected one with {@code label: false} (undesirable), so the classes are
 * balanced 1:1 and TRL's default desirable/undesirable weights (1.0) need no change.
 *
 * <p>Row ids are the pair id plus {@code /chosen} or {@code /rejected}; the split is by pair id, so both rows of a pair
 * land on the same side. A system message cannot be carried and is dropped (counted).
 */
public final class TrlKtoRows implements PairExporter {
  /** The row; JSON keys {@code completion}, {@code id}, {@code label} (a JSON boolean), {@code prompt}. */
  public record Row(String id, String prompt, String completion, boolean label) {}

  private TrlKtoRows() {}

  public static TrlKtoRows create() {
    return new TrlKtoRows();
  }

  @Override
  public String format() {
    return "kto";
  }

  @Override
  public List<ExportRow> rows(PreferencePair p) {
    String desirable = p.id() + "/chosen";
    String undesirable = p.id() + "/rejected";
    return List.of(
        new ExportRow(desirable, new Row(desirable, p.prompt(), p.chosen(), true), "chosen"),
        new ExportRow(undesirable, new Row(undesirable, p.prompt(), p.rejected(), false), "rejected"));
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
