package dev.assay.curation.filters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.io.JsonlReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The word n-grams of user-given evaluation sets, for removing training records that overlap them
 * (decontamination).
 *
 * <p>Evaluation files are JSONL ({@code .jsonl}, {@code .ndjson}, optionally {@code .gz}; the configured fields, or
 * every string value, of each record is one item) or plain text (every non-blank line is one item). Each item's
 * words ({@link Texts#words}: NFKC, lower case, letters and digits) contribute every run of {@code n} words; an item
 * shorter than {@code n} but at least {@code minWords} words contributes itself whole. A record is contaminated when
 * any window of its words equals an indexed run; the first one by position (then by length) is reported, with the
 * first evaluation file (in the order given) that contains it.
 *
 * <p>Memory: one 64-bit hash and a file index per distinct n-gram (a HashMap entry, about 80 B): an evaluation set
 * of a million words costs about 80 MB. Hash collisions (64-bit FNV-1a) are negligible at that size; a collision
 * could only over-report, and the reported n-gram lets a person check.
 *
 * <p>Fails with {@link InputException} (file, line) on an unreadable or malformed evaluation file, or one with no
 * text in the configured fields. Immutable after {@link #load}; thread-safe.
 */
public final class EvalOverlapIndex {
  public static final String STAGE = "decontaminate";

  /** An overlap: the evaluation file and the shared words. */
  public record Overlap(String evalFile, String ngram) {}

  /** Per evaluation file: items read, items too short to index. */
  public record FileStats(String file, long items, long tooShort) {}

  private final DecontaminationSpec config;
  private final List<String> files;
  private final Map<Long, Integer> grams;
  private final int[] lengths;
  private final List<FileStats> stats;

  private EvalOverlapIndex(
      DecontaminationSpec config, List<String> files, Map<Long, Integer> grams, int[] lengths, List<FileStats> stats) {
    this.config = config;
    this.files = List.copyOf(files);
    this.grams = grams;
    this.lengths = lengths;
    this.stats = List.copyOf(stats);
  }

  /** Reads every evaluation file and indexes its n-grams. */
  public static EvalOverlapIndex load(List<Path> evalFiles, DecontaminationSpec config) {
    if (evalFiles.isEmpty()) {
      throw new IllegalArgumentException("decontamination needs at least one evaluation file");
    }
    Map<Long, Integer> grams = new HashMap<>();
    TreeSet<Integer> lengths = new TreeSet<>();
    lengths.add(config.n());
    List<String> names = new ArrayList<>();
    List<FileStats> stats = new ArrayList<>();
    for (int f = 0; f < evalFiles.size(); f++) {
      Path path = evalFiles.get(f);
      names.add(path.toString());
      long items = 0;
      long tooShort = 0;
      for (String item : items(path, config.fields())) {
        items++;
        List<String> words = Texts.words(item);
        if (words.size() >= config.n()) {
          for (int i = 0; i + config.n() <= words.size(); i++) {
            grams.putIfAbsent(Texts.fnv64(Texts.join(words, i, config.n())), f);
          }
        } else if (words.size() >= config.minWords()) {
          grams.putIfAbsent(Texts.fnv64(Texts.join(words, 0, words.size())), f);
          lengths.add(words.size());
        } else {
          tooShort++;
        }
      }
      stats.add(new FileStats(path.toString(), items, tooShort));
    }
    int[] lens = lengths.stream().mapToInt(Integer::intValue).toArray();
    return new EvalOverlapIndex(config, names, grams, lens, stats);
  }

  /** The first overlap of {@code text} with the evaluation sets, if any. */
  public Optional<Overlap> find(String text) {
    List<String> words = Texts.words(text);
    for (int start = 0; start < words.size(); start++) {
      for (int len : lengths) {
        if (start + len > words.size()) {
          break;
        }
        String window = Texts.join(words, start, len);
        Integer file = grams.get(Texts.fnv64(window));
        if (file != null) {
          return Optional.of(new Overlap(files.get(file), window));
        }
      }
    }
    return Optional.empty();
  }

  /** Splits {@code records} into kept and contaminated, in id order. */
  public <T> FilterResult<T> apply(List<T> records, Function<T, String> id, Function<T, String> text) {
    List<T> sorted = new ArrayList<>(records);
    sorted.sort(java.util.Comparator.comparing(id));
    List<T> kept = new ArrayList<>();
    List<RemovedPrompt> removed = new ArrayList<>();
    for (T r : sorted) {
      Optional<Overlap> hit = find(text.apply(r));
      if (hit.isPresent()) {
        removed.add(RemovedPrompt.contaminated(STAGE, id.apply(r), Json.line(r), hit.get().evalFile(), hit.get().ngram()));
      } else {
        kept.add(r);
      }
    }
    return new FilterResult<>(kept, removed);
  }

  public DecontaminationSpec config() {
    return config;
  }

  /** Distinct indexed n-grams (and whole short items). */
  public int size() {
    return grams.size();
  }

  public List<FileStats> stats() {
    return stats;
  }

  private static List<String> items(Path path, List<String> fields) {
    String name = path.getFileName().toString();
    String bare = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    List<String> out = new ArrayList<>();
    if (bare.endsWith(".jsonl") || bare.endsWith(".ndjson")) {
      for (JsonlReader.Line line : JsonlReader.readAll(path)) {
        if (fields.isEmpty()) {
          strings(line.node(), out);
        } else {
          for (String field : fields) {
            JsonNode v = line.node().get(field);
            if (v != null && !v.isNull()) {
              if (!v.isTextual() && !v.isContainerNode()) {
                throw new InputException(path.toString(), line.number(), field, "expected text or an array of text");
              }
              strings(v, out);
            }
          }
        }
      }
    } else {
      out.addAll(lines(path));
    }
    out.removeIf(String::isBlank);
    if (out.isEmpty()) {
      throw new InputException(
          path.toString(), 0, null, fields.isEmpty() ? "no text in the file" : "no text in the fields " + fields);
    }
    return out;
  }

  private static void strings(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isContainerNode()) {
      for (JsonNode child : node) {
        strings(child, out);
      }
    }
  }

  private static List<String> lines(Path path) {
    List<String> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    in,
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.add(line);
      }
    } catch (NoSuchFileException e) {
      throw new InputException(path.toString(), 0, null, "file not found");
    } catch (CharacterCodingException e) {
      throw new InputException(path.toString(), out.size() + 1, null, "invalid UTF-8", e);
    } catch (IOException e) {
      throw new InputException(path.toString(), 0, null, "cannot read: " + e.getMessage(), e);
    }
    return out;
  }
}
