package io.cytostream.processors.cli;

import io.cytostream.processors.loadtest.LoadTest;
import io.cytostream.processors.segment.select.SegmenterChoice;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadtest}: end-to-end frames/s and latency against the transport and compute ceilings. */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    description = {
      "Start the service (embedded broker unless --bootstrap), publish simulated frames from",
      "threads of this process and report, in one run: frames/s end to end, latency from",
      "acquisition to cells.state (p50/p99/max), time per stage inside the service, and on the",
      "same broker and frames the transport ceiling (raw produce+consume of same-size records)",
      "and the compute ceiling (the image stages alone, on every core).",
      "The last line is one JSON object (frames_per_second, kafka_ceiling_frames_per_second,",
      "stage_ceiling_frames_per_second, p50_ms, p99_ms, ...)."
    })
final class LoadtestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--fovs",
      defaultValue = "1",
      description = "FOVs at once (default: ${DEFAULT-VALUE}).")
  int fovs;

  @Option(
      names = "--size",
      defaultValue = "512x512",
      paramLabel = "WxH",
      description = "Frame size in px (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--cells",
      defaultValue = "100",
      description = "Cells per simulated culture (default: ${DEFAULT-VALUE}).")
  int cells;

  @Option(
      names = "--frames",
      defaultValue = "300",
      description = "Frames per FOV in the measured run (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "FPS",
      description =
          "Frames per second each FOV publishes; 0 = as fast as the service completes them"
              + " (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "Publish for this long (e.g. 60s, 1h) instead of --frames frames.")
  String duration;

  @Option(
      names = "--segmenter",
      defaultValue = "classical",
      description = "classical or model (default: ${DEFAULT-VALUE}).")
  String segmenter;

  @Option(
      names = "--stream-threads",
      defaultValue = "2",
      description = "The service's Kafka Streams threads (default: ${DEFAULT-VALUE}).")
  int streamThreads;

  @Option(
      names = "--pool",
      defaultValue = "60",
      description =
          "Distinct frames rendered per FOV, played back and forth (default: ${DEFAULT-VALUE}).")
  int pool;

  @Option(
      names = "--window",
      defaultValue = "16",
      description =
          "At --rate 0: frames per FOV in flight at most (published, not yet in cells.state)"
              + " (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--image-parallel",
      arity = "1",
      paramLabel = "true|false",
      description =
          "Frame-parallel image stages (cytostream.image.parallel); default: the service's.")
  Boolean imageParallel;

  @Option(
      names = "--instances",
      defaultValue = "1",
      description =
          "Service instances in this process, one application on one broker"
              + " (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "An external Kafka.")
  String bootstrap;

  @Option(
      names = "--sample-every",
      paramLabel = "DURATION",
      description =
          "Soak mode: every DURATION (e.g. 30s) of the measured run, sample heap after GC, heap"
              + " committed, resident set, native memory (with -XX:NativeMemoryTracking=summary),"
              + " state and broker directory sizes, the interval's frames/s and p50/p99 latency,"
              + " frames in flight and consumer lag, into --series; the JSON line gets a 'soak'"
              + " object with slopes per hour.")
  String sampleEvery;

  @Option(
      names = "--topology",
      defaultValue = "full",
      description =
          "full (the service's pipeline, frames to cells.state) or denoise (the denoise stage"
              + " alone as its own Kafka Streams application on the same broker, frames to"
              + " denoised frames, against the same transport ceiling) (default: ${DEFAULT-VALUE}).")
  String topology;

  @Option(
      names = "--series",
      defaultValue = "loadtest-series.csv",
      paramLabel = "FILE",
      description = "With --sample-every: the samples as CSV (default: ${DEFAULT-VALUE}).")
  Path series;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    int[] wh = parseSize(cl, size);
    if (!SegmenterChoice.CLASSICAL.equals(segmenter) && !SegmenterChoice.MODEL.equals(segmenter)) {
      throw new CommandLine.ParameterException(
          cl, "--segmenter must be classical or model, got '" + segmenter + "'");
    }
    Duration d;
    LoadTest.Options o;
    LoadTest.Mode mode;
    try {
      d = duration == null ? null : DemoCommand.parseDuration(duration);
      mode =
          new LoadTest.Mode(
              sampleEvery == null ? null : DemoCommand.parseDuration(sampleEvery),
              series,
              topology.toLowerCase(Locale.ROOT));
      o =
          new LoadTest.Options(
              fovs,
              wh[0],
              wh[1],
              cells,
              frames,
              rate,
              d,
              segmenter,
              streamThreads,
              bootstrap,
              pool,
              window,
              imageParallel,
              instances);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    PrintWriter out = cl.getOut();
    out.println(LoadTest.run(o, mode, cl.getErr()));
    out.flush();
    return 0;
  }

  static int[] parseSize(CommandLine cl, String s) {
    String[] p = s.toLowerCase(Locale.ROOT).split("x");
    try {
      if (p.length == 2) {
        return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
      }
    } catch (NumberFormatException e) {
      // fall through to the one-line error
    }
    throw new CommandLine.ParameterException(cl, "--size must look like 512x512, got '" + s + "'");
  }
}
