package dev.assay.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong clock = new AtomicLong();

  @Test
  void requestsArePacedAtTheRateAfterAOneSecondBurst() {
    TokenBucket bucket = new TokenBucket(120, clock::get); // 2 per second, burst of 2
    assertThat(bucket.reserve(1), equalTo(0L));
    assertThat(bucket.reserve(1), equalTo(0L));
    assertThat(bucket.reserve(1), equalTo(TimeUnit.MILLISECONDS.toNanos(500)));
    assertThat(bucket.reserve(1), equalTo(TimeUnit.MILLISECONDS.toNanos(1_000)));
    clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
    assertThat(bucket.reserve(1), equalTo(0L));
  }

  @Test
  void aReservationLargerThanTheBurstGoesAndLaterOnesPayTheDebt() {
    TokenBucket bucket = new TokenBucket(6_000, clock::get); // 100 tokens per second
    assertThat(bucket.reserve(250), equalTo(TimeUnit.MILLISECONDS.toNanos(1_500)));
    assertThat(bucket.reserve(100), equalTo(TimeUnit.MILLISECONDS.toNanos(2_500)));
  }

  @Test
  void adjustGivesBackWhatWasOverestimated() {
    TokenBucket bucket = new TokenBucket(6_000, clock::get);
    assertThat(bucket.reserve(100), equalTo(0L));
    bucket.adjust(-60); // the server reported 40 tokens, not 100
    assertThat(bucket.reserve(60), equalTo(0L));
    assertThat(bucket.reserve(10), equalTo(TimeUnit.MILLISECONDS.toNanos(100)));
  }
}
