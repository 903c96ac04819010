package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.segment.select.SegmenterChoice;
import io.cytostream.processors.testing.SyntheticFrames;
import io.cytostream.processors.topology.QueryViewProcessor;
import io.cytostream.schemas.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the service (one Kafka Streams application, two {@code application.server}s) on
 * one embedded broker, with a FOV on every partition: each instance owns some FOVs, and each
 * answers for every FOV and cell, fetching the other's from it.
 */
class QueryApiTwoInstancesTest {
  static final int PARTITIONS = 4;
  static final int FRAMES = 5;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static ServiceRunner start(String bootstrap, Path dir, int port) {
    return ServiceRunner.start(
        new ServiceRunner.Options(
            bootstrap,
            "127.0.0.1",
            0,
            dir,
            port,
            SegmenterChoice.classical(),
            Map.of(
                "kafka.streams.default.num.stream.threads",
                1,
                "kafka.streams.default.application.server",
                "127.0.0.1:" + port,
                "cytostream.partitions",
                PARTITIONS)));
  }

  /** One FOV per partition of the FOV-keyed topics (Kafka's default partitioner: murmur2). */
  static List<String> fovOnEveryPartition() {
    List<String> fovs = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    for (int i = 0; covered.size() < PARTITIONS; i++) {
      String fov = "two/fov-" + i;
      byte[] key = fov.getBytes(StandardCharsets.UTF_8);
      if (covered.add(Utils.toPositive(Utils.murmur2(key)) % PARTITIONS)) {
        fovs.add(fov);
      }
    }
    return fovs;
  }

  @Test
  void aCellOwnedByTheOtherInstanceIsAnswered(@TempDir Path dir) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ServiceRunner one = start(null, dir.resolve("one"), freePort());
        ServiceRunner two = start(one.bootstrap(), dir.resolve("two"), freePort())) {
      List<ServiceRunner> both = List.of(one, two);
      // both running, and each knows both (the tasks are spread before any frame arrives)
      long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < until && !(settled(one) && settled(two))) {
        Thread.sleep(200);
      }
      assertThat(settled(one) && settled(two)).as("both instances running with tasks").isTrue();
      List<String> fovs = fovOnEveryPartition();
      Random noise = new Random(6);
      try (FramePublisher p = FramePublisher.connect(one.bootstrap())) {
        for (int t = 0; t < FRAMES; t++) {
          for (String fov : fovs) {
            p.publish(SyntheticFrames.disks(fov, t, noise));
          }
        }
        p.flush();
      }
      // GET /fovs gathers every instance's FOVs, on either instance
      for (ServiceRunner s : both) {
        JsonNode all = null;
        while (System.nanoTime() < until) {
          all = Json.mapper().readTree(get(http, s, "/fovs").body());
          if (all.size() == fovs.size()
              && all.findValues("lastFrame").stream().allMatch(f -> f.asLong() >= FRAMES - 3)) {
            break;
          }
          Thread.sleep(200);
        }
        assertThat(all)
            .extracting(n -> n.get("fov").asText())
            .containsExactlyElementsOf(fovs.stream().sorted().toList());
      }
      for (ServiceRunner s : both) {
        QueryStores stores = s.context().getBean(QueryStores.class);
        long remote = fovs.stream().filter(f -> stores.remoteOwner(f).isPresent()).count();
        assertThat(remote).as("FOVs the other instance owns").isBetween(1L, fovs.size() - 1L);
      }
      for (String fov : fovs) {
        String path = "/fovs/" + URLEncoder.encode(fov, StandardCharsets.UTF_8);
        JsonNode cells = Json.mapper().readTree(get(http, one, path + "/cells").body());
        long track = cells.get("cells").get(0).get("track").asLong();
        String fromOne = get(http, one, path + "/cells/" + track).body();
        HttpResponse<String> fromTwo = get(http, two, path + "/cells/" + track);
        assertThat(fromTwo.statusCode()).isEqualTo(200);
        assertThat(fromTwo.body()).isEqualTo(fromOne);
        assertThat(Json.mapper().readTree(fromOne).get("series").size()).isPositive();
        assertThat(get(http, two, path + "/cells/424242").statusCode()).isEqualTo(404);
      }
    }
  }

  static boolean settled(ServiceRunner s) {
    KafkaStreams streams = s.context().getBean(KafkaStreams.class);
    return streams.state() == KafkaStreams.State.RUNNING
        && streams.streamsMetadataForStore(QueryViewProcessor.FOV_STORE).size() == 2;
  }

  static HttpResponse<String> get(HttpClient http, ServiceRunner s, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
