package io.cytostream.processors.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cytostream.processors.testing.FrameFuzzer;
import io.cytostream.schemas.DeadLetterKind;
import io.cytostream.schemas.Topics;
import io.cytostream.schemas.TrackedFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the frame decoder and header through the whole topology (issue 11): 10,000 bad records of
 * 16 mutation families interleaved with the good frames of four FOVs. Every bad record reaches
 * {@code frames.dlq} exactly once, unchanged, with a known kind and a reason; every good frame is
 * processed and tracked in order; no exception escapes a processor (the test driver has no
 * exception handler, so one would fail the run).
 */
class FrameFuzzTest {
  static final int BAD = 10_000;
  static final int GOOD_PER_FOV = 60;
  static final List<String> FOVS = List.of("fz/a", "fz/b", "fz/c", "fz/d");

  @Test
  void everyBadRecordIsDeadLetteredWithAKindAndEveryGoodFrameIsProcessed() {
    FrameFuzzer fuzz = new FrameFuzzer(20261129L);
    List<FrameFuzzer.Case> cases = new ArrayList<>();
    Map<String, Long> next = new HashMap<>();
    int goodTotal = FOVS.size() * GOOD_PER_FOV;
    java.util.Random mix = new java.util.Random(7);
    int bad = 0;
    int good = 0;
    while (bad < BAD || good < goodTotal) {
      boolean takeGood =
          good < goodTotal && (bad >= BAD || mix.nextInt(BAD + goodTotal) < goodTotal);
      String fov = FOVS.get(mix.nextInt(FOVS.size()));
      if (takeGood) {
        long f = next.getOrDefault(fov, 0L);
        if (f >= GOOD_PER_FOV) {
          continue;
        }
        next.put(fov, f + 1);
        cases.add(fuzz.good(fov, f));
        good++;
      } else {
        cases.add(fuzz.bad(fov));
        bad++;
      }
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Set<String> kinds =
        Arrays.stream(DeadLetterKind.values())
            .map(DeadLetterKind::wireName)
            .collect(Collectors.toSet());
    try (TopologyTestDriver driver = DeadLetterTopologyTest.driver(registry)) {
      TestInputTopic<byte[], byte[]> in = DeadLetterTopologyTest.rawInput(driver);
      TestOutputTopic<byte[], byte[]> dlq = DeadLetterTopologyTest.dlqOutput(driver);
      TestOutputTopic<String, TrackedFrame> tracks =
          driver.createOutputTopic(
              Topics.TRACKS.name(),
              Serdes.String().deserializer(),
              Topics.TRACKS.valueSerde().deserializer());
      for (FrameFuzzer.Case c : cases) {
        in.pipeInput(c.key(), c.value());
      }
      driver.advanceWallClockTime(Duration.ofSeconds(31)); // flush the trackers

      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      Map<String, Integer> byKind = new TreeMap<>();
      boolean[] seen = new boolean[cases.size()];
      for (TestRecord<byte[], byte[]> d : dead) {
        int offset =
            Integer.parseInt(DeadLetterTopologyTest.header(d.headers(), Topics.DLQ_OFFSET));
        FrameFuzzer.Case c = cases.get(offset);
        assertThat(c.bad()).as("dead letter of a good frame at %d", offset).isTrue();
        assertThat(seen[offset]).as("dead-lettered twice: %d", offset).isFalse();
        seen[offset] = true;
        assertThat(d.value()).as("original bytes, %s", c.mutation()).isEqualTo(c.value());
        String kind = DeadLetterTopologyTest.header(d.headers(), Topics.DLQ_KIND);
        assertThat(kinds).as("kind of %s", c.mutation()).contains(kind);
        assertThat(DeadLetterTopologyTest.reason(d.headers())).isNotBlank();
        byKind.merge(kind, 1, Integer::sum);
      }
      for (int i = 0; i < cases.size(); i++) {
        if (cases.get(i).bad()) {
          assertThat(seen[i])
              .as("bad record %d (%s) not dead-lettered", i, cases.get(i).mutation())
              .isTrue();
        }
      }
      assertThat(dead).hasSize(BAD);
      assertThat(byKind.keySet())
          .as("the mutations reach most kinds: %s", byKind)
          .contains(
              "bad_envelope",
              "unsupported_envelope_version",
              "bad_header_json",
              "missing_field",
              "wrong_type",
              "unsupported_schema_version",
              "invalid_value",
              "invalid_fov",
              "unknown_pixel_type",
              "wrong_byte_count",
              "non_finite",
              "bad_pixel_ref",
              "bad_key");

      Map<String, List<Long>> tracked = new HashMap<>();
      for (TrackedFrame t : tracks.readValuesToList()) {
        tracked.computeIfAbsent(t.fov(), k -> new ArrayList<>()).add(t.frameIndex());
      }
      List<Long> all = new ArrayList<>();
      for (long i = 0; i < GOOD_PER_FOV; i++) {
        all.add(i);
      }
      for (String fov : FOVS) {
        assertThat(tracked.get(fov)).as(fov).containsExactlyElementsOf(all);
        assertThat(registry.find("cytostream.frames.processed").tag("fov", fov).counter().count())
            .isEqualTo(GOOD_PER_FOV);
      }
      double counted =
          registry.find("cytostream.dead.letters").counters().stream()
              .mapToDouble(c -> c.count())
              .sum();
      assertThat(counted).isEqualTo(BAD);
    }
  }
}
