package dev.assay.export;

import dev.assay.curation.pairs.PreferencePair;
import java.util.List;

/**
 * OpenRLHF's reward-model and DPO dataset ({@code openrlhf.cli.train_rm}, {@code openrlhf.cli.train_dpo}):
 * {@code prompt}, {@code chosen}, {@code rejected} as chat message lists, to be read with {@code --prompt_key prompt
 * --chosen_key chosen --rejected_key rejected --apply_chat_template}.
 *
 * <p>Why lists: with {@code --apply_chat_template} and a prompt key, OpenRLHF's {@code RewardDataset} templates
 * {@code prompt + chosen} as one conversation, so both must be message lists; plain strings would only work without
 * a chat template. {@code margin} is deliberately not a column: OpenRLHF reads a {@code margin} key, when present, as
 * the reward model's margin-loss target, and Assay's margin is in reward units that were not calibrated for that (it
 * is in the sidecar). Other keys are dropped by OpenRLHF's {@code dataset.map(..., remove_columns=...)}.
 */
public final class OpenRlhfRows implements PairExporter {
  // The same row as TRL's conversational form, for OpenRLHF's own reasons (above): one place builds it.
  private static final TrlConversationalRows SAME_SHAPE = TrlConversationalRows.create();

  private OpenRlhfRows() {}

  public static OpenRlhfRows create() {
    return new OpenRlhfRows();
  }

  @Override
  public String format() {
    return "openrlhf";
  }

  @Override
  public List<ExportRow> rows(PreferencePair p) {
    return SAME_SHAPE.rows(p);
  }

  @Override
  public Class<? extends Record> rowType() {
    return TrlConversationalRows.Row.class;
  }

  @Override
  public boolean carriesSystem() {
    return true;
  }
}
