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

  /** Prints the table: rows = noise levels, for 50/100/200/400 frames; 5 seeds each, mean. */
  public static void main(String[] args) {
    int[] checkpoints = {50, 100, 200, 400};
    double[] noises = {0.0, 0.0005, 0.001, 0.002, 0.005};
    int seeds = 5;
    System.out.println(
        "| σ_y (obs. noise) | frames | mean rel. error of k | mean of median rel. error of γ_i |");
    System.out.println("|---|---|---|---|");
    for (double noise : noises) {
      double[][] acc = new double[checkpoints.length][2];
      for (int s = 0; s < seeds; s++) {
        List<Errors> e = run(ConsensusSimulator.Params.defaults(noise, 1000 + s), checkpoints);
        for (int c = 0; c < checkpoints.length; c++) {
          acc[c][0] += e.get(c).kRelError() / seeds;
          acc[c][1] += e.get(c).medianGammaRelError() / seeds;
        }
      }
      for (int c = 0; c < checkpoints.length; c++) {
        System.out.println(
            String.format(
                Locale.ROOT,
                "| %.4f | %d | %.2f %% | %.2f %% |",
                noise,
                checkpoints[c],
                100 * acc[c][0],
                100 * acc[c][1]));
      }
    }
    System.out.println(Arrays.toString(checkpoints));
  }
}
