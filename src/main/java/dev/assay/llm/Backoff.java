package dev.assay.llm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Retry delays: exponential backoff with full jitter, and the server's {@code Retry-After}, both capped. */
final class Backoff {
  private Backoff() {}

  /**
   * The delay before retry number {@code retry} (1 = the first retry): uniform in [0, min(max, initial * 2^(retry-1))].
   * Full jitter spreads the retries of many callers that failed together, so they do not hit the server in waves.
   *
   * @param unit a uniform random number in [0, 1)
   */
  static long jitteredMillis(int retry, long initialMs, long maxMs, double unit) {
    long ceiling = initialMs;
    for (int i = 1; i < retry && ceiling < maxMs; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, maxMs);
    return (long) Math.floor(unit * (ceiling + 1));
  }

  /**
   * The wait a {@code Retry-After} header asks for, in milliseconds, or -1 when absent or unreadable. It is either
   * delay-seconds or an HTTP-date (RFC 9110 §10.2.3); a date in the past means "now".
   */
  static long retryAfterMillis(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String value = header.trim();
    try {
      double seconds = Double.parseDouble(value);
      return seconds < 0 || Double.isNaN(seconds) ? -1 : (long) Math.min(Long.MAX_VALUE / 2, seconds * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Math.max(0, Duration.between(now, at).toMillis());
      } catch (DateTimeParseException notADate) {
        return -1;
      }
    }
  }
}
