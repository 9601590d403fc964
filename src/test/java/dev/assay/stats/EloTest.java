package dev.assay.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EloTest {
  /** x=0, y=1, z=2: x beats y, y ties z, z beats x, y beats x, x ties z. */
  private static final List<Comparison> BATTLES =
      List.of(Comparison.win(0, 1), Comparison.tie(1, 2), Comparison.win(2, 0), new Comparison(0, 1, 0), Comparison.tie(0, 2));

  /**
   * Reference: LMSYS's {@code compute_elo(battles, K=4, SCALE=400, BASE=10, INIT_RATING=1000)} (FastChat,
   * fastchat/serve/monitor/elo_analysis.py), run in Python 3 on these five battles in this order (model_a, model_b,
   * winner: (x, y, model_a), (y, z, tie), (z, x, model_a), (x, y, model_b), (x, z, tie)).
   */
  @Test
  void matchesLmsysOnlineElo() {
    List<Double> k4 = Elo.ratings(3, BATTLES, Elo.DEFAULT_K);
    assertThat(k4.get(0), closeTo(998.0001984155047, 1e-9));
    assertThat(k4.get(1), closeTo(1000.0228926734785, 1e-9));
    assertThat(k4.get(2), closeTo(1001.9769089110168, 1e-9));
    List<Double> k32 = Elo.ratings(3, BATTLES, 32);
    assertThat(k32.get(0), closeTo(984.0994417004857, 1e-9));
    assertThat(k32.get(1), closeTo(1001.4033726936317, 1e-9));
    assertThat(k32.get(2), closeTo(1014.4971856058826, 1e-9));
  }

  @Test
  void ratingsDependOnOrderButKeepTheirSum() {
    List<Double> reversed = Elo.ratings(3, new java.util.ArrayList<>(BATTLES) {{ java.util.Collections.reverse(this); }}, Elo.DEFAULT_K);
    assertThat(reversed.stream().mapToDouble(Double::doubleValue).sum(), closeTo(3000, 1e-9));
  }

  @Test
  void rejectsCallerMistakes() {
    assertThrows(IllegalArgumentException.class, () -> Elo.ratings(0, List.of(), 4));
    assertThrows(IllegalArgumentException.class, () -> Elo.ratings(2, List.of(Comparison.win(0, 2)), 4));
    assertThrows(IllegalArgumentException.class, () -> Elo.ratings(2, List.of(), 0));
  }
}
