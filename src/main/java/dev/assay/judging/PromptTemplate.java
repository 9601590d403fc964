package dev.assay.judging;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.assay.config.YamlFields;
import dev.assay.io.InputException;
import dev.assay.llm.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A judge prompt template loaded from {@code configs/templates/*.yaml}: a system and a user message with
 * {@code {{variable}}} placeholders and optional {@code {{#variable}}…{{/variable}}} sections.
 *
 * <p>Contract of the templates (the simulator and the parsers rely on it): the instruction is inside
 * {@code <instruction>…</instruction>}, the response under evaluation inside {@code <response>…</response>}
 * (pairwise: {@code <response_a>}, {@code <response_b>}), a reference inside {@code <reference>…</reference>}, the
 * rubric as {@code Score N: …} lines, and the answer format ends with {@code [RESULT] <integer>} or
 * {@code [RESULT] A}, {@code [RESULT] B}, {@code [RESULT] tie}. {@link #render} neutralises these tags inside
 * inserted values ({@code </response>} becomes {@code <\/response>}), so a response cannot close its own block and
 * smuggle text into the judge's instructions.
 *
 * <p>Failure modes: {@link #load} throws {@link InputException} (file, line, key) for unreadable or malformed YAML,
 * missing, unknown or mistyped keys, an unknown kind, malformed or unknown placeholders, and a template that lacks a
 * variable its kind needs. {@link #render} throws {@link InputException} naming the template file and the variable
 * when a placeholder has no value.
 *
 * @param id the template's name, recorded on every judgment ({@link #ref()})
 * @param kind what the template asks the judge to do
 * @param system the system message (may be empty: then none is sent)
 * @param user the user message
 * @param version first 12 hex digits of the SHA-256 of the template file's bytes (of {@code system + user} for
 *     templates built in code), so a changed template never shares a ledger entry with the old one
 * @param source the file it was loaded from, for error messages; {@code <inline>} for templates built in code
 */
public record PromptTemplate(String id, Kind kind, String system, String user, String version, String source)
    implements java.io.Serializable {

  /** What a template asks the judge to do. */
  public enum Kind {
    /** Grade one response on a rubric scale; answer ends {@code [RESULT] <integer>}. */
    ABSOLUTE,
    /** Compare two responses; answer ends {@code [RESULT] A|B|tie}. */
    PAIRWISE,
    /** RevisEval: rewrite the response into a better answer that then serves as an adapted reference. */
    REVISE;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.wire().equals(text)) {
          return k;
        }
      }
      return null;
    }
  }

  /** The variables a template may use. A misspelt placeholder is a load error, not an empty string at run time. */
  public static final Set<String> VARIABLES =
      Set.of("instruction", "response", "response_a", "response_b", "reference", "rubric");

  /** The tag names whose delimiters are neutralised inside inserted values. */
  private static final Pattern DELIMITER =
      Pattern.compile(
          "<(?=\\s*/?\\s*(?:instruction|response_a|response_b|response|reference|rubric)\\s*(?:\\s[^>]*)?>)",
          Pattern.CASE_INSENSITIVE);

  private static final Set<String> KEYS = Set.of("id", "kind", "system", "user");

  public PromptTemplate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(source, "source");
    if (id.isBlank()) {
      throw new IllegalArgumentException("template id is blank");
    }
    // Syntax is checked here too, so a template built in code fails at construction, not at the first render.
    try {
      for (String text : List.of(system, user)) {
        checkVariables(TemplateText.parsed(text));
      }
    } catch (TemplateText.SyntaxException e) {
      throw new IllegalArgumentException("template " + id + ": " + e.getMessage(), e);
    }
    checkRequired(kind, system, user);
  }

  /** A template built in code (tests, the simulator); {@code version} is derived from the texts. */
  public static PromptTemplate of(String id, Kind kind, String system, String user) {
    return new PromptTemplate(
        id, kind, system, user, sha256Prefix((system + "\u0000" + user).getBytes(StandardCharsets.UTF_8)), "<inline>");
  }

  /**
   * Loads a template from a YAML file with exactly the keys {@code id}, {@code kind} ({@code absolute},
   * {@code pairwise} or {@code revise}), {@code system} and {@code user}.
   *
   * @throws InputException naming the file, line and key of the first problem
   */
  public static PromptTemplate load(Path path) {
    YamlFields y = YamlFields.read(path);
    y.rejectUnknown(KEYS);
    String id = y.requiredText("id");
    if (id.isBlank()) {
      throw new InputException(y.file(), y.line("id"), "id", "is blank");
    }
    String kindText = y.requiredText("kind");
    Kind kind = Kind.parse(kindText);
    if (kind == null) {
      throw new InputException(
          y.file(), y.line("kind"), "kind", "unknown kind '" + kindText + "'; expected absolute, pairwise or revise");
    }
    String system = y.requiredText("system");
    String user = y.requiredText("user");
    for (String field : List.of("system", "user")) {
      String text = field.equals("system") ? system : user;
      try {
        checkVariables(TemplateText.parsed(text));
      } catch (TemplateText.SyntaxException e) {
        throw new InputException(y.file(), y.lineOf(e.tag(), y.line(field)), field, e.getMessage());
      }
    }
    try {
      checkRequired(kind, system, user);
    } catch (IllegalArgumentException e) {
      throw new InputException(y.file(), y.line("user"), "user", e.getMessage());
    }
    return new PromptTemplate(id, kind, system, user, sha256Prefix(y.bytes()), y.file());
  }

  /** {@code id@version}, the value recorded in {@link Judgment#template()}. */
  public String ref() {
    return id + "@" + version;
  }

  /** Every variable the template mentions (placeholders and optional sections). */
  public Set<String> variables() {
    Set<String> out = new TreeSet<>(TemplateText.names(TemplateText.parsed(system)));
    out.addAll(TemplateText.names(TemplateText.parsed(user)));
    return Set.copyOf(out);
  }

  /**
   * Renders the chat messages for one request: a system message (omitted when it renders blank) and a user message.
   *
   * <p>Each value is inserted verbatim except that the contract's delimiter tags inside it are neutralised. A
   * {@code {{#name}}} section is kept only when {@code name} is non-blank; a null value counts as absent.
   *
   * @throws InputException naming this template's file, the line of the placeholder and the variable, when a
   *     placeholder outside a section has no value
   */
  public List<ChatMessage> render(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    List<ChatMessage> out = new ArrayList<>(2);
    String sys = renderText(system, values, "system").strip();
    if (!sys.isEmpty()) {
      out.add(ChatMessage.system(sys));
    }
    out.add(ChatMessage.user(renderText(user, values, "user").strip()));
    return List.copyOf(out);
  }

  /** Neutralises the contract's delimiter tags in a value: {@code </response>} becomes {@code <\/response>}. */
  public static String neutraliseDelimiters(String value) {
    if (value.indexOf('<') < 0) {
      return value; // every delimiter starts with '<': most values have none, and the regex would find nothing
    }
    return DELIMITER.matcher(value).replaceAll("<\\\\");
  }

  private String renderText(String text, Map<String, String> values, String field) {
    return TemplateText.render(
        TemplateText.parsed(text),
        values,
        PromptTemplate::neutraliseDelimiters,
        v ->
            new InputException(
                source,
                lineInSource(v.tag()),
                v.name(),
                "template '" + id + "' needs a value for " + v.tag() + " in its " + field + " message, and none was given"));
  }

  private long lineInSource(String tag) {
    if (source.equals("<inline>")) {
      return 0;
    }
    try {
      return YamlFields.read(Path.of(source)).lineOf(tag, 0);
    } catch (InputException e) {
      return 0; // the file moved since loading; the message still names it and the variable
    }
  }

  private static void checkVariables(List<TemplateText.Node> nodes) {
    for (String name : TemplateText.names(nodes)) {
      if (!VARIABLES.contains(name)) {
        throw new TemplateText.SyntaxException(
            "{{" + name + "}}", "unknown variable {{" + name + "}}; expected one of " + new TreeSet<>(VARIABLES));
      }
    }
  }

  private static void checkRequired(Kind kind, String system, String user) {
    Set<String> used = new TreeSet<>(TemplateText.names(TemplateText.parsed(system)));
    used.addAll(TemplateText.names(TemplateText.parsed(user)));
    List<String> needed =
        switch (kind) {
          case ABSOLUTE, REVISE -> List.of("instruction", "response");
          case PAIRWISE -> List.of("instruction", "response_a", "response_b");
        };
    for (String n : needed) {
      if (!used.contains(n)) {
        throw new IllegalArgumentException("a " + kind.wire() + " template must use {{" + n + "}}");
      }
    }
  }

  static String sha256Prefix(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
