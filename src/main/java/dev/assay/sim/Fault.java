package dev.assay.sim;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A fault the simulator injected into one reply, or {@link #NONE}. */
public enum Fault {
  /** A normal reply (which may still be a 400 or 404 for a bad request). */
  NONE,
  /** 429 with a {@code Retry-After} header. */
  RATE_LIMIT,
  /** 500 with an OpenAI-style error body. */
  SERVER_ERROR,
  /** The reply is held for the plan's hold time, then a 504 is sent to whoever still listens. */
  TIMEOUT,
  /** 200 whose body is not valid JSON (complete at the HTTP level). */
  MALFORMED,
  /** 200 whose body stops mid-JSON: the declared length is not reached and the connection is closed. */
  TRUNCATED,
  /** The connection is closed without any reply. */
  RESET,
  /** 200 with the full declared length, whose body trickles in ten chunks over the plan's slow-body time. */
  SLOW;

  /** The lower-case name used in logs and files. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
