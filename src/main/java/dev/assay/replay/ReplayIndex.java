package dev.assay.replay;

import dev.assay.judging.JudgmentKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One loaded replay source: every published answer filed under its {@link ReplayKey}, what the source says about
 * keys it knows but did not answer, and how the replay is labelled.
 *
 * <p>Immutable once built; shared by every request of a JVM ({@link ReplayProvider}).
 */
public final class ReplayIndex {
  private final String name;
  private final JudgmentKind kind;
  private final String notice;
  private final Map<String, List<PublishedAnswer>> answers;
  private final Map<String, String> unanswered;
  private final Set<String> instructions;

  private ReplayIndex(Builder b) {
    this.name = b.name;
    this.kind = b.kind;
    this.notice = b.notice;
    Map<String, List<PublishedAnswer>> copy = new HashMap<>();
    b.answers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.answers = Map.copyOf(copy);
    this.unanswered = Map.copyOf(b.unanswered);
    this.instructions = Set.copyOf(b.instructions);
  }

  /** {@code <evaluator>/<strategy>}, e.g. {@code GPT-4/Swap}. */
  public String name() {
    return name;
  }

  /** The model id the replay answers as: {@code replay:<evaluator>/<strategy>}. */
  public String modelId() {
    return "replay:" + name;
  }

  /** The kind of request the source answers: pairwise verdicts or absolute scores. */
  public JudgmentKind kind() {
    return kind;
  }

  /** One line for people: what answers, and that no live model does. */
  public String notice() {
    return notice;
  }

  /** Published answers filed under {@code key} (empty when none). */
  public List<PublishedAnswer> answers(String key) {
    return answers.getOrDefault(key, List.of());
  }

  /** Why the source has no answer for a key it knows, or null when it does not know the key. */
  public String unanswered(String key) {
    return unanswered.get(key);
  }

  /** Whether some published item has this instruction ({@link ReplayKey#instruction}). */
  public boolean knowsInstruction(String instructionKey) {
    return instructions.contains(instructionKey);
  }

  /** Published answers in all. */
  public int size() {
    return answers.values().stream().mapToInt(List::size).sum();
  }

  static Builder builder(String name, JudgmentKind kind, String notice) {
    return new Builder(name, kind, notice);
  }

  static final class Builder {
    private final String name;
    private final JudgmentKind kind;
    private final String notice;
    private final Map<String, List<PublishedAnswer>> answers = new HashMap<>();
    private final Map<String, String> unanswered = new HashMap<>();
    private final Set<String> instructions = new HashSet<>();

    private Builder(String name, JudgmentKind kind, String notice) {
      this.name = Objects.requireNonNull(name, "name");
      this.kind = Objects.requireNonNull(kind, "kind");
      this.notice = Objects.requireNonNull(notice, "notice");
    }

    Builder instruction(String instruction) {
      instructions.add(ReplayKey.instruction(instruction));
      return this;
    }

    Builder answer(String key, PublishedAnswer answer) {
      answers.computeIfAbsent(key, k -> new ArrayList<>()).add(answer);
      return this;
    }

    /** Records why {@code key} has no answer; an answer filed under the same key wins. */
    Builder unanswered(String key, String why) {
      unanswered.putIfAbsent(key, why);
      return this;
    }

    ReplayIndex build() {
      unanswered.keySet().removeAll(answers.keySet());
      return new ReplayIndex(this);
    }
  }
}
