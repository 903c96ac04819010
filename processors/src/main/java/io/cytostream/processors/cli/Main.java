package io.cytostream.processors.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cytostream} command line: {@code demo}, {@code serve}, {@code simulate}, {@code
 * replay}, {@code process}. Bad arguments print one line and exit 2; a failure prints one line (the
 * cause) and exits 1; {@code CYTOSTREAM_DEBUG=1} adds the stack trace.
 */
@Command(
    name = "cytostream",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Live microscopy analysis on Kafka Streams.",
    footer = {
      "",
      "The launcher script also runs `./cytostream train-segmenter` (reproduces the learned",
      "segmenter; its own classpath, see segmenter-training/train.sh) and `./cytostream",
      "compare-pinn` (the paper's CRLSM vs PINN comparison; segmenter-training/compare-pinn.sh)."
    },
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      SimulateCommand.class,
      ReplayCommand.class,
      ProcessCommand.class,
      EvaluateCommand.class,
      LoadtestCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return run(null, null, args);
  }

  /**
   * Runs the command line with its output and errors going to the given writers (null = the
   * console) and returns the exit code.
   */
  public static int run(PrintWriter stdout, PrintWriter stderr, String... args) {
    CommandLine cl = new CommandLine(new Main());
    if (stdout != null) {
      cl.setOut(stdout);
    }
    if (stderr != null) {
      cl.setErr(stderr);
    }
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("cytostream: " + ex.getMessage() + " (see --help)");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("cytostream " + commandLine.getCommandName() + ": " + oneLine(ex));
          if (System.getenv("CYTOSTREAM_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          return 1;
        });
    return cl.execute(args);
  }

  /** The most useful single line of a failure: its deepest message. */
  static String oneLine(Throwable ex) {
    Throwable t = ex;
    String msg = t.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        msg = t.getMessage();
      }
    }
    if (msg == null) {
      msg = ex.getClass().getSimpleName();
    }
    return ex.getMessage() != null && !ex.getMessage().equals(msg)
        ? ex.getMessage() + " (" + msg + ")"
        : msg;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The project version (from the pom, written into {@code version.properties} by the build). */
  static String version() {
    try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        java.util.Properties p = new java.util.Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.startsWith("$")) {
          return v.trim();
        }
      }
    } catch (java.io.IOException e) {
      // fall through to the manifest
    }
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  /** {@code cytostream VERSION}: the project version of the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"cytostream " + version()};
    }
  }
}
