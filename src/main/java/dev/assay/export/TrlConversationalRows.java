package dev.assay.export;

import dev.assay.curation.pairs.PreferencePair;
import java.util.List;

/**
 * TRL's preference type in the conversational format, explicit prompt: {@code prompt} is a list of
 * {@code {"role", "content"}} messages (the system message first when there is one, then the user message),
 * {@code chosen} and {@code rejected} are lists of exactly one {@code assistant} message (TRL docs, "Dataset formats
 * and types", Preference, conversational). {@code DPOTrainer} applies the model's chat template itself.
 */
public final class TrlConversationalRows implements PairExporter {
  /** The row; JSON keys {@code chosen}, {@code id}, {@code prompt}, {@code rejected}. */
  public record Row(String id, List<Message> prompt, List<Message> chosen, List<Message> rejected) {}

  private TrlConversationalRows() {}

  public static TrlConversationalRows create() {
    return new TrlConversationalRows();
  }

  @Override
  public String format() {
    return "trl-conversational";
  }

  @Override
  public List<ExportRow> rows(PreferencePair p) {
    Row row =
        new Row(p.id(), Message.prompt(p.system(), p.prompt()), Message.assistant(p.chosen()), Message.assistant(p.rejected()));
    return List.of(new ExportRow(p.id(), row, null));
  }

  @Override
  public Class<? extends Record> rowType() {
    return Row.class;
  }

  @Override
  public boolean carriesSystem() {
    return true;
  }
}
