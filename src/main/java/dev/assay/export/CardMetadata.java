package dev.assay.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The dataset card's YAML front matter, as the Hugging Face Hub and {@code datasets.load_dataset(DIR, CONFIG)} read
 * it: {@code configs} (one per exported format, with {@code data_files} per split), {@code license},
 * {@code task_categories}, {@code tags}, {@code size_categories} and {@code pretty_name}.
 *
 * <p>Contract: every config lists {@code train} and, when the export wrote test rows, {@code test} (a split pointing
 * at an empty file makes {@code datasets} fail to infer its features); the default config is {@code trl} when it was
 * exported, else the first exported in {@link #DEFAULT_ORDER}. The licence is the recipe's {@code input.license}
 * mapped to a Hub identifier (case-insensitive); a value the Hub does not know becomes {@code other} with
 * {@code license_name}; an absent one is {@code unknown}. Where the files lie is the caller's: {@code path} maps a
 * (format, split) to a path relative to the card's folder, so the same header serves the plain export and the Hub
 * folder. Deterministic; never fails on a manifest that lacks a field (the value is then {@code unknown}).
 */
public final class CardMetadata {
  /** The order in which a default config is picked when {@code trl} was not exported. */
  static final List<String> DEFAULT_ORDER =
      List.of("trl", "trl-conversational", "openrlhf", "kto", "sft", "sft-prompt-completion");

  /**
   * Licence identifiers the Hub accepts in a card's {@code license} field (its licence list), lower case. A recipe
   * may spell them in SPDX case ({@code CC-BY-4.0}); {@code unknown} and {@code other} are handled apart.
   */
  static final Set<String> HUB_LICENSES =
      Set.of(
          "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
          "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
          "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
          "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
          "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
          "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0",
          "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1",
          "lgpl-3.0", "isc", "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr",
          "mpl-2.0", "odc-by", "odbl", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib",
          "pddl", "lgpl-lr", "deepfloyd-if-license", "fair-noncommercial-research-license", "llama2", "llama3",
          "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  /**
   * The Hub licence for a recipe's licence text.
   *
   * @param id the Hub identifier: a known one, {@code other} or {@code unknown}
   * @param name for {@code other}: a lower-case slug of the recipe's text ({@code license_name}); else null
   * @param text the recipe's licence as written, or null when absent
   */
  public record HubLicense(String id, String name, String text) {
    /** Maps the recipe's text (may be null or blank) to a Hub licence. */
    public static HubLicense of(String text) {
      if (text == null || text.isBlank()) {
        return new HubLicense("unknown", null, null);
      }
      String lower = text.strip().toLowerCase(Locale.ROOT);
      if (HUB_LICENSES.contains(lower) || lower.equals("unknown")) {
        return new HubLicense(lower, null, text.strip());
      }
      String slug = lower.replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
      return new HubLicense("other", slug.isEmpty() ? "custom" : slug, text.strip());
    }
  }

  private CardMetadata() {}

  /**
   * The front matter, from {@code ---} to {@code ---} and a newline.
   *
   * @param in the run
   * @param exports every exported format's metrics, by format name
   * @param path (format, split) to the file's path relative to the card's folder
   */
  public static String frontMatter(RunInputs in, Map<String, ExportMetrics> exports, BiFunction<String, String, String> path) {
    JsonNode m = in.manifest();
    Map<String, Object> y = new LinkedHashMap<>();
    y.put("pretty_name", m.path("recipe").asText("Assay run") + " (Assay preference data)");
    HubLicense licence = HubLicense.of(inputLicence(m));
    y.put("license", licence.id());
    if (licence.name() != null) {
      y.put("license_name", licence.name());
    }
    y.put("task_categories", List.of("text-generation"));
    y.put("tags", tags(m, exports));
    long rows = exports.values().stream().mapToLong(e -> e.trainRows() + e.testRows()).max().orElse(0);
    y.put("size_categories", List.of(sizeCategory(rows)));
    y.put("configs", configs(exports, path));
    try {
      return "---\n" + YAML.writeValueAsString(y) + "---\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the card's front matter", e);
    }
  }

  /** The config that {@code load_dataset(DIR)} loads without a name; null when nothing was exported. */
  static String defaultConfig(Iterable<String> exported) {
    List<String> names = new ArrayList<>();
    exported.forEach(names::add);
    for (String f : DEFAULT_ORDER) {
      if (names.contains(f)) {
        return f;
      }
    }
    return names.isEmpty() ? null : names.get(0);
  }

  /** The Hub's size bucket for a row count ({@code n<1K}, {@code 1K<n<10K}, ...). */
  static String sizeCategory(long rows) {
    String[] buckets = {
      "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B", "1B<n<10B", "10B<n<100B",
      "100B<n<1T"
    };
    long limit = 1_000;
    for (String b : buckets) {
      if (rows < limit) {
        return b;
      }
      limit *= 10;
    }
    return "n>1T";
  }

  /** The manifest note that says a simulator made the data, or null when none does. */
  static String simulatorNote(JsonNode manifest) {
    for (JsonNode note : manifest.path("notes")) {
      if (note.asText("").toLowerCase(Locale.ROOT).contains("simulat")) {
        return note.asText();
      }
    }
    return null;
  }

  /** The recipe's {@code input.license} (or {@code input.licence}), or null when absent or blank. */
  static String inputLicence(JsonNode m) {
    JsonNode input = m.path("config").path("input");
    for (String key : List.of("license", "licence")) {
      JsonNode v = input.get(key);
      if (v != null && v.isTextual() && !v.asText().isBlank()) {
        return v.asText();
      }
    }
    return null;
  }

  /** The recipe's {@code output_terms}: the terms that govern the model outputs, or null when absent or blank. */
  static String outputTerms(JsonNode m) {
    JsonNode v = m.path("config").get("output_terms");
    return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
  }

  private static List<String> tags(JsonNode m, Map<String, ExportMetrics> exports) {
    List<String> tags = new ArrayList<>();
    boolean preference = exports.keySet().stream().anyMatch(f -> ExportFormat.parse(f).fromPairs());
    if (preference) {
      tags.add("dpo");
    }
    if (exports.containsKey("kto")) {
      tags.add("kto");
    }
    if (exports.containsKey("sft") || exports.containsKey("sft-prompt-completion")) {
      tags.add("sft");
    }
    tags.add("synthetic");
    if (simulatorNote(m) != null) {
      tags.add("simulated");
    }
    tags.add("trl");
    tags.add("assay");
    return tags;
  }

  private static List<Map<String, Object>> configs(Map<String, ExportMetrics> exports, BiFunction<String, String, String> path) {
    String fallback = defaultConfig(exports.keySet());
    List<String> ordered = new ArrayList<>();
    DEFAULT_ORDER.stream().filter(exports::containsKey).forEach(ordered::add);
    exports.keySet().stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
    List<Map<String, Object>> out = new ArrayList<>();
    for (String f : ordered) {
      ExportMetrics e = exports.get(f);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("config_name", f);
      if (f.equals(fallback)) {
        c.put("default", true);
      }
      List<Map<String, String>> files = new ArrayList<>();
      files.add(split("train", path.apply(f, "train")));
      if (e.testRows() > 0) {
        files.add(split("test", path.apply(f, "test")));
      }
      c.put("data_files", files);
      out.add(c);
    }
    return out;
  }

  private static Map<String, String> split(String name, String path) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("split", name);
    s.put("path", path);
    return s;
  }
}
