package io.cytostream.state.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Parameter recovery of the streaming CRLSM on the simulated consensus model (no images). The
 * {@link #main} prints the error table for the report:
 *
 * <pre>
 *   mvn -B -q -o test-compile -pl state
 *   java -cp state/target/test-classes:state/target/classes:$(cat cp.txt) \
 *       io.cytostream.state.consensus.CrlsmRecovery
 * </pre>
 */
public final class CrlsmRecovery {

  /** Errors after some frames. */
  public record Errors(
      int frames,
      double noise,
      double k,
      double kRelError,
      double medianGammaRelError,
      long rows) {}

  private CrlsmRecovery() {}

  /** Runs one simulation and returns the errors at each checkpoint (frame counts, ascending). */
  public static List<Errors> run(ConsensusSimulator.Params p, int... checkpoints) {
    return run(p, CrlsmConfig.paper(), checkpoints);
  }

  /** As {@link #run(ConsensusSimulator.Params, int...)} with the given fit. */
  public static List<Errors> run(
      ConsensusSimulator.Params p, CrlsmConfig config, int... checkpoints) {
    ConsensusSimulator sim = new ConsensusSimulator(p);
    RegressionRowBuilder builder = new RegressionRowBuilder();
    StreamingCrlsm crlsm = new StreamingCrlsm(config);
    List<Errors> out = new ArrayList<>();
    int next = 0;
    int last = checkpoints[checkpoints.length - 1];
    for (int f = 1; f <= last; f++) {
      ConsensusFrame frame = sim.next();
      crlsm.update(frame.frameIndex(), builder.accept(frame));
      if (f == checkpoints[next]) {
        ConsensusSolution s = crlsm.solve();
        double[] rel =
            s.gamma().entrySet().stream()
                .mapToDouble(e -> Math.abs(e.getValue() / sim.gamma(e.getKey()) - 1))
                .sorted()
                .toArray();
        double median =
            rel.length == 0
                ? Double.NaN
                : (rel.length % 2 == 1
                    ? rel[rel.length / 2]
                    : 0.5 * (rel[rel.length / 2 - 1] + rel[rel.length / 2]));
        out.add(
            new Errors(
                f, p.observationNoise(), s.k(), Math.abs(s.k() / p.k() - 1), median, s.rowsUsed()));
        next++;
      }
    }
    return out;
  }

  /**
   * Prints the tables of the README: mean relative error of k and mean of the median relative error
   * of γ_i over 5 seeds, for 50/100/200/400 frames and several noise levels; least squares and the
   * IV remedy; on the original culture (Δt = 0.4 s, rate rows, u·l unscaled) and in the paper's
   * units (Δt = 10 s and 1 s, Δy rows).
   */
  public static void main(String[] args) {
    int[] checkpoints = {50, 100, 200, 400};
    double[] noises = {0.0005, 0.002, 0.005};
    int seeds = 5;
    String[] cultures = {"Δt = 0.4 s, rate rows", "Δt = 10 s, Δy rows", "Δt = 1 s, Δy rows"};
    for (int culture = 0; culture < cultures.length; culture++) {
      System.out.println();
      System.out.println("### " + cultures[culture] + " (k / median γ_i)");
      System.out.println("| estimator | σ_y | 50 frames | 100 | 200 | 400 |");
      System.out.println("|---|---|---|---|---|---|");
      for (CrlsmConfig.Estimator est : CrlsmConfig.Estimator.values()) {
        for (double noise : noises) {
          double[][] acc = new double[checkpoints.length][2];
          for (int s = 0; s < seeds; s++) {
            ConsensusSimulator.Params p =
                switch (culture) {
                  case 0 -> ConsensusSimulator.Params.defaults(noise, 1000 + s);
                  case 1 -> ConsensusSimulator.Params.paperUnits(10, noise, 1000 + s);
                  default -> ConsensusSimulator.Params.paperUnits(1, noise, 1000 + s);
                };
            CrlsmConfig c = CrlsmConfig.paper().withEstimator(est);
            if (culture == 0) {
              c = c.withObjective(CrlsmConfig.Objective.RATE);
            }
            List<Errors> e = run(p, c, checkpoints);
            for (int q = 0; q < checkpoints.length; q++) {
              acc[q][0] += e.get(q).kRelError() / seeds;
              acc[q][1] += e.get(q).medianGammaRelError() / seeds;
            }
          }
          StringBuilder line =
              new StringBuilder(String.format(Locale.ROOT, "| %s | %.4f |", est.wireName(), noise));
          for (double[] x : acc) {
            line.append(String.format(Locale.ROOT, " %.2f / %.2f %% |", 100 * x[0], 100 * x[1]));
          }
          System.out.println(line);
        }
      }
    }
    System.out.println(Arrays.toString(checkpoints));
  }
}
