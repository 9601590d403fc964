package dev.assay.sim;

/** A generated text and why generation stopped ({@code stop} or {@code length}), as a choice reports it. */
record Generated(String text, String finishReason) {}
