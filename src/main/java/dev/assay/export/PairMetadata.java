package dev.assay.export;

import dev.assay.curation.pairs.PreferencePair;
import java.util.List;
import java.util.Map;

/**
 * One line of a preference format's {@code metadata.jsonl}: the columns a trainer would drop, keyed by the exported
 * row's {@code id} (one sidecar line per trainer row, so the join is 1:1).
 *
 * @param id the trainer row's id
 * @param pairId the pair the row came from (equal to {@code id} except for KTO rows)
 * @param side for KTO rows: {@code chosen} (label true) or {@code rejected} (label false); absent otherwise
 * @param split {@code train} or {@code test}
 * @param systemDropped true when the pair had a system message that this format cannot carry; absent otherwise
 */
public record PairMetadata(
    String id,
    String pairId,
    String side,
    String split,
    String kind,
    String promptId,
    String chosenId,
    String rejectedId,
    double chosenScore,
    double rejectedScore,
    double margin,
    Double consistency,
    List<String> agreedModels,
    Map<String, Double> agreement,
    int iteration,
    String runId,
    Boolean systemDropped) {

  static PairMetadata of(ExportRow row, PreferencePair p, String split, boolean systemDropped) {
    return new PairMetadata(
        row.id(),
        p.id(),
        row.side(),
        split,
        p.kind(),
        p.promptId(),
        p.chosenId(),
        p.rejectedId(),
        p.chosenScore(),
        p.rejectedScore(),
        p.margin(),
        p.consistency(),
        p.agreedModels(),
        p.agreement(),
        p.iteration(),
        p.runId(),
        systemDropped ? Boolean.TRUE : null);
  }
}
