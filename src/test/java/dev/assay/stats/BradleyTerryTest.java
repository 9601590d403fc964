package dev.assay.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BradleyTerryTest {
  private static final List<String> TEAMS =
      List.of("Baltimore", "Boston", "Cleveland", "Detroit", "Milwaukee", "New York", "Toronto");

  /**
   * The 1987 American League East, home wins and away wins for each of the 42 home/away pairings: Agresti,
   * Categorical Data Analysis (2nd ed., 2002), section 10.6, as shipped in the R package BradleyTerry2
   * ({@code data/baseball.csv}).
   */
  private static final String[][] BASEBALL = {
    {"Milwaukee", "Detroit", "4", "3"}, {"Milwaukee", "Toronto", "4", "2"}, {"Milwaukee", "New York", "4", "3"},
    {"Milwaukee", "Boston", "6", "1"}, {"Milwaukee", "Cleveland", "4", "2"}, {"Milwaukee", "Baltimore", "6", "0"},
    {"Detroit", "Milwaukee", "3", "3"}, {"Detroit", "Toronto", "4", "2"}, {"Detroit", "New York", "4", "3"},
    {"Detroit", "Boston", "6", "0"}, {"Detroit", "Cleveland", "6", "1"}, {"Detroit", "Baltimore", "4", "3"},
    {"Toronto", "Milwaukee", "2", "5"}, {"Toronto", "Detroit", "4", "3"}, {"Toronto", "New York", "2", "4"},
    {"Toronto", "Boston", "4", "3"}, {"Toronto", "Cleveland", "4", "2"}, {"Toronto", "Baltimore", "6", "0"},
    {"New York", "Milwaukee", "3", "3"}, {"New York", "Detroit", "5", "1"}, {"New York", "Toronto", "2", "5"},
    {"New York", "Boston", "4", "3"}, {"New York", "Cleveland", "4", "2"}, {"New York", "Baltimore", "6", "1"},
    {"Boston", "Milwaukee", "5", "1"}, {"Boston", "Detroit", "2", "5"}, {"Boston", "Toronto", "3", "3"},
    {"Boston", "New York", "4", "2"}, {"Boston", "Cleveland", "5", "2"}, {"Boston", "Baltimore", "6", "0"},
    {"Cleveland", "Milwaukee", "2", "5"}, {"Cleveland", "Detroit", "3", "3"}, {"Cleveland", "Toronto", "3", "4"},
    {"Cleveland", "New York", "4", "3"}, {"Cleveland", "Boston", "4", "2"}, {"Cleveland", "Baltimore", "2", "4"},
    {"Baltimore", "Milwaukee", "2", "5"}, {"Baltimore", "Detroit", "1", "5"}, {"Baltimore", "Toronto", "1", "6"},
    {"Baltimore", "New York", "2", "4"}, {"Baltimore", "Boston", "1", "6"}, {"Baltimore", "Cleveland", "3", "4"},
  };

  /**
   * BradleyTerry2's {@code BTm(cbind(home.wins, away.wins), home.team, away.team, data = baseball, id = "team")}
   * (tests/baseball.Rout.save of that package; Agresti's Table 10.11), abilities relative to Baltimore = 0.
   */
  private static final Map<String, Double> PUBLISHED =
      Map.of("Boston", 1.1077, "Cleveland", 0.6839, "Detroit", 1.4364, "Milwaukee", 1.5814, "New York", 1.2476, "Toronto", 1.2945);

  private static List<List<Comparison>> baseballByPairing() {
    List<List<Comparison>> units = new ArrayList<>();
    for (String[] row : BASEBALL) {
      int home = TEAMS.indexOf(row[0]);
      int away = TEAMS.indexOf(row[1]);
      List<Comparison> games = new ArrayList<>();
      for (int w = 0; w < Integer.parseInt(row[2]); w++) {
        games.add(Comparison.win(home, away));
      }
      for (int w = 0; w < Integer.parseInt(row[3]); w++) {
        games.add(Comparison.win(away, home));
      }
      units.add(games);
    }
    return units;
  }

  @Test
  void reproducesAgrestisBaseballAbilities() {
    List<Comparison> all = baseballByPairing().stream().flatMap(List::stream).toList();
    assertThat(all.size(), is(273)); // the 42 rows of the published table
    BradleyTerry.Fit fit = BradleyTerry.fit(TEAMS.size(), all);
    int baltimore = TEAMS.indexOf("Baltimore");
    PUBLISHED.forEach((team, ability) -> assertThat(team, fit.difference(TEAMS.indexOf(team), baltimore), closeTo(ability, 5e-5)));
    assertThat(fit.logStrengths().stream().mapToDouble(Double::doubleValue).sum(), closeTo(0, 1e-9));
  }

  @Test
  void twoPlayersGiveTheShareOfWinsWithTiesAsHalves() {
    // 6 wins, 2 losses, 4 ties: the first's expected score is (6 + 2) / 12.
    List<Comparison> games = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      games.add(Comparison.win(0, 1));
    }
    for (int i = 0; i < 2; i++) {
      games.add(Comparison.win(1, 0));
    }
    for (int i = 0; i < 4; i++) {
      games.add(i % 2 == 0 ? Comparison.tie(0, 1) : Comparison.tie(1, 0));
    }
    BradleyTerry.Fit fit = BradleyTerry.fit(2, games);
    assertThat(fit.probability(0, 1), closeTo(8.0 / 12, 1e-10));
    assertThat(fit.difference(0, 1), closeTo(Math.log(8.0 / 4), 1e-10));
    assertThat(fit.elo(0) - fit.elo(1), closeTo(400 * Math.log10(2), 1e-7));
  }

  @Test
  void aPlayerThatNeverLostHasNoFiniteStrength() {
    List<Comparison> games = List.of(Comparison.win(0, 1), Comparison.win(0, 1), Comparison.win(1, 2), Comparison.win(2, 1));
    assertThrows(NoFiniteEstimateException.class, () -> BradleyTerry.fit(3, games));
    // A single tie is enough for a finite estimate: it is half a win for the other side.
    BradleyTerry.Fit fit = BradleyTerry.fit(3, List.of(Comparison.win(0, 1), Comparison.tie(1, 0), Comparison.win(1, 2), Comparison.win(2, 1)));
    assertThat(fit.probability(0, 1), closeTo(1.5 / 2, 1e-9));
    // Never compared at all.
    assertThrows(NoFiniteEstimateException.class, () -> BradleyTerry.fit(3, List.of(Comparison.win(0, 1), Comparison.win(1, 0))));
  }

  @Test
  void rejectsCallerMistakes() {
    assertThrows(IllegalArgumentException.class, () -> BradleyTerry.fit(1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> BradleyTerry.fit(2, List.of(Comparison.win(0, 2))));
    assertThrows(IllegalArgumentException.class, () -> new Comparison(1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Comparison(0, 1, 0.3));
    assertThrows(IllegalArgumentException.class, () -> BradleyTerry.bootstrap(2, List.of(), 0, 1));
  }

  @Test
  void bootstrapByUnitIsSeededAndBracketsTheEstimate() {
    List<List<Comparison>> units = baseballByPairing();
    List<Comparison> all = units.stream().flatMap(List::stream).toList();
    int milwaukee = TEAMS.indexOf("Milwaukee");
    int baltimore = TEAMS.indexOf("Baltimore");
    BradleyTerry.Fit fit = BradleyTerry.fit(7, all);
    BradleyTerry.Bootstrap boot = BradleyTerry.bootstrap(7, units, 400, 42);
    ConfidenceInterval ci = boot.interval(f -> f.difference(milwaukee, baltimore), 0.95);
    assertThat(ci.lower(), lessThan(fit.difference(milwaukee, baltimore)));
    assertThat(ci.upper(), greaterThan(fit.difference(milwaukee, baltimore)));
    // Agresti's standard error 0.3433 gives a Wald interval of width about 1.35; the pairing bootstrap is near it.
    assertThat(ci.upper() - ci.lower(), closeTo(2 * 1.96 * 0.3433, 0.45));
    assertThat(BradleyTerry.bootstrap(7, units, 400, 42).interval(f -> f.difference(milwaukee, baltimore), 0.95), equalTo(ci));
    assertThat(boot.replicates(), is(400));
  }

  @Test
  void bootstrapCountsReplicatesWithoutAFiniteEstimate() {
    // One unit where 0 beat 1 once, one where 1 beat 0 once: a replicate that draws the same unit twice is one-sided.
    List<List<Comparison>> units = List.of(List.of(Comparison.win(0, 1)), List.of(Comparison.win(1, 0)));
    BradleyTerry.Bootstrap boot = BradleyTerry.bootstrap(2, units, 1000, 3);
    assertThat(boot.skipped(), greaterThan(400));
    assertThat(boot.skipped(), lessThan(600));
    assertThat(boot.fits().size() + boot.skipped(), is(1000));
  }
}
