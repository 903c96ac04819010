package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.directive.DirectiveRules;
import io.cytostream.processors.service.WebhookMetrics;
import io.cytostream.processors.testing.SyntheticFrames;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The README's metrics catalogue lists exactly the {@code cytostream_*} metric families that a
 * Prometheus scrape of the pipeline shows, with their types and labels; every family has HELP text;
 * a FOV's counters (gaps, anomalies of every kind) and the dead-letter counters are in the scrape
 * at 0 before their first event, so that {@code rate()} and {@code increase()} see it.
 */
class MetricsCatalogueTest {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  /** One metric family as scraped. */
  record Family(String type, String help, Set<String> labels) {}

  @Test
  void catalogueMatchesTheScrapeAndCountersStartAtZero() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineConfig config =
        PipelineConfig.defaults()
            .withMetrics(new PipelineMetrics(registry))
            .withReorder(Duration.ofSeconds(5), 4);
    StreamsBuilder builder = new StreamsBuilder();
    CytostreamTopology.build(builder, config);
    // the directive rules (their own application in the service) and the webhook meters
    StreamsBuilder directives = new StreamsBuilder();
    DirectiveTopology.build(
        directives, DirectiveRules.Config.defaults(), new DirectiveMetrics(registry));
    new WebhookMetrics(registry);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "catalogue-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    Random noise = new Random(3);
    byte[] key = "p/1".getBytes(StandardCharsets.UTF_8);
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              Topics.FRAMES_RAW.name(),
              Serdes.ByteArray().serializer(),
              Serdes.ByteArray().serializer());
      in.pipeInput(key, FrameCodec.encode(SyntheticFrames.disks("p/1", 0, noise)));

      // After the FOV's first frame: its gap and anomaly counters exist at 0, as do dead letters.
      String first = registry.scrape();
      assertThat(first)
          .contains("cytostream_frames_gaps_total{fov=\"p/1\"} 0.0")
          .contains("cytostream_frames_tracked_total{fov=\"p/1\"}")
          .contains("cytostream_dead_letters_total{kind=\"bad_envelope\",stage=\"decode\"} 0.0");
      for (String kind : PipelineMetrics.anomalyKinds()) {
        assertThat(first)
            .contains("cytostream_anomalies_total{fov=\"p/1\",kind=\"" + kind + "\"} 0.0");
      }
      for (List<String> kr : PipelineMetrics.SUPPRESSION_REASONS) {
        assertThat(first)
            .contains(
                "cytostream_anomalies_suppressed_total{fov=\"p/1\",kind=\""
                    + kr.get(0)
                    + "\",reason=\""
                    + kr.get(1)
                    + "\"} 0.0");
      }

      // One bad frame and one gap (frame 3 never arrives), then the reorder buffer gives up.
      in.pipeInput(key, "not a frame".getBytes(StandardCharsets.UTF_8));
      for (int t = 1; t < 12; t++) {
        if (t != 3) {
          in.pipeInput(key, FrameCodec.encode(SyntheticFrames.disks("p/1", t, noise)));
        }
      }
      driver.advanceWallClockTime(Duration.ofSeconds(6));
    }
    try (TopologyTestDriver driver = new TopologyTestDriver(directives.build(), props)) {
      driver
          .createInputTopic(
              Topics.CELLS_OBSERVED.name(),
              Topics.CELLS_OBSERVED.keySerde().serializer(),
              Topics.CELLS_OBSERVED.valueSerde().serializer())
          .pipeInput(
              "p/1",
              new FrameObservations(
                  1,
                  "p/1",
                  0,
                  null,
                  0,
                  8,
                  8,
                  null,
                  java.util.List.of(),
                  java.util.List.of(),
                  null));
    }
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("cytostream_frames_gaps_total{fov=\"p/1\"} 1.0")
        .contains("cytostream_dead_letters_total{kind=\"bad_envelope\",stage=\"decode\"} 1.0")
        .contains("cytostream_frames_received_total{fov=\"p/1\"} 11.0")
        .contains("cytostream_cells{fov=\"p/1\"} 3.0")
        .contains("cytostream_directives_total{fov=\"p/1\",kind=\"skip\"} 0.0")
        .contains("cytostream_webhook_deliveries_total{outcome=\"dead_lettered\"} 0.0");

    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "metrics-scrape.txt"), scrape, StandardCharsets.UTF_8);
    Map<String, Family> scraped = families(scrape);
    Map<String, Family> catalogue = catalogue(readme());
    assertThat(scraped).as("cytostream metrics in a scrape").isNotEmpty();
    assertThat(catalogue.keySet())
        .as("README catalogue names vs the scrape")
        .isEqualTo(scraped.keySet());
    for (Map.Entry<String, Family> e : scraped.entrySet()) {
      Family c = catalogue.get(e.getKey());
      assertThat(c.type()).as("type of " + e.getKey()).isEqualTo(e.getValue().type());
      assertThat(c.labels()).as("labels of " + e.getKey()).isEqualTo(e.getValue().labels());
      assertThat(e.getValue().help()).as("HELP of " + e.getKey()).isNotBlank();
    }
    // Bounded labels: never a cell or track id.
    for (Family f : scraped.values()) {
      assertThat(f.labels())
          .allMatch(l -> Set.of("fov", "kind", "stage", "store", "outcome", "reason").contains(l));
    }
  }

  /** cytostream_* families of a Prometheus text scrape: type, HELP and label names (le aside). */
  static Map<String, Family> families(String scrape) {
    Map<String, String> types = new TreeMap<>();
    Map<String, String> helps = new TreeMap<>();
    Map<String, Set<String>> labels = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE cytostream_")) {
        String[] p = line.split(" ");
        types.put(p[2], p[3]);
        labels.putIfAbsent(p[2], new TreeSet<>());
      } else if (line.startsWith("# HELP cytostream_")) {
        String[] p = line.split(" ", 4);
        helps.put(p[2], p.length > 3 ? p[3] : "");
      } else if (line.startsWith("cytostream_")) {
        Matcher m = SAMPLE.matcher(line);
        if (m.find() && m.group(3) != null) {
          String family = familyOf(m.group(1), types.keySet());
          Matcher l = LABEL.matcher(m.group(3));
          while (l.find()) {
            if (!l.group(1).equals("le")) {
              labels.get(family).add(l.group(1));
            }
          }
        }
      }
    }
    Map<String, Family> out = new TreeMap<>();
    for (String name : types.keySet()) {
      String display =
          types.get(name).equals("counter") && !name.endsWith("_total") ? name + "_total" : name;
      out.put(display, new Family(types.get(name), helps.get(name), labels.get(name)));
    }
    return out;
  }

  private static String familyOf(String sample, Set<String> families) {
    String best = null;
    for (String f : families) {
      if (sample.equals(f)
          || sample.startsWith(f + "_")
              && List.of("total", "bucket", "count", "sum", "created")
                  .contains(sample.substring(f.length() + 1))) {
        if (best == null || f.length() > best.length()) {
          best = f;
        }
      }
    }
    if (best == null) {
      throw new AssertionError("sample " + sample + " has no # TYPE line");
    }
    return best;
  }

  static Path readme() {
    Path p = Path.of("README.md").toAbsolutePath();
    return Files.exists(p.resolveSibling("processors")) ? p : Path.of("..", "README.md");
  }

  /** Rows of the README table between the catalogue markers: name, type, labels. */
  static Map<String, Family> catalogue(Path readme) throws IOException {
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int a = text.indexOf("<!-- metrics-catalogue:start -->");
    int b = text.indexOf("<!-- metrics-catalogue:end -->");
    assertThat(a).as("catalogue start marker in " + readme).isNotNegative();
    assertThat(b).as("catalogue end marker").isGreaterThan(a);
    Map<String, Family> rows = new TreeMap<>();
    for (String line : text.substring(a, b).split("\n")) {
      if (!line.startsWith("| `cytostream_")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String name = cells[1].trim().replace("`", "");
      String type = cells[2].trim();
      Set<String> labels = new TreeSet<>();
      for (String l : cells[3].replace("`", "").split(",")) {
        if (!l.isBlank() && !l.trim().equals("–")) {
          labels.add(l.trim());
        }
      }
      rows.put(name, new Family(type, cells[5].trim(), labels));
    }
    return rows;
  }

  @Test
  void familyParsingSeesCountersHistogramsAndGauges() {
    String scrape =
        String.join(
            "\n",
            Arrays.asList(
                "# HELP cytostream_x_total x help",
                "# TYPE cytostream_x counter",
                "cytostream_x_total{fov=\"a\"} 1.0",
                "# HELP cytostream_h_seconds h help",
                "# TYPE cytostream_h_seconds histogram",
                "cytostream_h_seconds_bucket{stage=\"s\",le=\"0.1\"} 1",
                "cytostream_h_seconds_count{stage=\"s\"} 1",
                "# HELP cytostream_h_seconds_max m",
                "# TYPE cytostream_h_seconds_max gauge",
                "cytostream_h_seconds_max{stage=\"s\"} 1"));
    Map<String, Family> f = families(scrape);
    assertThat(f.keySet())
        .containsExactly("cytostream_h_seconds", "cytostream_h_seconds_max", "cytostream_x_total");
    assertThat(f.get("cytostream_h_seconds").labels()).containsExactly("stage");
    assertThat(f.get("cytostream_x_total").type()).isEqualTo("counter");
  }
}
