package io.cytostream.processors.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cytostream.processors.offline.OfflineRunner;
import io.cytostream.processors.segment.eval.CtcFiles;
import io.cytostream.processors.topology.PipelineConfig;
import io.cytostream.processors.track.eval.CtcScorer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java CTC scores ({@link CtcResultScorer}: {@code CtcSegScore} and {@code CtcScorer}) agree
 * with the independent evaluator {@code ../shared/tools/ctc-eval} (py-ctcmetrics) on a real {@code
 * process} output: SIM+ 01, frames 0–19, whole chain with the default settings. Both compute the
 * same counts, so they agree to rounding: measured on frames 0–29 and on the whole sequence, DET,
 * TRA, LNK and BC(1) are bit-identical and SEG differs by 2e-16 (summation order of the Jaccard
 * indices); the tolerance 1e-9 only absorbs that, while one matching or edge error moves a score by
 * more than 1e-5.
 *
 * <p>Needs {@code /usr/bin/python3} with numpy, scipy, scikit-learn, tifffile and pandas, and
 * {@code tiffcp} (Debian: python3-numpy python3-scipy python3-sklearn python3-tifffile
 * python3-pandas libtiff-tools); skipped with a message when they are missing (the tool would
 * otherwise apt-get install them itself, which a test must not do).
 */
class CtcScorerAgreementTest {
  private static final int FRAMES = 20;

  @Test
  void javaScoresAgreeWithPyCtcMetrics(@TempDir Path tmp) throws Exception {
    Path data = CtcFiles.sharedData();
    Path seq = data.resolve("ctc/Fluo-N2DH-SIM+/01");
    Path gt = data.resolve("ctc/Fluo-N2DH-SIM+/01_GT");
    Path tool = data.getParent().resolve("tools/ctc-eval");
    Assumptions.assumeTrue(Files.isDirectory(gt), "shared CTC data not found; skipping");
    Assumptions.assumeTrue(Files.isRegularFile(tool), "no " + tool + "; skipping");
    String missing = missingPython();
    Assumptions.assumeTrue(
        missing == null,
        "ctc-eval needs /usr/bin/python3 with numpy, scipy, sklearn, tifffile, pandas and tiffcp"
            + " (python3-numpy python3-scipy python3-sklearn python3-tifffile python3-pandas"
            + " libtiff-tools): "
            + missing
            + "; skipping");

    Path input =
        RunFolders.subset(seq, Pattern.compile("t(\\d+)\\.tif"), FRAMES, tmp.resolve("input"));
    Path res = tmp.resolve("res");
    OfflineRunner.run(
        new OfflineRunner.Options(input, res, "sim+", null, 1.0, PipelineConfig.defaults()));
    // the ground truth of the same frames, in CTC layout, for the Python tool (copies: it skips
    // symbolic links)
    Path sub = tmp.resolve("GT");
    RunFolders.subset(
        gt.resolve("TRA"),
        Pattern.compile("man_track(\\d+)\\.tif"),
        FRAMES,
        sub.resolve("TRA"),
        true);
    RunFolders.subset(
        gt.resolve("SEG"),
        Pattern.compile("man_seg(\\d+)\\.tif"),
        FRAMES,
        sub.resolve("SEG"),
        true);
    List<CtcScorer.Track> clipped =
        CtcScorer.clip(CtcScorer.readTracks(gt.resolve("TRA/man_track.txt")), FRAMES);
    Files.writeString(
        sub.resolve("TRA/man_track.txt"),
        clipped.stream()
                .map(t -> t.label() + " " + t.begin() + " " + t.end() + " " + t.parent())
                .collect(Collectors.joining("\n"))
            + "\n",
        StandardCharsets.US_ASCII);

    CtcResultScorer.Measures java = CtcResultScorer.score(res, gt, FRAMES, true);
    Map<String, Double> py = ctcEval(tool, res, sub, tmp);
    System.out.println("Java: " + java + "\nctc-eval: " + py);
    assertThat(py.get("Valid")).isEqualTo(1.0);
    assertThat(java.seg()).isCloseTo(py.get("SEG"), within(1e-9));
    assertThat(java.det()).isCloseTo(py.get("DET"), within(1e-9));
    assertThat(java.tra()).isCloseTo(py.get("TRA"), within(1e-9));
    assertThat(java.lnk()).isCloseTo(py.get("LNK"), within(1e-9));
    assertThat(java.bc1()).isCloseTo(py.get("BC(1)"), within(1e-9));
    // a real result, not a trivial one: errors of every kind are present
    assertThat(java.tra()).isLessThan(1.0);
    assertThat(java.divisions()).isPositive();
  }

  /** Null when the Python side is usable, else what is missing. */
  private static String missingPython() throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(
                  "/usr/bin/python3", "-c", "import numpy, scipy, sklearn, tifffile, pandas")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return out.isBlank() ? "python3 failed" : out.strip().lines().reduce((a, b) -> b).get();
      }
      Process t = new ProcessBuilder("tiffcp").redirectErrorStream(true).start();
      t.getInputStream().readAllBytes();
      t.waitFor(10, TimeUnit.SECONDS);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Runs ctc-eval and parses its result dictionary (full precision). */
  private static Map<String, Double> ctcEval(Path tool, Path res, Path gt, Path tmp)
      throws IOException, InterruptedException {
    Path log = tmp.resolve("ctc-eval.log");
    Process p =
        new ProcessBuilder("bash", tool.toString(), res.toString(), gt.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("ctc-eval finished").isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    int i = out.indexOf("with results:");
    assertThat(i).as(out).isNotNegative();
    String dict = out.substring(i, out.indexOf('}', i));
    Map<String, Double> m = new HashMap<>();
    Matcher mt = Pattern.compile("'([^']+)': ([-+0-9.eE]+|None)").matcher(dict);
    while (mt.find()) {
      if (!mt.group(2).equals("None")) {
        m.put(mt.group(1), Double.parseDouble(mt.group(2)));
      }
    }
    return m;
  }
}
