package dev.assay.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One chat message as TRL's conversational format and OpenRLHF's {@code --apply_chat_template} read it:
 * {@code {"content": "...", "role": "user"}}.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the text; never null
 */
public record Message(String role, String content) {
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");

  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be one of " + ROLES + ": " + role);
    }
  }

  /** The prompt turns: the system message first when there is one, then the user message. */
  static List<Message> prompt(String system, String user) {
    List<Message> out = new ArrayList<>(2);
    if (system != null && !system.isEmpty()) {
      out.add(new Message("system", system));
    }
    out.add(new Message("user", user));
    return List.copyOf(out);
  }

  /** A completion: exactly one assistant message. */
  static List<Message> assistant(String text) {
    return List.of(new Message("assistant", text));
  }
}
