package dev.assay.cli;

import dev.assay.config.ConfigException;
import dev.assay.io.InputException;
import dev.assay.llm.LlmException;
import dev.assay.pipeline.UsageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./assay}. Exit codes (DESIGN section 4): 0 success, 1 a gate failed, 2 bad usage or bad
 * input (the message names file, line and field; no stack trace), 3 backend unreachable or out of retries.
 */
@Command(
    name = "assay",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Training-data factory for self-rewarding preference optimization.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ValidateCommand.class,
      SimulateCommand.class,
      AgreementCommand.class,
      ExportCommand.class,
      AuditCommand.class,
      RankCommand.class,
      ReportCommand.class,
      QualifyCommand.class,
      AuditFiltersCommand.class,
      BatchCommand.class
    })
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int GATE_FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int BACKEND = 3;

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with every subcommand registered (the benchmarks when they are on the class path). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    benchCommand().ifPresent(bench -> cli.addSubcommand("bench", bench));
    cli.setExecutionExceptionHandler(Main::handle);
    return cli;
  }

  /**
   * The benchmarks, when they are on the class path. They live in their own source set ({@code src/bench/java},
   * compiled to {@code target/bench-classes}) and stay out of the product jar; the launcher adds them.
   */
  private static java.util.Optional<Object> benchCommand() {
    try {
      return java.util.Optional.of(Class.forName(BENCH_COMMAND).getDeclaredConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      return java.util.Optional.empty();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + BENCH_COMMAND, e);
    }
  }

  private static final String BENCH_COMMAND = "dev.assay.bench.BenchCommand";

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    Throwable cause = rootUserError(e);
    if (cause instanceof InputException || cause instanceof ConfigException || cause instanceof UsageException) {
      err.println("assay: " + cause.getMessage());
      return BAD_INPUT;
    }
    if (cause instanceof LlmException) {
      err.println("assay: backend: " + cause.getMessage());
      return BACKEND;
    }
    err.println("assay: internal error (a bug in Assay, please report it with this trace):");
    e.printStackTrace(new PrintWriter(err, true));
    return 70;
  }

  /** Beam wraps DoFn exceptions; find a user-facing error anywhere in the cause chain. */
  static Throwable rootUserError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException || t instanceof ConfigException || t instanceof UsageException || t instanceof LlmException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e;
  }

  /** The version picocli prints for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"assay " + dev.assay.pipeline.RecipeRunner.ASSAY_VERSION};
    }
  }
}
