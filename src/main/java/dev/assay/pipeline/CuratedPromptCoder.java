package dev.assay.pipeline;

import dev.assay.consensus.FilterByConsensus;
import dev.assay.consistency.MeasureConsistency;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.io.JsonCoder;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.PairPreferenceCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Coder of {@link CuratedPrompt}: the rewards and preferences, a prompt's most numerous records, with their binary
 * coders; the per-prompt outcomes as JSON, nullable. Exact (a decoded prompt emits the same JSON lines) and
 * deterministic. {@link org.apache.beam.sdk.coders.CoderException} on malformed bytes.
 */
public final class CuratedPromptCoder extends CustomCoder<CuratedPrompt> {
  private static final CuratedPromptCoder INSTANCE = new CuratedPromptCoder();
  private static final Coder<String> ID = StringUtf8Coder.of();
  private static final Coder<List<CandidateReward>> REWARDS = ListCoder.of(CandidateRewardCoder.of());
  private static final Coder<List<PairPreference>> PREFERENCES = ListCoder.of(PairPreferenceCoder.of());
  private static final Coder<MeasureConsistency.Outcome> CONSISTENCY = NullableCoder.of(JsonCoder.of(MeasureConsistency.Outcome.class));
  private static final Coder<FilterByConsensus.Decided> CONSENSUS = NullableCoder.of(JsonCoder.of(FilterByConsensus.Decided.class));
  private static final Coder<BuildPreferencePairs.Built> PAIRS = NullableCoder.of(JsonCoder.of(BuildPreferencePairs.Built.class));

  private CuratedPromptCoder() {}

  public static CuratedPromptCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(CuratedPrompt p, OutputStream out) throws IOException {
    ID.encode(p.promptId(), out);
    REWARDS.encode(p.rewards(), out);
    PREFERENCES.encode(p.preferences(), out);
    CONSISTENCY.encode(p.consistency(), out);
    CONSENSUS.encode(p.consensus(), out);
    PAIRS.encode(p.pairs(), out);
  }

  @Override
  public CuratedPrompt decode(InputStream in) throws IOException {
    return new CuratedPrompt(
        ID.decode(in), REWARDS.decode(in), PREFERENCES.decode(in), CONSISTENCY.decode(in), CONSENSUS.decode(in), PAIRS.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
