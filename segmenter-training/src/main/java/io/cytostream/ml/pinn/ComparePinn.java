package io.cytostream.ml.pinn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cytostream.schemas.Json;
import io.cytostream.state.consensus.CellSample;
import io.cytostream.state.consensus.ConsensusFrame;
import io.cytostream.state.consensus.NeighbourLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./cytostream compare-pinn}: the paper's comparison of its two methods, CRLSM and PINN
 * ({@link MethodComparison}), reproduced where the truth is known — on the simulator's cultures
 * ({@link SimulatedCulture}: several seeds, noise levels σ_y and intervals Δt) — and on {@code
 * process} output of real data (its {@code cells.csv} and {@code adjacency.csv}, no truth). Writes
 * one table, {@code DIR/pinn-comparison.md} and {@code DIR/pinn-comparison.json}, both methods'
 * figures from the same run.
 */
public final class ComparePinn {

  private ComparePinn() {}

  /** The command line. */
  @Command(
      name = "compare-pinn",
      mixinStandardHelpOptions = true,
      description = {
        "Fit the consensus model with the CRLSM and with the paper's PINN (TF Java) on simulated",
        "cultures with known k and gamma_i and on process output of real data; write one table,",
        "DIR/pinn-comparison.md and .json: k and gamma errors, trace MSE and time of both methods."
      })
  static final class Options implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "pinn-comparison", description = "Output folder.")
    Path out;

    @Option(
        names = "--full",
        description =
            "The full grid (seeds 1,2,3; σ_y 0, 0.002, 0.005; Δt 1 and 10 s; 361 frames, the"
                + " paper's movie) instead of the short default (seeds 1,2; σ_y 0 and 0.005; Δt 1"
                + " and 10 s; 181 frames).")
    boolean full;

    @Option(names = "--seeds", split = ",", description = "Simulation seeds.")
    List<Long> seeds;

    @Option(names = "--noise", split = ",", description = "σ_y values.")
    List<Double> noise;

    @Option(names = "--dt", split = ",", description = "Δt values in s.")
    List<Double> dt;

    @Option(names = "--frames", description = "Frames per simulated culture.")
    Integer frames;

    @Option(
        names = "--grid",
        defaultValue = "8x6",
        description = "Culture grid NXxNY; the outer ring are border cells (default: 8x6).")
    String grid;

    @Option(names = "--k", defaultValue = "0.05", description = "True k, 1/s (default 0.05).")
    double k;

    @Option(names = "--epochs", defaultValue = "500", description = "PINN epochs (paper: 500).")
    int epochs;

    @Option(
        names = "--real",
        description =
            "NAME=DIR: a `process` output folder (cells.csv, adjacency.csv) of real data; repeatable.")
    List<String> real;

    @Option(
        names = "--interval",
        defaultValue = "1",
        description = "Frame interval of the real data, s (process's --interval; default 1).")
    double interval;

    @Option(
        names = "--skip-frames",
        defaultValue = "10",
        description =
            "Leading frames of real data left out (the stream's normalisation settles in 10).")
    int skipFrames;

    @Override
    public Integer call() throws IOException {
      List<Long> s = seeds != null ? seeds : full ? List.of(1L, 2L, 3L) : List.of(1L, 2L);
      List<Double> sy =
          noise != null ? noise : full ? List.of(0.0, 0.002, 0.005) : List.of(0.0, 0.005);
      List<Double> dts = dt != null ? dt : List.of(1.0, 10.0);
      int nFrames = frames != null ? frames : full ? 361 : 181;
      String[] g = grid.toLowerCase(Locale.ROOT).split("x");
      int nx = Integer.parseInt(g[0]);
      int ny = Integer.parseInt(g[1]);
      List<Case> cases = new ArrayList<>();
      for (double d : dts) {
        for (double n : sy) {
          for (long seed : s) {
            SimulatedCulture.Run run =
                SimulatedCulture.run(
                    new SimulatedCulture.Params(nx, ny, k, 1e-4, 5e-4, d, n, seed), nFrames);
            String name = String.format(Locale.ROOT, "simulated %dx%d", nx, ny);
            Case c =
                new Case(
                    name,
                    seed,
                    n,
                    d,
                    MethodComparison.run(
                        run.frames(),
                        run.k(),
                        run.gamma(),
                        ConsensusPinn.Config.paper(seed).withEpochs(epochs)));
            System.out.println(line(c));
            cases.add(c);
          }
        }
      }
      if (real != null) {
        for (String r : real) {
          int eq = r.indexOf('=');
          String name = eq > 0 ? r.substring(0, eq) : r;
          Path dir = Path.of(eq > 0 ? r.substring(eq + 1) : r);
          List<ConsensusFrame> frs = readProcessOutput(dir, interval, skipFrames);
          Case c;
          try {
            c =
                new Case(
                    name,
                    -1,
                    Double.NaN,
                    interval,
                    MethodComparison.run(
                        frs,
                        Double.NaN,
                        Map.of(),
                        ConsensusPinn.Config.paper(1).withEpochs(epochs)));
          } catch (IllegalArgumentException e) {
            System.out.println(name + ": " + e.getMessage());
            continue;
          }
          System.out.println(line(c));
          cases.add(c);
        }
      }
      Files.createDirectories(out);
      Files.writeString(out.resolve("pinn-comparison.md"), markdown(cases), StandardCharsets.UTF_8);
      Files.writeString(out.resolve("pinn-comparison.json"), json(cases), StandardCharsets.UTF_8);
      System.out.println();
      System.out.print(summary(cases));
      System.out.println("wrote " + out.resolve("pinn-comparison.md") + " and .json");
      return 0;
    }
  }

  /** One sequence's outcome, with what made it. */
  record Case(String data, long seed, double noise, double dtSeconds, MethodComparison.Outcome o) {}

  /** Runs the command. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  private static String line(Case c) {
    return String.format(
        Locale.ROOT,
        "%s seed %d σ_y %s Δt %s: CRLSM k %.5f (%.1f s), PINN k %.5f (%.1f s)",
        c.data(),
        c.seed(),
        c.noise(),
        c.dtSeconds(),
        c.o().crlsm().k(),
        c.o().crlsm().seconds(),
        c.o().pinn().k(),
        c.o().pinn().seconds());
  }

  /**
   * The summary: per data set, σ_y, Δt and method, the mean over seeds of k, of the errors, of the
   * trace MSEs and of the time.
   */
  static String summary(List<Case> cases) {
    Map<String, List<Case>> groups = new java.util.LinkedHashMap<>();
    for (Case c : cases) {
      String key = c.data() + "|" + c.noise() + "|" + c.dtSeconds();
      groups.computeIfAbsent(key, x -> new ArrayList<>()).add(c);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| data | σ_y | Δt (s) | seeds | method | mean k (1/s) | mean k error | mean median γ_i"
            + " error | mean trace MSE | trace MSE of the truth | mean time (s) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (List<Case> g : groups.values()) {
      Case first = g.get(0);
      for (int m = 0; m < 2; m++) {
        double k = 0;
        double ke = 0;
        double ge = 0;
        double mse = 0;
        double truth = 0;
        double sec = 0;
        String method = "";
        for (Case c : g) {
          MethodComparison.Result r = m == 0 ? c.o().crlsm() : c.o().pinn();
          method = r.method();
          k += r.k() / g.size();
          ke += r.kRelError() / g.size();
          ge += r.medianGammaRelError() / g.size();
          mse += r.traceMse() / g.size();
          truth += c.o().truthTraceMse() / g.size();
          sec += r.seconds() / g.size();
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %.4f | %s | %s | %.2g | %s | %s |%n",
                first.data(),
                Double.isNaN(first.noise()) ? "–" : fmt(first.noise()),
                fmt(first.dtSeconds()),
                first.seed() < 0 ? "–" : Integer.toString(g.size()),
                method,
                k,
                pct(ke),
                pct(ge),
                mse,
                Double.isNaN(truth) ? "–" : String.format(Locale.ROOT, "%.2g", truth),
                sec < 0.1
                    ? String.format(Locale.ROOT, "%.3f", sec)
                    : String.format(Locale.ROOT, "%.1f", sec)));
      }
    }
    return sb.toString();
  }

  static String markdown(List<Case> cases) {
    StringBuilder sb = new StringBuilder();
    sb.append("## Summary (mean over seeds)\n\n").append(summary(cases)).append("\n");
    sb.append("## Every run\n\n");
    sb.append(
        "| data | seed | σ_y | Δt (s) | cells × frames | method | k (1/s) | k error | median γ_i"
            + " error | trace MSE | trace MSE of the truth | time (s) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Case c : cases) {
      for (MethodComparison.Result r : List.of(c.o().crlsm(), c.o().pinn())) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %d × %d | %s | %.5f | %s | %s | %.3g | %s | %s |%n",
                c.data(),
                c.seed() < 0 ? "–" : Long.toString(c.seed()),
                Double.isNaN(c.noise()) ? "–" : fmt(c.noise()),
                fmt(c.dtSeconds()),
                c.o().cells(),
                c.o().frames(),
                r.method(),
                r.k(),
                pct(r.kRelError()),
                pct(r.medianGammaRelError()),
                r.traceMse(),
                Double.isNaN(c.o().truthTraceMse())
                    ? "–"
                    : String.format(Locale.ROOT, "%.3g", c.o().truthTraceMse()),
                r.seconds() < 0.1
                    ? String.format(Locale.ROOT, "%.4f", r.seconds())
                    : String.format(Locale.ROOT, "%.1f", r.seconds())));
      }
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  static String json(List<Case> cases) throws IOException {
    ArrayNode arr = Json.mapper().createArrayNode();
    for (Case c : cases) {
      ObjectNode n = arr.addObject();
      n.put("data", c.data());
      if (c.seed() >= 0) {
        n.put("seed", c.seed());
        n.put("noise", c.noise());
      }
      n.put("dt_seconds", c.dtSeconds());
      n.put("cells", c.o().cells());
      n.put("frames", c.o().frames());
      putNumber(n, "truth_trace_mse", c.o().truthTraceMse());
      n.put("pinn_data_loss", c.o().pinnDataLoss());
      n.put("pinn_physics_loss", c.o().pinnPhysicsLoss());
      for (MethodComparison.Result r : List.of(c.o().crlsm(), c.o().pinn())) {
        ObjectNode m = n.putObject(r.method().toLowerCase(Locale.ROOT));
        m.put("k", r.k());
        putNumber(m, "k_rel_error", r.kRelError());
        putNumber(m, "median_gamma_rel_error", r.medianGammaRelError());
        putNumber(m, "trace_mse", r.traceMse());
        m.put("seconds", r.seconds());
      }
    }
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(arr) + "\n";
  }

  private static void putNumber(ObjectNode n, String f, double v) {
    if (Double.isFinite(v)) {
      n.put(f, v);
    } else {
      n.putNull(f);
    }
  }

  /**
   * The frames of a {@code process} output folder: cells.csv (normalised intensity, border flag)
   * and adjacency.csv (l and u, weight u·l / 1000 px² as the consensus stage scales it), t = frame
   * × interval; the first {@code skip} frames left out.
   */
  static List<ConsensusFrame> readProcessOutput(Path dir, double interval, int skip)
      throws IOException {
    TreeMap<Long, List<CellSample>> cells = new TreeMap<>();
    TreeMap<Long, List<NeighbourLink>> links = new TreeMap<>();
    List<String> cl = Files.readAllLines(dir.resolve("cells.csv"), StandardCharsets.UTF_8);
    for (String line : cl.subList(1, cl.size())) {
      String[] f = line.split(",");
      long frame = Long.parseLong(f[0]);
      cells
          .computeIfAbsent(frame, x -> new ArrayList<>())
          .add(
              new CellSample(
                  Long.parseLong(f[1]),
                  Double.parseDouble(f[6]),
                  Boolean.parseBoolean(f[7]) || "1".equals(f[7]),
                  0));
    }
    List<String> al = Files.readAllLines(dir.resolve("adjacency.csv"), StandardCharsets.UTF_8);
    for (String line : al.subList(1, al.size())) {
      String[] f = line.split(",");
      links
          .computeIfAbsent(Long.parseLong(f[0]), x -> new ArrayList<>())
          .add(
              new NeighbourLink(
                  Long.parseLong(f[1]),
                  Long.parseLong(f[2]),
                  Double.parseDouble(f[3]) / 1000.0,
                  Double.parseDouble(f[4])));
    }
    List<ConsensusFrame> out = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Long, List<CellSample>> e : cells.entrySet()) {
      if (i++ < skip) {
        continue;
      }
      out.add(
          new ConsensusFrame(
              e.getKey(),
              e.getKey() * interval,
              e.getValue(),
              links.getOrDefault(e.getKey(), List.of())));
    }
    return out;
  }
}
