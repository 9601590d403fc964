package dev.assay.config;

import dev.assay.config.ConfigNode.ListNode;
import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.Origin;
import dev.assay.config.ConfigNode.ScalarNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds a {@link ConfigNode} tree to records through their canonical constructors, collecting every problem.
 *
 * <p>YAML keys are the snake_case of the record component names. Supported component types: records, {@code
 * List<X>}, {@code Map<String, X>}, String, Integer, Long, Double, Boolean (and their primitives) and enums. An absent
 * key or a YAML null binds to null, so the compact constructor applies its default. A string that came from {@code
 * ${...}} may stand for a number or boolean ({@code max_in_flight: ${LIMIT:-8}}); a written string may not, so a
 * quoted {@code "4"} for {@code k} is reported rather than guessed at.
 *
 * <p>Exceptions thrown by a compact constructor are placed on the field they name: the records' checks start their
 * message with the field ({@code "k must be >= 1: 0"}, or {@code requireNonNull}'s bare {@code "base_url"}).
 *
 * <p>A component whose type is an interface binds through {@link Variants}: a key of the map (e.g. {@code type})
 * names which record to build, and the other keys bind to that record. A missing or unknown variant is a problem
 * naming the known ones.
 *
 * <p>An unsupported component type is a programming error ({@link IllegalStateException}), not a user problem.
 */
public final class RecordBinder {
  /** Marks a value that could not be bound; distinct from null, which means "use the default". */
  private static final Object INVALID = new Object();

  /**
   * How to bind fields of one interface type: the map key that names the variant, and the record built for each
   * name (each record must implement the interface).
   */
  public record Variants(Class<?> type, String key, Map<String, Class<? extends Record>> records) {
    public Variants {
      if (!type.isInterface()) {
        throw new IllegalArgumentException("variants are for an interface type: " + type.getName());
      }
      records = Map.copyOf(records);
      for (Map.Entry<String, Class<? extends Record>> e : records.entrySet()) {
        if (!type.isAssignableFrom(e.getValue())) {
          throw new IllegalArgumentException(e.getValue().getName() + " (" + e.getKey() + ") is not a " + type.getName());
        }
      }
    }
  }

  private final List<ConfigProblem> problems;
  private final Set<ConfigNode> alreadyReported;
  private final Map<Class<?>, Variants> variants;

  private RecordBinder(List<ConfigProblem> problems, Set<ConfigNode> alreadyReported, Map<Class<?>, Variants> variants) {
    this.problems = problems;
    this.alreadyReported = alreadyReported;
    this.variants = variants;
  }

  /**
   * The bound record, or empty when any problem prevented it (problems were added).
   *
   * @param alreadyReported nodes with a problem reported earlier (a failed interpolation): they make their record
   *     invalid without a second message
   */
  public static <T extends Record> Optional<T> bind(
      MapNode root, Class<T> type, Set<ConfigNode> alreadyReported, List<ConfigProblem> problems) {
    return bind(root, type, alreadyReported, problems, List.of());
  }

  /** As {@link #bind(MapNode, Class, Set, List)}, with the variants of the interface-typed fields. */
  public static <T extends Record> Optional<T> bind(
      MapNode root, Class<T> type, Set<ConfigNode> alreadyReported, List<ConfigProblem> problems, List<Variants> variants) {
    Map<Class<?>, Variants> byType = new LinkedHashMap<>();
    variants.forEach(v -> byType.put(v.type(), v));
    Object value = new RecordBinder(problems, alreadyReported, byType).bindRecord(root, type, "");
    return value == INVALID || value == null ? Optional.empty() : Optional.of(type.cast(value));
  }

  /** {@code maxInFlight} becomes {@code max_in_flight}. */
  public static String snake(String name) {
    StringBuilder sb = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private Object bind(ConfigNode node, Type type, String path) {
    if (node != null && alreadyReported.contains(node)) {
      return INVALID;
    }
    if (node == null || (node instanceof ScalarNode s && s.isNull())) {
      return null;
    }
    if (type instanceof ParameterizedType pt) {
      Class<?> raw = (Class<?>) pt.getRawType();
      Type[] args = pt.getActualTypeArguments();
      if (raw == List.class) {
        return bindList(node, args[0], path);
      }
      if (raw == Map.class && args[0] == String.class) {
        return bindMap(node, args[1], path);
      }
      throw new IllegalStateException("unsupported config field type " + type + " at " + path);
    }
    Class<?> c = (Class<?>) type;
    if (c.isInterface() && variants.containsKey(c)) {
      if (!(node instanceof MapNode m)) {
        return mismatch(node, "a map", path);
      }
      return bindVariant(m, variants.get(c), path);
    }
    if (c.isRecord()) {
      if (!(node instanceof MapNode m)) {
        return mismatch(node, "a map", path);
      }
      return bindRecord(m, c, path);
    }
    if (!(node instanceof ScalarNode s)) {
      return mismatch(node, expected(c), path);
    }
    return bindScalar(s, c, path);
  }

  private Object bindRecord(MapNode m, Class<?> type, String path) {
    RecordComponent[] components = type.getRecordComponents();
    List<String> keys = Arrays.stream(components).map(rc -> snake(rc.getName())).toList();
    for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
      if (!keys.contains(e.getKey())) {
        String hint = Suggestions.didYouMean(e.getKey(), keys);
        String message = "unknown key '" + e.getKey() + "'" + (hint.isEmpty() ? "; known keys: " + String.join(", ", keys) : hint);
        problem(e.getValue().origin(), Interpolator.join(path, e.getKey()), message);
      }
    }
    // Unknown keys alone do not stop construction: its own checks may find more, and all are reported together.
    boolean invalid = false;
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent rc = components[i];
      String childPath = Interpolator.join(path, keys.get(i));
      ConfigNode child = m.get(keys.get(i));
      Object value = bind(child, rc.getGenericType(), childPath);
      if (value == null && rc.getType().isPrimitive()) {
        problem(child == null ? m.origin() : child.origin(), childPath, "missing required field");
        value = INVALID;
      }
      if (value == INVALID) {
        invalid = true;
      } else {
        args[i] = value;
      }
    }
    if (invalid) {
      return INVALID;
    }
    try {
      Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      constructorFailed(e.getCause(), m, components, path);
      return INVALID;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + type.getName(), e);
    }
  }

  private Object bindVariant(MapNode m, Variants v, String path) {
    List<String> names = v.records().keySet().stream().sorted().toList();
    ConfigNode key = m.get(v.key());
    if (!(key instanceof ScalarNode s) || s.isNull()) {
      problem(key == null ? m.origin() : key.origin(), Interpolator.join(path, v.key()),
          "missing " + v.key() + "; one of: " + String.join(", ", names));
      return INVALID;
    }
    Class<? extends Record> record = v.records().get(s.text());
    if (record == null) {
      String hint = Suggestions.didYouMean(s.text(), names);
      problem(s.origin(), Interpolator.join(path, v.key()),
          "unknown " + v.key() + " '" + s.text() + "'" + (hint.isEmpty() ? "; one of: " + String.join(", ", names) : hint));
      return INVALID;
    }
    return bindRecord(m.without(v.key()), record, path);
  }

  private Object bindList(ConfigNode node, Type element, String path) {
    if (!(node instanceof ListNode l)) {
      return mismatch(node, "a list", path);
    }
    List<Object> out = new ArrayList<>();
    boolean invalid = false;
    for (int i = 0; i < l.items().size(); i++) {
      ConfigNode item = l.items().get(i);
      String itemPath = Interpolator.join(path, Integer.toString(i));
      Object value = bind(item, element, itemPath);
      if (value == null) {
        value = mismatch(item, expected(element), itemPath);
      }
      invalid |= value == INVALID;
      out.add(value);
    }
    return invalid ? INVALID : out;
  }

  private Object bindMap(ConfigNode node, Type valueType, String path) {
    if (!(node instanceof MapNode m)) {
      return mismatch(node, "a map", path);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    boolean invalid = false;
    for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
      String entryPath = Interpolator.join(path, e.getKey());
      Object value = bind(e.getValue(), valueType, entryPath);
      if (value == null) {
        value = mismatch(e.getValue(), expected(valueType), entryPath);
      }
      invalid |= value == INVALID;
      out.put(e.getKey(), value);
    }
    return invalid ? INVALID : out;
  }

  private Object bindScalar(ScalarNode s, Class<?> c, String path) {
    Object v = s.value();
    if (c == String.class) {
      // Any scalar is a string as written: "model: 7" means the text 7, not a type error.
      return s.text();
    }
    if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
      Long l = null;
      if (v instanceof Long x) {
        l = x;
      } else if (v instanceof BigInteger) {
        return outOfRange(s, path);
      } else if (v instanceof String text && s.interpolated()) {
        try {
          l = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
          return mismatch(s, "an integer", path);
        }
      }
      if (l == null) {
        return mismatch(s, "an integer", path);
      }
      if (c == Integer.class || c == int.class) {
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
          return outOfRange(s, path);
        }
        return l.intValue();
      }
      return l;
    }
    if (c == Double.class || c == double.class) {
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      if (v instanceof String text && s.interpolated()) {
        try {
          return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
          return mismatch(s, "a number", path);
        }
      }
      return mismatch(s, "a number", path);
    }
    if (c == Boolean.class || c == boolean.class) {
      if (v instanceof Boolean b) {
        return b;
      }
      if (v instanceof String text && s.interpolated() && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(text);
      }
      return mismatch(s, "a boolean (true or false)", path);
    }
    if (c.isEnum()) {
      String wanted = s.text().strip().replace('-', '_');
      for (Object constant : c.getEnumConstants()) {
        if (((Enum<?>) constant).name().equalsIgnoreCase(wanted)) {
          return constant;
        }
      }
      return mismatch(s, expected(c), path);
    }
    throw new IllegalStateException("unsupported config field type " + c.getName() + " at " + path);
  }

  private static String expected(Type type) {
    if (type instanceof ParameterizedType pt) {
      return pt.getRawType() == List.class ? "a list" : "a map";
    }
    Class<?> c = (Class<?>) type;
    if (c.isRecord() || Map.class.isAssignableFrom(c)) {
      return "a map";
    }
    if (c == String.class) {
      return "a string";
    }
    if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
      return "an integer";
    }
    if (c == Double.class || c == double.class) {
      return "a number";
    }
    if (c == Boolean.class || c == boolean.class) {
      return "a boolean (true or false)";
    }
    if (c.isEnum()) {
      return "one of "
          + Arrays.stream(c.getEnumConstants())
              .map(k -> ((Enum<?>) k).name().toLowerCase(Locale.ROOT).replace('_', '-'))
              .collect(Collectors.joining(", "));
    }
    return c.getSimpleName();
  }

  private Object mismatch(ConfigNode node, String expected, String path) {
    String got;
    if (node instanceof ScalarNode s && s.interpolated()) {
      got = "'" + s.unexpanded() + "', which did not expand to one";
    } else if (node instanceof ScalarNode s && !s.isNull()) {
      got = s.describe() + " '" + s.text() + "'";
    } else {
      got = node.describe();
    }
    problem(node.origin(), path, "expected " + expected + ", got " + got);
    return INVALID;
  }

  private Object outOfRange(ScalarNode s, String path) {
    problem(s.origin(), path, "'" + s.quotable() + "' is out of range");
    return INVALID;
  }

  private void constructorFailed(Throwable cause, MapNode m, RecordComponent[] components, String path) {
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    String head = message.split("[\\s:]", 2)[0];
    RecordComponent named =
        Arrays.stream(components)
            .filter(rc -> rc.getName().equals(head) || snake(rc.getName()).equals(head))
            .findFirst()
            .orElse(null);
    if (named == null) {
      String text = message.isEmpty() ? cause.getClass().getSimpleName() : redact(message, m, null);
      problem(m.origin(), path, "invalid: " + text);
      return;
    }
    String key = snake(named.getName());
    String fieldPath = Interpolator.join(path, key);
    ConfigNode child = m.get(key);
    Origin where = child == null ? m.origin() : child.origin();
    if (cause instanceof NullPointerException && message.equals(head)) {
      problem(where, fieldPath, "missing required field");
    } else {
      problem(where, fieldPath, redact(message, m, child));
    }
  }

  /**
   * Constructor messages quote the bad value ({@code "base_url must start with http://: " + url}); when it came from
   * the environment it is replaced by the {@code ${...}} text written in the file. Best effort: the quoted field is
   * always covered, other expanded values of the record when they are at least four characters long (shorter ones
   * would garble the message and carry little).
   */
  private static String redact(String message, MapNode record, ConfigNode field) {
    String out = message;
    if (field instanceof ScalarNode s && s.interpolated() && !s.text().isEmpty() && out.endsWith(s.text())) {
      out = out.substring(0, out.length() - s.text().length()) + s.unexpanded();
    }
    List<ScalarNode> expanded = new ArrayList<>();
    collectInterpolated(record, expanded);
    expanded.sort(Comparator.comparingInt((ScalarNode s) -> s.text().length()).reversed());
    for (ScalarNode s : expanded) {
      if (s.text().length() >= 4) {
        out = out.replace(s.text(), s.unexpanded());
      }
    }
    return out;
  }

  private static void collectInterpolated(ConfigNode node, List<ScalarNode> out) {
    if (node instanceof MapNode m) {
      m.entries().values().forEach(v -> collectInterpolated(v, out));
    } else if (node instanceof ListNode l) {
      l.items().forEach(v -> collectInterpolated(v, out));
    } else if (node instanceof ScalarNode s && s.interpolated()) {
      out.add(s);
    }
  }

  private void problem(Origin origin, String path, String message) {
    problems.add(new ConfigProblem(origin.file(), origin.line(), path, message));
  }
}
