package dev.assay.grouping;

import dev.assay.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The sink of typed outputs: writes each named output of a tuple as JSONL ({@link Json#line}) files under {@code
 * <root>/<name>/}, each file sorted ({@link String#compareTo}), so that {@code RunDirectory.publish} only merges them
 * ({@link SortedLines}) and the costly sort runs on the workers in parallel instead of on the driver afterwards.
 *
 * <p>How: each bundle holds its lines until the bundle ends or they pass a budget ({@link #budgetChars()}), then
 * writes them, sorted, as one file under {@code <root>/<name>/.tmp/}; a bundle may write several such sorted runs.
 * The files' names go through one small grouping to a commit step that moves each into {@code <root>/<name>/}.
 * Why the detour: a runner retries a failed bundle, and only the attempt that succeeded hands its names on, so the
 * files of a failed attempt stay under {@code .tmp/}, which publishing ignores, and no line is published twice.
 * The commit is idempotent (a file already moved is not moved again).
 *
 * <p>Memory: a bundle holds at most the budget's characters per output at once. Failure modes: {@link
 * UncheckedIOException} when a file cannot be written or moved (the bundle fails; the runner retries or fails the
 * pipeline); {@link IllegalStateException} when a committed file has vanished.
 */
public final class WriteSortedJsonl extends PTransform<PCollectionTuple, PDone> {
  private final String root;
  private final Map<TupleTag<?>, String> names;
  private final long budget;

  private WriteSortedJsonl(String root, Map<TupleTag<?>, String> names, long budget) {
    super("WriteSortedJsonl");
    this.root = Objects.requireNonNull(root, "root");
    this.names = names;
    this.budget = budget;
  }

  /** @param root the folder holding one subfolder per output (a run directory's {@code .work}) */
  public static WriteSortedJsonl to(String root) {
    return new WriteSortedJsonl(root, Map.of(), 0);
  }

  /** The same sink also writing the output under {@code tag} into {@code <root>/<name>/} when the tuple has it. */
  public WriteSortedJsonl with(TupleTag<?> tag, String name) {
    Map<TupleTag<?>, String> more = new LinkedHashMap<>(names);
    more.put(Objects.requireNonNull(tag, "tag"), Objects.requireNonNull(name, "name"));
    return new WriteSortedJsonl(root, more, budget);
  }

  /** The same sink holding at most {@code chars} characters per bundle and output (tests cross it; 0: the default). */
  WriteSortedJsonl withBudget(long chars) {
    return new WriteSortedJsonl(root, names, chars);
  }

  /**
   * Characters one bundle holds per output before it writes a sorted run: 32 M, or less on a worker whose heap per
   * core is small, so that the bundles processed at once (one per core) hold at most an eighth of the heap even as
   * UTF-16.
   */
  public static long budgetChars() {
    long perCore = Runtime.getRuntime().maxMemory() / (16L * Runtime.getRuntime().availableProcessors());
    return Math.min(32L << 20, perCore);
  }

  @Override
  @SuppressWarnings("unchecked")
  public PDone expand(PCollectionTuple outputs) {
    PCollectionList<String> written = PCollectionList.empty(outputs.getPipeline());
    long budget = this.budget > 0 ? this.budget : budgetChars();
    for (Map.Entry<TupleTag<?>, String> e : names.entrySet()) {
      if (!outputs.has(e.getKey())) {
        continue;
      }
      PCollection<Object> records = outputs.get((TupleTag<Object>) e.getKey());
      written = written.and(
          records.apply("Sort-" + e.getValue(), ParDo.of(new SortedRunsFn<>(root, e.getValue(), budget))).setCoder(StringUtf8Coder.of()));
    }
    written
        .apply("Written", Flatten.pCollections())
        .setCoder(StringUtf8Coder.of())
        .apply("OneKey", WithKeys.<Integer, String>of(0).withKeyType(TypeDescriptors.integers()))
        .apply("AfterEveryBundle", GroupByKey.create())
        .apply("Commit", ParDo.of(new CommitFn()));
    return PDone.in(outputs.getPipeline());
  }

  /** Holds a bundle's lines and writes them as sorted runs under {@code .tmp/}; emits each run's path. */
  static final class SortedRunsFn<T> extends DoFn<T, String> {
    private final String root;
    private final String name;
    private final long budget;
    private transient List<String> held;
    private transient long chars;
    private transient List<String> runs;

    SortedRunsFn(String root, String name, long budget) {
      this.root = root;
      this.name = name;
      this.budget = budget;
    }

    @StartBundle
    public void start() {
      held = new ArrayList<>();
      chars = 0;
      runs = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element T record) {
      String line = Json.line(record);
      if (chars + line.length() > budget && !held.isEmpty()) {
        spill();
      }
      held.add(line);
      chars += line.length();
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      if (!held.isEmpty()) {
        spill();
      }
      for (String run : runs) {
        context.output(run, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
      held = null;
      runs = null;
    }

    private void spill() {
      held.sort(null);
      Path tmp = Path.of(root, name, ".tmp", UUID.randomUUID() + ".jsonl");
      try {
        Files.createDirectories(tmp.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          for (String line : held) {
            w.write(line);
            w.write('\n');
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a sorted run of " + name, e);
      }
      runs.add(tmp.toString());
      held.clear();
      chars = 0;
    }
  }

  /** Moves every run of the attempts that succeeded from {@code .tmp/} into its output's folder. */
  static final class CommitFn extends DoFn<KV<Integer, Iterable<String>>, Void> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> written) {
      for (String run : written.getValue()) {
        Path tmp = Path.of(run);
        Path target = tmp.getParent().getParent().resolve(tmp.getFileName());
        try {
          if (Files.exists(tmp)) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } else if (!Files.exists(target)) {
            throw new IllegalStateException("the sorted run " + tmp + " is gone before its commit");
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot commit " + tmp, e);
        }
      }
    }
  }
}
