package dev.assay.pipeline;

import dev.assay.io.Failure;
import dev.assay.llm.ClientErrorException;
import dev.assay.llm.MalformedResponseException;
import dev.assay.llm.RateLimitedException;
import dev.assay.llm.RequestTimeoutException;
import dev.assay.llm.ServerErrorException;
import dev.assay.llm.TransportException;
import dev.assay.llm.WrongModelException;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Why every request of a stage failed, in words that point at the fix: exit 3's explanation. A backend that was never
 * reached (connection refused, reset, DNS), one that answered but rejected the requests (4xx: the status and the
 * server's words, which name the bad key, model or parameter), one that is failing (5xx), one that did not answer in
 * time, rate limited through every retry, or answered with bodies that are not an OpenAI response. Each is a
 * different fix, so asking "is the backend reachable?" of a server that answered 401 sends the user the wrong way.
 *
 * <p>Reads the published failure files; the messages it quotes come from the typed exceptions, which never hold a
 * secret (the client scrubs the API key from anything the server echoes).
 */
final class StageFailures {
  /** What a failure's error class says about the backend, and what to do about it. */
  private record Kind(String what, String advice) {}

  private static final Map<String, Kind> KINDS =
      Map.of(
          TransportException.class.getSimpleName(),
          new Kind("the backend is unreachable (no connection could be made or kept)",
              "is the server running at the endpoint's base_url, and reachable from here?"),
          RequestTimeoutException.class.getSimpleName(),
          new Kind("the backend did not answer in time",
              "raise read_timeout_ms, or lower max_in_flight to what the server can serve at once"),
          ClientErrorException.class.getSimpleName(),
          new Kind("the server rejected the requests",
              "fix what it names (API key, model, a request parameter): sending them again gets the same answer"),
          ServerErrorException.class.getSimpleName(),
          new Kind("the server is failing", "its own logs say why"),
          RateLimitedException.class.getSimpleName(),
          new Kind("the server rate limited every attempt", "lower requests_per_minute or max_in_flight, or raise max_retries"),
          WrongModelException.class.getSimpleName(),
          new Kind("the server answered with another model than requested",
              "point the endpoint at a server of the requested model, or set served_model if it is the same model"
                  + " under another name"),
          MalformedResponseException.class.getSimpleName(),
          new Kind("the server answered with bodies that are not a usable OpenAI-compatible response",
              "check that base_url points at an OpenAI-compatible API (ending in /v1)"));

  private StageFailures() {}

  /**
   * One paragraph per stage whose every input failed ({@code in > 0}, {@code failed == in}): the stage, each kind of
   * failure with its count and the first message of that kind, and what to do. Empty when no stage failed whole.
   */
  static List<String> explain(RunDirectory dir, Map<String, StageCount> stages, List<Failure> extra) {
    Set<String> dead = new java.util.TreeSet<>();
    stages.forEach((name, s) -> {
      if (s.in() > 0 && s.failed() == s.in()) {
        dead.add(name);
      }
    });
    if (dead.isEmpty()) {
      return List.of();
    }
    // Per dead stage, per error class: the count and the first message (the file is sorted, so this is stable).
    Map<String, Map<String, Example>> byStage = new TreeMap<>();
    java.util.function.Consumer<Failure> tally = f -> {
      if (dead.contains(f.stage())) {
        byStage.computeIfAbsent(f.stage(), k -> new LinkedHashMap<>())
            .computeIfAbsent(f.errorClass(), k -> new Example(f.message()))
            .count++;
      }
    };
    dir.forEach("failures", "failures.jsonl", Failure.class, tally);
    extra.forEach(tally);
    List<String> lines = new ArrayList<>();
    for (String stage : dead) {
      Map<String, Example> kinds = byStage.getOrDefault(stage, Map.of());
      StringBuilder sb = new StringBuilder("every request of stage ").append(stage).append(" failed");
      if (kinds.isEmpty()) {
        sb.append(" (no failure records to say why)");
      }
      for (var e : kinds.entrySet()) {
        Kind kind = KINDS.getOrDefault(e.getKey(), new Kind("it failed with " + e.getKey(), "see the message"));
        sb.append("\n  ").append(kind.what()).append(": ").append(e.getValue().count).append(" x ").append(e.getKey())
            .append(", e.g. \"").append(e.getValue().message).append("\"\n  -> ").append(kind.advice());
      }
      lines.add(sb.toString());
    }
    lines.add("details of each failure: failures/failures.jsonl");
    return lines;
  }

  private static final class Example {
    final String message;
    long count;

    Example(String message) {
      this.message = message;
    }
  }
}
