/**
 * Curation: preference pairs for policy training (self-rewarding) and judge training (self-rationalization), SFT
 * sets, dedupe and decontamination. Every filter sends what it removes to {@code rejected/} with a reason.
 */
package dev.assay.curation;
