package dev.assay.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void jitterCeilingDoublesFromInitialUpToMax() {
    // unit just below 1 gives the ceiling itself; 0 gives no wait (full jitter).
    double top = Math.nextDown(1.0);
    assertThat(Backoff.jitteredMillis(1, 500, 30_000, top), equalTo(500L));
    assertThat(Backoff.jitteredMillis(2, 500, 30_000, top), equalTo(1_000L));
    assertThat(Backoff.jitteredMillis(4, 500, 30_000, top), equalTo(4_000L));
    assertThat(Backoff.jitteredMillis(7, 500, 30_000, top), equalTo(30_000L));
    assertThat(Backoff.jitteredMillis(60, 500, 30_000, top), equalTo(30_000L));
    assertThat(Backoff.jitteredMillis(3, 500, 30_000, 0.0), equalTo(0L));
    assertThat(Backoff.jitteredMillis(3, 500, 30_000, 0.5), equalTo(1_000L));
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-11-29T10:00:00Z");
    assertThat(Backoff.retryAfterMillis("7", now), equalTo(7_000L));
    assertThat(Backoff.retryAfterMillis(" 0 ", now), equalTo(0L));
    assertThat(Backoff.retryAfterMillis("Sun, 29 Nov 2026 10:00:30 GMT", now), equalTo(30_000L));
    assertThat(Backoff.retryAfterMillis("Sun, 29 Nov 2026 09:00:00 GMT", now), equalTo(0L));
    assertThat(Backoff.retryAfterMillis(null, now), equalTo(-1L));
    assertThat(Backoff.retryAfterMillis("soon", now), equalTo(-1L));
    assertThat(Backoff.retryAfterMillis("-5", now), equalTo(-1L));
  }
}
