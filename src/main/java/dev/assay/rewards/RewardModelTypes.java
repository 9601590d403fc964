package dev.assay.rewards;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registered reward-model types, found with {@link ServiceLoader} in every {@code
 * META-INF/services/dev.assay.rewards.RewardModelType} on the class path: the built-in five in Assay's own jar, and
 * any other a plug-in or a test adds with one line.
 *
 * <p>Failure modes: {@link IllegalStateException} when two registered types share a name, or a type's spec is not
 * a record.
 */
public final class RewardModelTypes {
  private static volatile Map<String, RewardModelType<?>> registered;

  private RewardModelTypes() {}

  /** Every registered type by its {@code type:} name, sorted. */
  public static Map<String, RewardModelType<?>> all() {
    Map<String, RewardModelType<?>> r = registered;
    if (r == null) {
      synchronized (RewardModelTypes.class) {
        if (registered == null) {
          registered = load();
        }
        r = registered;
      }
    }
    return r;
  }

  /** The record each {@code type:} value binds to, for the recipe binder. */
  public static Map<String, Class<? extends Record>> specRecords() {
    Map<String, Class<? extends Record>> out = new LinkedHashMap<>();
    all().forEach((name, type) -> out.put(name, type.spec().asSubclass(Record.class)));
    return out;
  }

  /**
   * The type of {@code spec}.
   *
   * @throws IllegalStateException when no type of that name is registered
   */
  @SuppressWarnings("unchecked")
  public static <S extends RewardModelSpec> RewardModelType<S> of(S spec) {
    RewardModelType<?> type = all().get(spec.type());
    if (type == null || !type.spec().isInstance(spec)) {
      throw new IllegalStateException(
          "reward model " + spec.name() + " is of type " + spec.type() + ", which is not registered (registered: "
              + String.join(", ", all().keySet()) + ")");
    }
    return (RewardModelType<S>) type;
  }

  private static Map<String, RewardModelType<?>> load() {
    Map<String, RewardModelType<?>> out = new TreeMap<>();
    for (RewardModelType<?> type : ServiceLoader.load(RewardModelType.class, RewardModelTypes.class.getClassLoader())) {
      if (!type.spec().isRecord()) {
        throw new IllegalStateException("reward model type " + type.name() + ": its spec " + type.spec().getName() + " is not a record");
      }
      RewardModelType<?> before = out.put(type.name(), type);
      if (before != null) {
        throw new IllegalStateException(
            "two reward model types are named " + type.name() + ": " + before.getClass().getName() + " and " + type.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
