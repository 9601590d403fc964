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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The sink of typed records: writes the records each element holds ({@link Lines}) as JSONL ({@link Json#line})
 * files under {@code <root>/<name>/}, one folder per output name, each file sorted ({@link String#compareTo}), so
 * that {@code RunDirectory.publish} only merges them ({@link SortedLines}) and the costly sort runs on the workers in
 * parallel instead of on the driver afterwards. Optionally it also folds the elements it writes with a {@link
 * Combine.CombineFn} ({@link #folding}) and returns the result: a set-level summary costs no second reading.
 *
 * <p>How: each bundle holds its lines per output until the bundle ends or they pass a budget ({@link
 * #budgetChars()}), then writes them, sorted, as one file under {@code <root>/<name>/.tmp/}; a bundle may write
 * several such sorted runs. The files' names go through one small grouping to a commit step that moves each into
 * {@code <root>/<name>/}. Why the detour: a runner retries a failed bundle, and only the attempt that succeeded hands
 * its names (and its share of the fold) on, so the files of a failed attempt stay under {@code .tmp/}, which
 * publishing ignores, and no line is published or folded twice. The commit is idempotent (a file already moved is not
 * moved again).
 *
 * <p>Why elements that hold several outputs' records, rather than one collection per output: on Flink's batch runner
 * each reader of a collection decodes every record of it, and a transform with several outputs is read as one
 * stream by the reader of each (BENCHMARKS.md: ten outputs each with its own writer made 1M judgments 1.9x slower).
 *
 * <p>Memory: a bundle holds at most the budget's characters per output at once. Failure modes: {@link
 * UncheckedIOException} when a file cannot be written or moved (the bundle fails; the runner retries or fails the
 * pipeline); {@link IllegalStateException} when a committed file has vanished.
 *
 * @param <T> the element type
 */
public final class WriteSortedJsonl<T> extends PTransform<PCollection<T>, PCollection<Void>> {
  /**
   * Which records an element holds, and under which output name each is written. Must be deterministic: a retried
   * bundle writes the same lines.
   */
  @FunctionalInterface
  public interface Lines<T> extends java.io.Serializable {
    void forEach(T element, Sink to);
  }

  /** Where {@link Lines} hands an element's records. */
  @FunctionalInterface
  public interface Sink {
    /** Writes {@code record} as one JSON line of the output {@code name}. */
    void write(String name, Object record);
  }

  private final String root;
  private final Lines<T> lines;
  private final long budget;

  private WriteSortedJsonl(String root, Lines<T> lines, long budget) {
    super("WriteSortedJsonl");
    this.root = Objects.requireNonNull(root, "root");
    this.lines = Objects.requireNonNull(lines, "lines");
    this.budget = budget;
  }

  /** @param root the folder holding one subfolder per output (a run directory's {@code .work}) */
  public static <T> WriteSortedJsonl<T> to(String root, Lines<T> lines) {
    return new WriteSortedJsonl<>(root, lines, 0);
  }

  /** The same sink holding at most {@code chars} characters per bundle and output (tests cross it; 0: the default). */
  public WriteSortedJsonl<T> withBudget(long chars) {
    return new WriteSortedJsonl<>(root, lines, chars);
  }

  /**
   * The same sink, also folding every element it writes with {@code fn} and returning the one result (also for no
   * elements, as {@link Combine#globally} gives it).
   */
  public <A, S> Folding<T, A, S> folding(Combine.CombineFn<T, A, S> fn) {
    return new Folding<>(this, fn);
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
  public PCollection<Void> expand(PCollection<T> elements) {
    return commit(elements.apply("Sort", ParDo.of(new SortedRunsFn<>(root, lines, budget(), null))).setCoder(StringUtf8Coder.of()));
  }

  private long budget() {
    return budget > 0 ? budget : budgetChars();
  }

  private static PCollection<Void> commit(PCollection<String> runs) {
    return runs
        .apply("OneKey", WithKeys.<Integer, String>of(0).withKeyType(TypeDescriptors.integers()))
        .apply("AfterEveryBundle", GroupByKey.create())
        .apply("Commit", ParDo.of(new CommitFn()));
  }

  /**
   * {@link WriteSortedJsonl} with a fold: returns the fold's one result. Each bundle's share of the fold is an output
   * of that bundle, like the names of its files, so a bundle that was retried counts once.
   */
  public static final class Folding<T, A, S> extends PTransform<PCollection<T>, PCollection<S>> {
    private final WriteSortedJsonl<T> sink;
    private final Combine.CombineFn<T, A, S> fn;

    private Folding(WriteSortedJsonl<T> sink, Combine.CombineFn<T, A, S> fn) {
      super("WriteSortedJsonl");
      this.sink = sink;
      this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public PCollection<S> expand(PCollection<T> elements) {
      TupleTag<String> runs = new TupleTag<>("runs") {};
      TupleTag<A> shares = new TupleTag<>("folded") {};
      PCollectionTuple out = elements.apply("Sort",
          ParDo.of(new SortedRunsFn<>(sink.root, sink.lines, sink.budget(), new Fold<>(fn, shares))).withOutputTags(runs, TupleTagList.of(shares)));
      commit(out.get(runs).setCoder(StringUtf8Coder.of()));
      Coder<A> accumulator;
      Coder<S> result;
      try {
        accumulator = fn.getAccumulatorCoder(elements.getPipeline().getCoderRegistry(), elements.getCoder());
        result = fn.getDefaultOutputCoder(elements.getPipeline().getCoderRegistry(), elements.getCoder());
      } catch (CannotProvideCoderException e) {
        throw new IllegalArgumentException("the fold's accumulator or result has no coder: " + e.getMessage(), e);
      }
      return out.get(shares).setCoder(accumulator).apply("Fold", Combine.globally(new MergeShares<>(fn, result)));
    }
  }

  /** A fold and the tag its per-bundle shares leave under. */
  private record Fold<T, A>(Combine.CombineFn<T, A, ?> fn, TupleTag<A> tag) implements java.io.Serializable {}

  /** Merges the bundles' shares and extracts the result with the fold's own functions. */
  private static final class MergeShares<T, A, S> extends Combine.CombineFn<A, A, S> {
    private final Combine.CombineFn<T, A, S> fn;
    private final Coder<S> result;

    MergeShares(Combine.CombineFn<T, A, S> fn, Coder<S> result) {
      this.fn = fn;
      this.result = result;
    }

    @Override
    public A createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public A addInput(A acc, A share) {
      return fn.mergeAccumulators(List.of(acc, share));
    }

    @Override
    public A mergeAccumulators(Iterable<A> accs) {
      return fn.mergeAccumulators(accs);
    }

    @Override
    public S extractOutput(A acc) {
      return fn.extractOutput(acc);
    }

    @Override
    public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<A> input) {
      return input;
    }

    @Override
    public Coder<S> getDefaultOutputCoder(CoderRegistry registry, Coder<A> input) {
      return result;
    }
  }

  /** Holds a bundle's lines per output and writes them as sorted runs under {@code .tmp/}; emits each run's path. */
  static final class SortedRunsFn<T, A> extends DoFn<T, String> {
    private final String root;
    private final Lines<T> lines;
    private final long budget;
    private final Fold<T, A> fold;
    private transient Map<String, Held> held;
    private transient List<String> runs;
    private transient A share;
    private transient Sink sink;

    SortedRunsFn(String root, Lines<T> lines, long budget, Fold<T, A> fold) {
      this.root = root;
      this.lines = lines;
      this.budget = budget;
      this.fold = fold;
    }

    /** One output's lines held by the bundle. */
    private static final class Held {
      final List<String> lines = new ArrayList<>();
      long chars;
    }

    @StartBundle
    public void start() {
      held = new HashMap<>();
      runs = new ArrayList<>();
      share = fold == null ? null : fold.fn().createAccumulator();
      sink = (name, record) -> {
        String line = Json.line(record);
        Held h = held.computeIfAbsent(name, k -> new Held());
        if (h.chars + line.length() > budget && !h.lines.isEmpty()) {
          spill(name, h);
        }
        h.lines.add(line);
        h.chars += line.length();
      };
    }

    @ProcessElement
    public void process(@Element T element) {
      lines.forEach(element, sink);
      if (fold != null) {
        share = fold.fn().addInput(share, element);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      for (Map.Entry<String, Held> e : held.entrySet()) {
        if (!e.getValue().lines.isEmpty()) {
          spill(e.getKey(), e.getValue());
        }
      }
      for (String run : runs) {
        context.output(run, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
      if (fold != null) {
        context.output(fold.tag(), share, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
      held = null;
      runs = null;
      share = null;
    }

    private void spill(String name, Held h) {
      h.lines.sort(null);
      Path tmp = Path.of(root, name, ".tmp", UUID.randomUUID() + ".jsonl");
      try {
        Files.createDirectories(tmp.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          for (String line : h.lines) {
            w.write(line);
            w.write('\n');
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a sorted run of " + name, e);
      }
      runs.add(tmp.toString());
      h.lines.clear();
      h.chars = 0;
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
