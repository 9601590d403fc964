package dev.assay.llm;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whether the model a response names is the model that was requested. Servers name the model they ran in every
 * response; Assay records that name and refuses an answer from another model ({@link WrongModelException}).
 *
 * <p>Three names match a request for {@code R}: {@code R} itself; {@code R} plus a dated snapshot suffix, {@code
 * -YYYY-MM-DD} or {@code -YYYYMMDD} with a real month and day (OpenAI answers {@code gpt-4o} as {@code
 * gpt-4o-2024-08-06}); and the endpoint's {@code served_model}, for servers that name their model otherwise than
 * the request does (llama.cpp's server names its model file or {@code --alias}). Any other suffix ({@code -mini},
 * {@code -v2}) is another model.
 */
public final class ServedModel {
  private static final Pattern SNAPSHOT =
      Pattern.compile("-\\d{4}(-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])|(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01]))");

  private ServedModel() {}

  /**
   * @param requested the model the request named
   * @param served the model the response named
   * @param configured the endpoint's {@code served_model}, or null
   */
  public static boolean matches(String requested, String served, String configured) {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(served, "served");
    if (served.equals(requested) || served.equals(configured)) {
      return true;
    }
    return served.startsWith(requested) && SNAPSHOT.matcher(served.substring(requested.length())).matches();
  }
}
