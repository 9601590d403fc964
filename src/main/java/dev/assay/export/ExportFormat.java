package dev.assay.export;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The formats {@code ./assay export --format} writes; each name is also its folder under {@code export/}. */
public enum ExportFormat {
  TRL("trl", TrlPreferenceRows.create(), null),
  TRL_CONVERSATIONAL("trl-conversational", TrlConversationalRows.create(), null),
  OPENRLHF("openrlhf", OpenRlhfRows.create(), null),
  KTO("kto", TrlKtoRows.create(), null),
  SFT("sft", null, TrlSftRows.messages()),
  SFT_PROMPT_COMPLETION("sft-prompt-completion", null, TrlSftRows.promptCompletion());

  private final String wire;
  private final PairExporter pairs;
  private final SftExporter sft;

  ExportFormat(String wire, PairExporter pairs, SftExporter sft) {
    this.wire = wire;
    this.pairs = pairs;
    this.sft = sft;
  }

  /** The name on the command line and the folder name. */
  public String wire() {
    return wire;
  }

  /** Whether it exports preference pairs (else SFT examples). */
  public boolean fromPairs() {
    return pairs != null;
  }

  /** The pair exporter; only for {@link #fromPairs()} formats. */
  public PairExporter pairExporter() {
    if (pairs == null) {
      throw new IllegalStateException(wire + " exports SFT examples");
    }
    return pairs;
  }

  /** The SFT exporter; only for formats that are not {@link #fromPairs()}. */
  public SftExporter sftExporter() {
    if (sft == null) {
      throw new IllegalStateException(wire + " exports preference pairs");
    }
    return sft;
  }

  /** Parses a command-line name; {@link IllegalArgumentException} naming the accepted ones otherwise. */
  public static ExportFormat parse(String name) {
    for (ExportFormat f : values()) {
      if (f.wire.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown format '" + name + "' (expected one of " + names() + ")");
  }

  public static String names() {
    return Arrays.stream(values()).map(ExportFormat::wire).collect(Collectors.joining(", "));
  }
}
