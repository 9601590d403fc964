package dev.assay.curation.filters;

import dev.assay.io.Hashing;
import dev.assay.io.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Removes exact and near-duplicate records (prompts, judge items): a plain function over one in-memory list.
 *
 * <p>Records are visited in id order ({@link String#compareTo}), so which twin survives never depends on arrival
 * order: the record with the smallest id is kept and every later twin is removed, naming it. A record is an exact
 * duplicate when the SHA-256 of its {@link Texts#normalize normalised} text equals a kept record's; otherwise it is a
 * near-duplicate when the MinHash estimate of its Jaccard similarity to a kept record is at least the threshold
 * (candidates from LSH banding; the most similar kept record is named, ties to the smaller id). Records are compared
 * with kept records only, so a chain A~B~C where A and C are dissimilar keeps both A and C. A text without any
 * word is only checked for exact duplicates.
 *
 * <p>Memory: every record, plus for each kept one a signature ({@code permutations x 4} bytes, 512 B by default) and
 * {@code bands} bucket entries (roughly 50 B each): about 2 KB per kept prompt besides its text, so 100,000 prompts
 * need a few hundred MB. Prompt sets are modest; for much larger sets, shard by language or source first.
 *
 * <p>Fails with {@link IllegalArgumentException} when two records share an id (an id must name one record).
 */
public final class Deduplicator {
  public static final String STAGE = "dedupe";
  private final DedupeSpec config;
  private final MinHash minHash;

  private Deduplicator(DedupeSpec config) {
    this.config = config;
    this.minHash = MinHash.of(config.permutations(), config.bands(), config.shingleWords(), config.seed());
  }

  public static Deduplicator with(DedupeSpec config) {
    return new Deduplicator(config);
  }

  /** Splits {@code records} into kept and removed; {@code id} and {@code text} read a record's id and text. */
  public <T> FilterResult<T> apply(List<T> records, Function<T, String> id, Function<T, String> text) {
    List<T> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparing(id));
    Set<String> ids = new HashSet<>();
    for (T r : sorted) {
      if (!ids.add(id.apply(r))) {
        throw new IllegalArgumentException("two records share the id " + id.apply(r));
      }
    }

    Map<String, String> exact = new HashMap<>();
    List<String> keptIds = new ArrayList<>();
    List<int[]> keptSignatures = new ArrayList<>();
    Map<Long, List<Integer>> buckets = new HashMap<>();
    List<T> kept = new ArrayList<>();
    List<RemovedPrompt> removed = new ArrayList<>();

    for (T record : sorted) {
      String rid = id.apply(record);
      String body = text.apply(record);
      String hash = Hashing.sha256(Texts.normalize(body));
      String twin = exact.get(hash);
      if (twin != null) {
        removed.add(RemovedPrompt.exact(STAGE, rid, Json.line(record), twin));
        continue;
      }
      int[] sig = minHash.signature(body);
      long[] keys = sig == null ? new long[0] : minHash.bandKeys(sig);
      int best = -1;
      double bestSimilarity = -1;
      Set<Integer> seen = new HashSet<>();
      for (long key : keys) {
        for (int candidate : buckets.getOrDefault(key, List.of())) {
          if (!seen.add(candidate)) {
            continue;
          }
          double j = MinHash.similarity(sig, keptSignatures.get(candidate));
          // Kept indices grow with id, so on a tie the smaller index is the smaller id.
          if (j >= config.threshold() && (j > bestSimilarity || (j == bestSimilarity && candidate < best))) {
            best = candidate;
            bestSimilarity = j;
          }
        }
      }
      if (best >= 0) {
        removed.add(RemovedPrompt.near(STAGE, rid, Json.line(record), keptIds.get(best), bestSimilarity));
        continue;
      }
      int index = keptIds.size();
      exact.put(hash, rid);
      keptIds.add(rid);
      keptSignatures.add(sig);
      for (long key : keys) {
        buckets.computeIfAbsent(key, k -> new ArrayList<>(1)).add(index);
      }
      kept.add(record);
    }
    return new FilterResult<>(kept, removed);
  }
}
