package dev.assay.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** An endpoint's prices: online cost, the batch discount, and what counts as priced. */
class EndpointPricesTest {
  private static EndpointConfig priced(Double batchDiscount) {
    return new EndpointConfig("http://127.0.0.1:1/v1", "m", null, null, null, null, null, null, null, null, null, null,
        null, 2.0, 8.0, null, null, null, null, null, null, batchDiscount);
  }

  @Test
  void aBatchCostsThePriceLessTheDiscount() {
    EndpointConfig half = priced(0.5);
    // 1M prompt tokens at $2 and 0.5M completion tokens at $8: $6 online, $3 in a batch.
    assertThat(half.cost(1_000_000, 500_000), closeTo(6.0, 1e-12));
    assertThat(half.batchCost(1_000_000, 500_000), closeTo(3.0, 1e-12));
    assertThat("no discount by default", priced(null).batchCost(1_000_000, 500_000), closeTo(6.0, 1e-12));
    assertThat(half.priced(), is(true));
    assertThat(EndpointConfig.of("http://127.0.0.1:1/v1", "m").priced(), is(false));
  }

  @Test
  void aDiscountIsAShareOfThePrice() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> priced(1.0)).getMessage(),
        is("batch_discount must be < 1 (a share of the price): 1.0"));
    assertThrows(IllegalArgumentException.class, () -> priced(-0.1));
  }
}
