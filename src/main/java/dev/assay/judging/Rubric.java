package dev.assay.judging;

import dev.assay.config.YamlFields;
import dev.assay.io.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A score rubric in the Prometheus form: one criterion and a description for every score of a scale.
 *
 * <p>YAML keys ({@code configs/rubrics/*.yaml}): {@code criteria}, {@code score<N>_description} for every {@code N}
 * of the scale, optional {@code min_score} / {@code max_score} (default 1 and 5) and optional {@code id} (default:
 * the file name without {@code .yaml}). Rendered for the {@code {{rubric}}} placeholder as
 * {@code [criteria]\nScore 1: …\n…\nScore 5: …}, the block Prometheus-style judges are trained on.
 *
 * <p>Failure modes: {@link #load} throws {@link InputException} (file, line, key) for a missing description, a
 * description outside the scale, an unknown key, a bad scale; {@link #parseRendered} throws
 * {@link IllegalArgumentException} for a block not in the rendered form.
 *
 * @param id the rubric's name
 * @param criteria the question the judge answers, without the surrounding brackets
 * @param minScore lowest score of the scale (0 or more)
 * @param maxScore highest score; the scale has between 2 and 11 points
 * @param descriptions one per score, {@code descriptions.get(0)} describes {@code minScore}
 * @param version first 12 hex digits of the SHA-256 of {@link #render()}: what the judge sees, not how the YAML
 *     happened to be formatted
 */
public record Rubric(String id, String criteria, int minScore, int maxScore, List<String> descriptions, String version)
    implements java.io.Serializable {
  public static final int DEFAULT_MIN_SCORE = 1;
  public static final int DEFAULT_MAX_SCORE = 5;

  private static final Pattern SCORE_KEY = Pattern.compile("score(\\d+)_description");
  private static final Pattern SCORE_LINE = Pattern.compile("(?m)^Score (\\d+): ");

  public Rubric {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(criteria, "criteria");
    checkScale(minScore, maxScore);
    descriptions = List.copyOf(descriptions);
    if (descriptions.size() != maxScore - minScore + 1) {
      throw new IllegalArgumentException(
          "rubric " + id + " has " + descriptions.size() + " descriptions for the " + minScore + "-" + maxScore + " scale");
    }
    for (String d : descriptions) {
      if (d.isBlank() || d.contains("\n")) {
        throw new IllegalArgumentException("rubric " + id + ": a score description must be one non-blank line");
      }
    }
    if (criteria.isBlank()) {
      throw new IllegalArgumentException("rubric " + id + ": criteria is blank");
    }
    Objects.requireNonNull(version, "version");
  }

  /** A rubric built in code; the version is derived from its rendered text. */
  public static Rubric of(String id, String criteria, int minScore, int maxScore, List<String> descriptions) {
    String rendered = render(criteria, minScore, descriptions);
    return new Rubric(
        id, criteria, minScore, maxScore, descriptions, PromptTemplate.sha256Prefix(rendered.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Loads a rubric file.
   *
   * @throws InputException naming the file, line and key of the first problem
   */
  public static Rubric load(Path path) {
    YamlFields y = YamlFields.read(path);
    int min = y.optionalInt("min_score", DEFAULT_MIN_SCORE);
    int max = y.optionalInt("max_score", DEFAULT_MAX_SCORE);
    try {
      checkScale(min, max);
    } catch (IllegalArgumentException e) {
      String key = y.names().contains("max_score") ? "max_score" : "min_score";
      throw new InputException(y.file(), y.line(key), key, e.getMessage());
    }
    Set<String> allowed = new HashSet<>(Set.of("id", "criteria", "min_score", "max_score"));
    for (String name : y.names()) {
      Matcher m = SCORE_KEY.matcher(name);
      if (m.matches()) {
        int n = Integer.parseInt(m.group(1));
        if (n < min || n > max) {
          throw new InputException(
              y.file(), y.line(name), name, "score " + n + " is outside the rubric's " + min + "-" + max + " scale");
        }
        allowed.add(name);
      }
    }
    y.rejectUnknown(allowed);
    String criteria = y.requiredText("criteria").strip();
    if (criteria.isEmpty()) {
      throw new InputException(y.file(), y.line("criteria"), "criteria", "is blank");
    }
    List<String> descriptions = new ArrayList<>();
    for (int n = min; n <= max; n++) {
      String key = "score" + n + "_description";
      String d = y.requiredText(key).strip();
      if (d.isEmpty() || d.contains("\n")) {
        throw new InputException(y.file(), y.line(key), key, "must be one non-blank line (the judge reads one line per score)");
      }
      descriptions.add(d);
    }
    String id = y.optionalText("id");
    if (id == null) {
      String name = path.getFileName().toString();
      id = name.replaceFirst("\\.ya?ml$", "");
    }
    return of(id, criteria, min, max, descriptions);
  }

  /**
   * Reads a rendered block ({@code [criteria]\nScore 1: …}), as found inside published Prometheus prompts. The scale
   * is taken from the first and last {@code Score N:} lines.
   *
   * @throws IllegalArgumentException when the block is not in that form
   */
  public static Rubric parseRendered(String id, String block) {
    String text = block.strip();
    Matcher m = SCORE_LINE.matcher(text);
    List<Integer> scores = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    while (m.find()) {
      scores.add(Integer.parseInt(m.group(1)));
      starts.add(m.start());
      ends.add(m.end());
    }
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("no 'Score N: ' lines");
    }
    String head = text.substring(0, starts.get(0)).strip();
    if (!head.startsWith("[") || !head.endsWith("]")) {
      throw new IllegalArgumentException("the criteria line is not in brackets: " + head);
    }
    List<String> descriptions = new ArrayList<>();
    for (int i = 0; i < scores.size(); i++) {
      if (i > 0 && scores.get(i) != scores.get(i - 1) + 1) {
        throw new IllegalArgumentException("score lines are not consecutive at Score " + scores.get(i));
      }
      int end = i + 1 < scores.size() ? starts.get(i + 1) : text.length();
      descriptions.add(text.substring(ends.get(i), end).strip());
    }
    return of(id, head.substring(1, head.length() - 1), scores.get(0), scores.get(scores.size() - 1), descriptions);
  }

  /** The block for the {@code {{rubric}}} placeholder: {@code [criteria]} then one {@code Score N: …} line per score. */
  public String render() {
    return render(criteria, minScore, descriptions);
  }

  /** The description of one score of the scale. */
  public String description(int score) {
    if (score < minScore || score > maxScore) {
      throw new IllegalArgumentException("score " + score + " is outside " + minScore + "-" + maxScore);
    }
    return descriptions.get(score - minScore);
  }

  private static String render(String criteria, int minScore, List<String> descriptions) {
    StringBuilder sb = new StringBuilder().append('[').append(criteria).append(']');
    for (int i = 0; i < descriptions.size(); i++) {
      sb.append("\nScore ").append(minScore + i).append(": ").append(descriptions.get(i));
    }
    return sb.toString();
  }

  private static void checkScale(int min, int max) {
    if (min < 0 || max <= min || max - min > 10) {
      throw new IllegalArgumentException(
          "scale " + min + "-" + max + " must have min >= 0 and between 2 and 11 points");
    }
  }
}
