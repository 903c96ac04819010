package io.cytostream.processors.loadtest;

import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.service.ServiceRunner;
import io.cytostream.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The services a load test runs against: the first instance (embedded broker unless {@link
 * LoadTest.Options#bootstrap()} names one), then {@code instances - 1} more of the same application
 * on its broker, each with its own state directory under the run's directory. {@link #close} closes
 * the first instance, then the others.
 */
final class ServiceInstances implements AutoCloseable {
  private final ServiceRunner first;
  private final List<ServiceRunner> others = new ArrayList<>();

  private ServiceInstances(ServiceRunner first) {
    this.first = first;
  }

  /**
   * Starts the instances of {@code o} with their state under {@code dir}; progress goes to {@code
   * log}.
   */
  static ServiceInstances start(LoadTest.Options o, Path dir, PrintWriter log) {
    Map<String, Object> extra = new HashMap<>();
    extra.put("kafka.streams.default.num.stream.threads", o.streamThreads());
    if (o.imageParallel() != null) {
      extra.put("cytostream.image.parallel", o.imageParallel());
    }
    ServiceInstances s =
        new ServiceInstances(
            ServiceRunner.start(
                new ServiceRunner.Options(
                    o.bootstrap(),
                    "127.0.0.1",
                    0,
                    dir,
                    0,
                    SegmenterChoice.of(o.segmenter()),
                    extra)));
    try {
      for (int i = 2; i <= o.instances(); i++) {
        log.printf("starting instance %d...%n", i);
        log.flush();
        s.others.add(
            ServiceRunner.start(
                new ServiceRunner.Options(
                    s.bootstrap(),
                    "127.0.0.1",
                    0,
                    dir.resolve("instance-" + i),
                    0,
                    SegmenterChoice.of(o.segmenter()),
                    extra)));
      }
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** The first instance (its meters, beans and image stage times are the report's). */
  ServiceRunner first() {
    return first;
  }

  /** The broker every instance uses. */
  String bootstrap() {
    return first.bootstrap();
  }

  /** Whether the first instance runs the frame-parallel image stages. */
  boolean imageParallel() {
    return first
        .context()
        .getProperty("cytostream.image.parallel", Boolean.class)
        .orElse(Boolean.FALSE);
  }

  /** The partitions of {@code frames.raw} on the broker. */
  int partitionsOfFramesRaw() throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      String name = Topics.FRAMES_RAW.name();
      return admin
          .describeTopics(List.of(name))
          .allTopicNames()
          .get()
          .get(name)
          .partitions()
          .size();
    }
  }

  @Override
  public void close() {
    try {
      first.close();
    } finally {
      for (ServiceRunner r : others) {
        r.close();
      }
    }
  }
}
