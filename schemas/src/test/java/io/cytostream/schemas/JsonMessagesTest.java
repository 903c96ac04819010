package io.cytostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonMessagesTest {

  static <T> T roundTrip(JsonSerde<T> serde, T value) {
    byte[] bytes = serde.serializer().serialize("t", value);
    return serde.deserializer().deserialize("t", bytes);
  }

  static FrameQuality quality() {
    return new FrameQuality(3, 1, 1e-6, 812.5, 0.031, true, 4.1, 9.7);
  }

  @Test
  void frameObservationsRoundTrip() {
    int[] labels = new int[12];
    labels[5] = 2;
    labels[6] = 65535;
    FrameObservations o =
        new FrameObservations(
            1,
            "fov-a",
            3,
            Instant.parse("2026-11-23T10:00:03Z"),
            1.7639e9,
            4,
            3,
            quality(),
            List.of(
                new FrameObservations.Cell(2, 1.5, 1.0, 1, 1, 1, 1, 1, 900.0, 0.42, false),
                new FrameObservations.Cell(65535, 2.0, 1.0, 1, 2, 1, 2, 1, 950.0, 0.5, true)),
            List.of(new FrameObservations.Neighbours(2, 65535, 6, 0.5)),
            EncodedLabels.encode(4, 3, labels));
    FrameObservations back = roundTrip(new JsonSerde<>(FrameObservations.class), o);
    assertThat(back.cells()).isEqualTo(o.cells());
    assertThat(back.neighbours()).isEqualTo(o.neighbours());
    assertThat(back.quality()).isEqualTo(o.quality());
    assertThat(back.labels().decode()).containsExactly(labels);
    assertThat(back.acquisitionTime()).isEqualTo(o.acquisitionTime());
  }

  @Test
  void encodedLabelsRoundTripRandomPlanesAndRejectCorruption() {
    Random r = new Random(7);
    for (int n = 0; n < 20; n++) {
      int w = 1 + r.nextInt(64);
      int h = 1 + r.nextInt(64);
      int[] l = new int[w * h];
      for (int i = 0; i < l.length; i++) {
        l[i] = r.nextInt(4) == 0 ? r.nextInt(65536) : 0;
      }
      assertThat(EncodedLabels.encode(w, h, l).decode()).containsExactly(l);
    }
    EncodedLabels e = EncodedLabels.encode(8, 8, new int[64]);
    EncodedLabels wrong = new EncodedLabels(e.encoding(), 16, 16, e.data());
    assertThatThrownBy(wrong::decode).hasMessageContaining("expected 512");
    assertThatThrownBy(() -> EncodedLabels.encode(1, 1, new int[] {70000}))
        .hasMessageContaining("outside 0..65535");
  }

  @Test
  void trackedFrameAndCellStateRoundTrip() {
    TrackedFrame t =
        new TrackedFrame(
            1,
            "fov-a",
            10,
            12,
            null,
            10.0,
            64,
            64,
            quality(),
            List.of(new TrackedFrame.Cell(7, 3, 1, 5, 6, 120, 800, 0.3, false)),
            List.of(new TrackedFrame.Neighbours(7, 9, 11, 14.2)),
            List.of(new TrackedFrame.TrackEvent("division", 3, List.of(7L, 8L), "3 -> 7, 8")),
            null);
    assertThat(roundTrip(new JsonSerde<>(TrackedFrame.class), t)).isEqualTo(t);
    CellState s =
        new CellState(
            1, "fov-a", 7, 10, 10.0, 0.3, false, 9, 0.02, 1e-4, 0.001, 2e-5, 0.01, 0.7, 0.021,
            1.2e-4, 3.5e-4);
    assertThat(roundTrip(new JsonSerde<>(CellState.class), s)).isEqualTo(s);
    assertThat(CellState.key("fov-a", 7)).isEqualTo("fov-a/7");
  }

  @Test
  void anomalyEventIsACloudEventWithADeterministicId() throws IOException {
    AnomalyEvent.Data d =
        new AnomalyEvent.Data("fov-a", 42, 7, "spike", "normalized_innovation", 9.1, 6.0, "jump");
    AnomalyEvent e = AnomalyEvent.of(Instant.parse("2026-11-23T10:00:00Z"), d);
    AnomalyEvent again = AnomalyEvent.of(Instant.parse("2026-11-23T10:00:00Z"), d);
    assertThat(e.id()).isEqualTo(again.id());
    JsonSerde<AnomalyEvent> serde = new JsonSerde<>(AnomalyEvent.class);
    JsonNode json = Json.mapper().readTree(serde.serializer().serialize("t", e));
    // CloudEvents 1.0 required attributes, and the JSON format's string time.
    assertThat(json.get("specversion").asText()).isEqualTo("1.0");
    assertThat(json.get("id").asText()).isNotBlank();
    assertThat(json.get("source").asText()).isEqualTo("/cytostream/fov/fov-a");
    assertThat(json.get("type").asText()).isEqualTo("io.cytostream.anomaly.spike");
    assertThat(json.get("time").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(json.get("subject").asText()).isEqualTo("track/7");
    assertThat(json.get("data").get("threshold").asDouble()).isEqualTo(6.0);
    assertThat(roundTrip(serde, e)).isEqualTo(e);
  }

  @Test
  void anomalyScoreAndEvidenceAreOptionalFieldsOfVersion1() throws IOException {
    AnomalyEvent.Evidence ev =
        new AnomalyEvent.Evidence(
            2,
            List.of(41L, 42L),
            List.of(9L),
            Map.of("referenceAreaPx", 300.0, "areaPx", 510.0),
            List.of("after_gap"));
    AnomalyEvent e =
        AnomalyEvent.of(
            Instant.parse("2026-11-23T10:00:00Z"),
            new AnomalyEvent.Data(
                "fov-a", 42, 7, "area_change", "log_area_change_z", 9.0, 4.5, "grew", 2.0, ev));
    JsonSerde<AnomalyEvent> serde = new JsonSerde<>(AnomalyEvent.class);
    JsonNode json = Json.mapper().readTree(serde.serializer().serialize("t", e));
    assertThat(json.at("/data/score").asDouble()).isEqualTo(2.0);
    assertThat(json.at("/data/evidence/frames/1").asLong()).isEqualTo(42);
    assertThat(json.at("/data/evidence/values/areaPx").asDouble()).isEqualTo(510.0);
    assertThat(roundTrip(serde, e)).isEqualTo(e);
    // without them, neither field is written (a version-1 reader sees the old payload)
    AnomalyEvent plain =
        AnomalyEvent.of(
            Instant.EPOCH, new AnomalyEvent.Data("f", 1, 0, "dropped_frame", "m", 1, 0, "r"));
    JsonNode p = Json.mapper().readTree(serde.serializer().serialize("t", plain));
    assertThat(p.get("data").has("score")).isFalse();
    assertThat(p.get("data").has("evidence")).isFalse();
  }

  /** Messages as a version-1 subscriber in another language sees them (fixtures in resources). */
  @Test
  void readsVersion1Fixtures() throws IOException {
    AnomalyEvent e = read("compat/anomaly-v1.json", AnomalyEvent.class);
    assertThat(e.data().kind()).isEqualTo("dropped_frame");
    assertThat(e.data().trackId()).isZero();
    assertThat(e.data().score()).isNull();
    assertThat(e.data().evidence()).isNull();
    TrackedFrame t = read("compat/tracked-frame-v1.json", TrackedFrame.class);
    assertThat(t.cells()).hasSize(2);
    assertThat(t.cells().get(1).parentTrackId()).isEqualTo(1);
    assertThat(t.labels()).isNull();
  }

  @Test
  void recordsWrittenBeforeTheTraceMetricStillRead() throws IOException {
    CellState s =
        Json.mapper()
            .readValue(
                "{\"schemaVersion\":1,\"fov\":\"f\",\"trackId\":3,\"frameIndex\":9,"
                    + "\"timeSeconds\":9.0,\"intensity\":0.4,\"onBorder\":false,\"rows\":2}",
                CellState.class);
    assertThat(s.traceMse()).isNull();
    ConsensusEstimate c =
        Json.mapper()
            .readValue(
                "{\"schemaVersion\":1,\"fov\":\"f\",\"frameIndex\":9,\"setup\":\"III\","
                    + "\"k\":0.05,\"gamma\":{\"3\":0.001},\"lambda\":0.001}",
                ConsensusEstimate.class);
    assertThat(c.traceMse()).isNull();
    assertThat(c.traceMseByTrack()).isNull();
    assertThat(c.gamma()).containsEntry(3L, 0.001);
  }

  @Test
  void serdeFailuresAreSerializationExceptions() {
    JsonSerde<CellState> serde = new JsonSerde<>(CellState.class);
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{not json".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("CellState");
  }

  @Test
  void registryIsImmutableAndNamesAreUnique() {
    assertThat(Topics.ALL).extracting(Topic::name).doesNotHaveDuplicates();
    assertThatThrownBy(() -> Topics.FRAMES_RAW.configs().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(Integer.parseInt(Topics.FRAMES_RAW.configs().get("max.message.bytes")))
        .isGreaterThan(2048 * 2048 * 4);
  }

  private static <T> T read(String resource, Class<T> type) throws IOException {
    try (InputStream in = JsonMessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
      return Json.mapper().readValue(in, type);
    }
  }
}
