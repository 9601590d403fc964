package dev.assay.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one JSON configuration of the program.
 *
 * <p>Output is diffed and hashed (resume must be byte-identical), so keys are sorted, nulls are left out and field
 * names are snake_case, as in the files users read. Unknown fields in input are an error: a misspelt field must not
 * be silently ignored. Use {@link #mapper()} everywhere; never build another {@code ObjectMapper}.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private Json() {}

  /** The shared, thread-safe mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** One compact line of JSON (no newline), keys sorted. */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pretty JSON for files a person reads (manifest, metrics), keys sorted, trailing newline. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jackson's location inside a message: {@code [Source: REDACTED (...); line: 1, column: 34]}. */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

  /**
   * A person's description of a JSON syntax error, for an {@link InputException} that names the file and the line:
   * {@code malformed JSON at column C: <Jackson's sentence>}, without the internal source description Jackson puts
   * inside some sentences ({@code (start marker at [Source: REDACTED (`StreamReadFeature...` disabled); line: 1,
   * column: 1])} becomes {@code (start marker at column 1)}).
   *
   * @param e the parse error
   * @param withLine true when the text parsed was a whole file, so that Jackson's line numbers are the file's and a
   *     start marker's line is kept; false for one line of JSONL parsed on its own, where Jackson's line is always 1
   */
  public static String syntaxProblem(JsonProcessingException e, boolean withLine) {
    String sentence = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    Matcher m = SOURCE_LOCATION.matcher(sentence);
    StringBuilder clean = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          clean, Matcher.quoteReplacement((withLine ? "line " + m.group(1) + ", " : "") + "column " + m.group(2)));
    }
    m.appendTail(clean);
    // Some sentences run over two lines (a hint below the error); one line reads better after "file:line:".
    String text = clean.toString().replaceAll("\\s*\\R\\s*", " ").strip();
    JsonLocation at = e.getLocation();
    if (at == null || at.getColumnNr() < 1) {
      return "malformed JSON: " + text;
    }
    return "malformed JSON at column " + at.getColumnNr() + ": " + text;
  }

  /** Parses one JSON document into {@code type}; wraps Jackson's checked exception. */
  public static <T> T parse(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
