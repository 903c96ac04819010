package io.cytostream.processors.cli;

import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.service.ServiceRunner;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code serve}: the service alone, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the service: the topology, GET /health and GET /prometheus.",
      "Without --bootstrap an embedded Kafka broker starts in this JVM (data under --data-dir)."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin ServiceOptions options = new ServiceOptions();
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    options.validate(spec.commandLine());
    ServiceRunner runner = start(options, options.segmenter.choice(spec.commandLine()));
    printWhereToLook(runner, spec.commandLine().getOut());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runner.close();
                  stopped.countDown();
                },
                "cytostream-shutdown"));
    stopped.await();
    return 0;
  }

  static ServiceRunner start(ServiceOptions o, SegmenterChoice segmenters) {
    return ServiceRunner.start(
        new ServiceRunner.Options(
            o.bootstrap,
            o.brokerHost,
            o.brokerAdvertisedHost,
            o.brokerPort,
            o.dataDir,
            o.httpHost,
            o.port,
            segmenters,
            o.extraProperties()));
  }

  static void printWhereToLook(ServiceRunner r, java.io.PrintWriter out) {
    String bound = r.httpHost();
    boolean wildcard = ServiceRunner.isWildcard(bound);
    String http = "http://" + (wildcard ? "127.0.0.1" : hostForUrl(bound)) + ":" + r.httpPort();
    out.println("cytostream is running.");
    out.println(
        "  http:    listening on "
            + hostForUrl(bound)
            + ":"
            + r.httpPort()
            + (wildcard ? "  (every interface)" : "")
            + "  (--http-host to change)");
    out.println("  health:  " + http + "/health");
    out.println("  metrics: " + http + "/prometheus");
    out.println("  events:  " + http + "/events   (and Kafka topic events.anomaly)");
    out.println("  stream:  " + http + "/events/stream   (Server-Sent Events)");
    out.println("  query:   " + http + "/fovs   (FOVs, cells, consensus)");
    out.println("  view:    " + http + "/view   (live frames, outlines, traces)");
    out.println(
        "  broker:  "
            + r.bootstrap()
            + (r.embeddedBroker() ? "  (embedded; publish frames to topic frames.raw)" : ""));
    out.println("  segment: " + r.segmenterDescription());
    out.flush();
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
