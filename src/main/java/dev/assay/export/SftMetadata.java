package dev.assay.export;

import dev.assay.curation.pairs.SftExample;

/**
 * One line of an SFT format's {@code metadata.jsonl}, keyed by the exported row's {@code id}.
 *
 * @param split {@code train} or {@code test}
 * @param systemDropped true when the example had a system message that this format cannot carry; absent otherwise
 */
public record SftMetadata(
    String id, String split, String kind, String promptId, double score, int iteration, String runId, Boolean systemDropped) {
  static SftMetadata of(SftExample e, String split, boolean systemDropped) {
    return new SftMetadata(
        e.id(), split, e.kind(), e.promptId(), e.score(), e.iteration(), e.runId(), systemDropped ? Boolean.TRUE : null);
  }
}
