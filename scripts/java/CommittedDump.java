import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Dumps the committed (read_committed) records of cytostream's output topics, one line per record
 * ("topic TAB key TAB json"), grouped by topic and key in offset order, with the wall-clock fields
 * of a replay (acquisitionTime, time, timeSeconds) removed so that two runs can be compared. Reads
 * until no record arrives for 10 s. Usage: java -cp cytostream.jar CommittedDump.java BOOTSTRAP OUT
 */
public class CommittedDump {
  static final List<String> TOPICS =
      List.of("tracks", "cells.state", "consensus.fov", "events.anomaly", "cells.lifecycle");

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "dump-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    ObjectMapper json = new ObjectMapper();
    Map<String, List<String>> byKey = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(TOPICS);
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < 10_000_000_000L) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          quietSince = System.nanoTime();
          JsonNode v = json.readTree(r.value());
          strip(v);
          byKey
              .computeIfAbsent(r.topic() + "\t" + r.key(), k -> new ArrayList<>())
              .add(json.writeValueAsString(v));
        }
      }
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      byKey.forEach((k, vs) -> vs.forEach(v -> w.println(k + "\t" + v)));
    }
  }

  static void strip(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.remove(List.of("acquisitionTime", "time", "timeSeconds"));
      for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
        strip(it.next());
      }
    } else if (n != null && n.isArray()) {
      n.forEach(CommittedDump::strip);
    }
  }
}
