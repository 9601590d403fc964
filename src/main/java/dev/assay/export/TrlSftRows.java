package dev.assay.export;

import dev.assay.curation.pairs.SftExample;
import java.util.ArrayList;
import java.util.List;

/**
 * TRL's SFT data ({@code SFTTrainer}), in one of two documented forms:
 *
 * <ul>
 *   <li>{@link #messages()}: conversational language modeling, {@code {"messages": [system?, user, assistant]}};
 *       keeps the system message; format name {@code sft}.
 *   <li>{@link #promptCompletion()}: standard prompt-completion, {@code {"prompt": str, "completion": str}};
 *       {@code SFTTrainer} then trains on the completion only by default; a system message is dropped (counted);
 *       format name {@code sft-prompt-completion}.
 * </ul>
 */
public final class TrlSftRows implements SftExporter {
  /** The conversational row; JSON keys {@code id}, {@code messages}. */
  public record MessagesRow(String id, List<Message> messages) {}

  /** The prompt-completion row; JSON keys {@code completion}, {@code id}, {@code prompt}, all strings. */
  public record PromptCompletionRow(String id, String prompt, String completion) {}

  private final boolean messages;

  private TrlSftRows(boolean messages) {
    this.messages = messages;
  }

  public static TrlSftRows messages() {
    return new TrlSftRows(true);
  }

  public static TrlSftRows promptCompletion() {
    return new TrlSftRows(false);
  }

  @Override
  public String format() {
    return messages ? "sft" : "sft-prompt-completion";
  }

  @Override
  public ExportRow row(SftExample e) {
    if (!messages) {
      return new ExportRow(e.id(), new PromptCompletionRow(e.id(), e.prompt(), e.completion()), null);
    }
    List<Message> turns = new ArrayList<>(Message.prompt(e.system(), e.prompt()));
    turns.addAll(Message.assistant(e.completion()));
    return new ExportRow(e.id(), new MessagesRow(e.id(), List.copyOf(turns)), null);
  }

  @Override
  public Class<? extends Record> rowType() {
    return messages ? MessagesRow.class : PromptCompletionRow.class;
  }

  @Override
  public boolean carriesSystem() {
    return messages;
  }
}
