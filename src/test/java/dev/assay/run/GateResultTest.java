package dev.assay.run;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** Each kind of gate, passing and failing, and the line that says by how much. */
class GateResultTest {
  @Test
  void minimumGates() {
    assertThat(GateResult.check("min_consistency", "C", 0.612, 0.7).line(), is("gate min_consistency failed: C = 0.612 < 0.700 (by 0.088)"));
    assertThat(GateResult.check("min_consistency", "C", 0.7, 0.7).passed(), is(true));
    assertThat(
        GateResult.check("min_parse_rate", "judge self parse rate", 0.95, 0.9).line(),
        is("gate min_parse_rate passed: judge self parse rate = 0.950 >= 0.900"));
    assertThat(GateResult.check("min_pairs", "pairs", 12.0, 50).line(), is("gate min_pairs failed: pairs = 12 < 50 (by 38)"));
  }

  @Test
  void maximumGate() {
    GateResult r = GateResult.check("max_flip_rate", "judge pairwise flip rate", 0.3, 0.2);
    assertThat(r.passed(), is(false));
    assertThat(r.line(), is("gate max_flip_rate failed: judge pairwise flip rate = 0.300 > 0.200 (by 0.100)"));
    assertThat(GateResult.check("max_flip_rate", "x", 0.1, 0.2).passed(), is(true));
  }

  @Test
  void anUnmeasuredQuantityFailsItsGate() {
    GateResult r = GateResult.check("min_consistency", "C", Double.NaN, 0.5);
    assertThat(r.passed(), is(false));
    assertThat(r.line(), is("gate min_consistency failed: C was not measured by this run (limit 0.500)"));
  }
}
