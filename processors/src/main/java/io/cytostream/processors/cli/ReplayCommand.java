package io.cytostream.processors.cli;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.ingest.tiff.TiffSequenceReader;
import io.cytostream.schemas.ClaimCheck;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code replay}: publishes a recorded TIFF sequence to frames.raw, in frame order. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a recorded TIFF sequence (a folder of single-plane TIFFs such as a CTC 01/, or one",
      "multi-page TIFF) to the service's frames.raw topic, in frame order, as a microscope would."
    })
final class ReplayCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--input", required = true, description = "Folder of TIFFs or a multi-page TIFF.")
  Path input;

  @Option(names = "--fov", required = true, description = "FOV id to publish under.")
  String fov;

  @Option(
      names = "--interval",
      defaultValue = "1000",
      paramLabel = "MS",
      description =
          "Milliseconds between frames (default: ${DEFAULT-VALUE}); also the frames' nominal"
              + " interval. 0 = as fast as possible.")
  long intervalMs;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      description =
          "Acquisition time of frame 0, ISO-8601 UTC (default: now); with a fixed start two replays"
              + " publish the same frames, e.g. to compare two runs.")
  Instant startTime;

  @Option(
      names = "--bootstrap",
      defaultValue = "127.0.0.1:9092",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the embedded broker).")
  String bootstrap;

  @Option(names = "--channel", description = "Channel name recorded in the frames.")
  String channel;

  @Option(
      names = "--pixel-ref-dir",
      paramLabel = "DIR",
      description =
          "Send frames too large for a record (over 16 MiB) by reference: their planes are"
              + " written here (a directory the service reads, serve --pixel-ref-root).")
  Path pixelRefDir;

  @Option(
      names = "--pixel-ref-always",
      description = "With --pixel-ref-dir: send every frame by reference.")
  boolean pixelRefAlways;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(input)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--input " + input + " does not exist");
    }
    if (fov.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--fov must not be blank");
    }
    if (pixelRefAlways && pixelRefDir == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--pixel-ref-always needs --pixel-ref-dir");
    }
    if (intervalMs < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be >= 0");
    }
    Instant start = startTime != null ? startTime : Instant.now();
    int n = 0;
    try (TiffSequenceReader reader = TiffSequenceReader.open(input);
        FramePublisher publisher = FramePublisher.connect(bootstrap)) {
      if (pixelRefDir != null) {
        publisher.byReference(pixelRefDir, pixelRefAlways ? 0 : ClaimCheck.INLINE_LIMIT_BYTES);
      }
      long t0 = System.nanoTime();
      for (TiffSequenceReader.Frame f : reader) {
        Instant when = intervalMs > 0 ? start.plusMillis(f.frameNumber() * intervalMs) : null;
        Frame frame =
            new Frame(
                FrameHeader.inline(
                    fov,
                    f.frameNumber(),
                    when,
                    f.plane().width(),
                    f.plane().height(),
                    f.plane().type(),
                    null,
                    intervalMs > 0 ? intervalMs / 1000.0 : null,
                    channel),
                f.plane().pixels());
        publisher.publishAndWait(frame, 60);
        n++;
        if (intervalMs > 0) {
          long due = t0 + n * intervalMs * 1_000_000L;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
          }
        }
      }
    }
    spec.commandLine().getOut().printf("published %d frames of %s to %s%n", n, fov, bootstrap);
    return 0;
  }
}
