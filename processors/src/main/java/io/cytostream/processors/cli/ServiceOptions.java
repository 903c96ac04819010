package io.cytostream.processors.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code serve} and {@code demo}. */
final class ServiceOptions {
  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster; without it an embedded broker starts in this JVM.")
  String bootstrap;

  @Option(
      names = "--broker-host",
      defaultValue = "127.0.0.1",
      description = "Embedded broker listener address (default: ${DEFAULT-VALUE}).")
  String brokerHost;

  @Option(
      names = "--broker-advertised-host",
      paramLabel = "HOST",
      description =
          "Address the embedded broker gives to clients (default: --broker-host, or this machine's"
              + " host name when --broker-host is a wildcard such as 0.0.0.0).")
  String brokerAdvertisedHost;

  @Option(
      names = "--broker-port",
      defaultValue = "9092",
      description = "Embedded broker listener port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int brokerPort;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:CYTOSTREAM_DATA_DIR:-data}",
      description =
          "Where the embedded broker and the state stores live; kept across restarts"
              + " (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port of /health and /prometheus (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--http-host",
      paramLabel = "HOST",
      defaultValue = "${env:CYTOSTREAM_HTTP_HOST:-127.0.0.1}",
      description =
          "Address the HTTP server binds (default: ${DEFAULT-VALUE}; 0.0.0.0 = every interface,"
              + " as in a container).")
  String httpHost;

  @Option(
      names = "--advertised-http",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:CYTOSTREAM_ADVERTISED_HTTP}",
      description =
          "Where the other instances of the service reach this one's HTTP server (Kafka Streams'"
              + " application.server): with several instances, the query API fetches a FOV from"
              + " the instance that owns it. Unset: this instance answers alone.")
  String advertisedHttp;

  /** Micronaut properties the options set beyond the runner's own. */
  java.util.Map<String, Object> extraProperties() {
    return advertisedHttp == null || advertisedHttp.isBlank()
        ? java.util.Map.of()
        : java.util.Map.of("kafka.streams.default.application.server", advertisedHttp);
  }

  @picocli.CommandLine.Mixin SegmenterOptions segmenter = new SegmenterOptions();

  void validate(picocli.CommandLine cl) {
    if (port < 0 || port > 65535) {
      throw new picocli.CommandLine.ParameterException(cl, "--port must be 0..65535, got " + port);
    }
    if (brokerPort < 0 || brokerPort > 65535) {
      throw new picocli.CommandLine.ParameterException(
          cl, "--broker-port must be 0..65535, got " + brokerPort);
    }
    if (advertisedHttp != null
        && !advertisedHttp.isBlank()
        && !advertisedHttp.matches("[^\\s:,/]+:\\d+")) {
      throw new picocli.CommandLine.ParameterException(
          cl, "--advertised-http must be HOST:PORT, got '" + advertisedHttp + "'");
    }
    if (bootstrap != null && !bootstrap.matches("[^\\s:,]+:\\d+(,[^\\s:,]+:\\d+)*")) {
      throw new picocli.CommandLine.ParameterException(
          cl, "--bootstrap must be HOST:PORT[,HOST:PORT...], got '" + bootstrap + "'");
    }
  }
}
