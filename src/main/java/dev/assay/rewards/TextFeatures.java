package dev.assay.rewards;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features the {@code trained} reward model reads from a response's text: length, format markers and hashed word
 * n-grams. Pure and deterministic across JVMs (own hash, no {@code String.hashCode} randomness, root-locale case).
 *
 * <p>Features, by name:
 *
 * <ul>
 *   <li>{@code len.words}, {@code len.chars}, {@code len.lines}: {@code log(1 + count)} of whitespace-separated
 *       words, characters and lines (log, so a 2,000-word answer does not dwarf everything else in a linear model);
 *   <li>{@code fmt.list_items}: {@code log(1 + lines starting with -, *, +, • or "1." / "1)")};
 *   <li>{@code fmt.headings}: {@code log(1 + Markdown ATX heading lines, "# ..." to "###### ...")};
 *   <li>{@code fmt.code_fences}: {@code log(1 + lines starting with ``` or ~~~)};
 *   <li>{@code fmt.judge_markers}: {@code log(1 + judge-format markers)}: {@code [RESULT]}, {@code [[x]]} with a short
 *       x, {@code Score: n} or {@code Rating: n} (a response that talks to the judge is a known reward hack);
 *   <li>{@code ngram.<bucket>}: word 1- to {@code maxNgram}-grams (lower-cased runs of letters and digits) hashed into
 *       {@code buckets} buckets with a hash-derived sign (so collisions cancel on average instead of adding up), the
 *       block scaled to unit L2 norm (length is already in the {@code len.*} features).
 * </ul>
 *
 * @param buckets number of n-gram hash buckets, >= 1
 * @param maxNgram longest n-gram, >= 1
 */
public record TextFeatures(int buckets, int maxNgram) implements Serializable {
  private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*+\u2022]|\\d{1,3}[.)])\\s+\\S");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+\\S");
  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(?:```|~~~)");
  private static final Pattern JUDGE_MARKER =
      Pattern.compile("\\[RESULT\\]|\\[\\[[^\\]\\n]{1,8}\\]\\]|\\b(?:score|rating)\\s*[:=]\\s*\\d", Pattern.CASE_INSENSITIVE);

  public TextFeatures {
    if (buckets < 1 || maxNgram < 1) {
      throw new IllegalArgumentException("buckets and maxNgram must be >= 1: " + buckets + ", " + maxNgram);
    }
  }

  /** 4,096 buckets of unigrams and bigrams: a few thousand labels fill them sparsely enough. */
  public static TextFeatures defaults() {
    return new TextFeatures(4096, 2);
  }

  /** The features of a text, by name, in name order. */
  public SortedMap<String, Double> extract(String text) {
    SortedMap<String, Double> f = new TreeMap<>();
    String stripped = text.strip();
    String[] lines = stripped.isEmpty() ? new String[0] : stripped.split("\r?\n", -1);
    int listItems = 0;
    int headings = 0;
    int fences = 0;
    for (String line : lines) {
      listItems += LIST_ITEM.matcher(line).find() ? 1 : 0;
      headings += HEADING.matcher(line).find() ? 1 : 0;
      fences += FENCE.matcher(line).find() ? 1 : 0;
    }
    int markers = 0;
    Matcher m = JUDGE_MARKER.matcher(text);
    while (m.find()) {
      markers++;
    }
    f.put("len.words", Math.log1p(wordCount(stripped)));
    f.put("len.chars", Math.log1p(text.length()));
    f.put("len.lines", Math.log1p(lines.length));
    f.put("fmt.list_items", Math.log1p(listItems));
    f.put("fmt.headings", Math.log1p(headings));
    f.put("fmt.code_fences", Math.log1p(fences));
    f.put("fmt.judge_markers", Math.log1p(markers));
    Map<Integer, Double> hashed = new TreeMap<>();
    List<String> tokens = tokens(text);
    for (int n = 1; n <= maxNgram; n++) {
      for (int i = 0; i + n <= tokens.size(); i++) {
        String gram = String.join(" ", tokens.subList(i, i + n));
        long h = hash(gram);
        int bucket = (int) Math.floorMod(h, (long) buckets);
        double sign = (mix(h) & 1L) == 0 ? 1.0 : -1.0;
        hashed.merge(bucket, sign, Double::sum);
      }
    }
    double norm = Math.sqrt(hashed.values().stream().mapToDouble(v -> v * v).sum());
    if (norm > 0) {
      for (Map.Entry<Integer, Double> e : hashed.entrySet()) {
        if (e.getValue() != 0) {
          f.put(String.format(java.util.Locale.ROOT, "ngram.%05d", e.getKey()), e.getValue() / norm);
        }
      }
    }
    return f;
  }

  /** Whitespace-separated words (also the length measure of judge qualification's length probe). */
  public static int wordCount(String text) {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        n++;
      }
      inWord = !space;
    }
    return n;
  }

  /** Lower-cased (root locale) maximal runs of letters and digits. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i <= text.length(); i++) {
      int cp = i < text.length() ? text.codePointAt(i) : ' ';
      if (Character.isLetterOrDigit(cp)) {
        w.appendCodePoint(Character.toLowerCase(cp));
        if (Character.isSupplementaryCodePoint(cp)) {
          i++;
        }
      } else if (w.length() > 0) {
        out.add(w.toString());
        w.setLength(0);
      }
    }
    return out;
  }

  /** 64-bit FNV-1a over the UTF-8 bytes, then a SplitMix64 finaliser so low bits (the bucket) are well mixed. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
