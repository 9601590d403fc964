package dev.assay.qualification;

/** Which output a judge preferred in one presentation order, in the labelled set's terms. */
public enum Winner {
  OUTPUT_1,
  OUTPUT_2,
  TIE,
  /** No verdict: the answer could not be read, was refused or cut off, or the call failed. */
  NONE;

  /** On the labels' scale (1, 2, 0 for a tie), or null for {@link #NONE}. */
  public Integer label() {
    return switch (this) {
      case OUTPUT_1 -> 1;
      case OUTPUT_2 -> 2;
      case TIE -> 0;
      case NONE -> null;
    };
  }

  /** Whether it names an output. */
  public boolean decisive() {
    return this == OUTPUT_1 || this == OUTPUT_2;
  }
}
