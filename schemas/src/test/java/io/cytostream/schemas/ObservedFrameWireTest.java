package io.cytostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-frame messages share {@link ObservedFrame} and {@link ObservedCell} without any change on
 * the wire: the expected texts below were written by the records before they shared anything.
 */
class ObservedFrameWireTest {
  private static final FrameQuality QUALITY = new FrameQuality(0, 1, 2, 500, 0.1, true, 0, 1);
  private static final EncodedLabels LABELS = EncodedLabels.encode(2, 1, new int[] {0, 2});

  private static FrameObservations observations() {
    return new FrameObservations(
        1,
        "fov-a",
        3,
        Instant.parse("2026-11-23T10:00:03Z"),
        1.7639e9,
        4,
        3,
        QUALITY,
        List.of(new FrameObservations.Cell(2, 1.5, 1.0, 1, 1, 1, 1, 1, 900.0, 0.42, false)),
        List.of(new FrameObservations.Neighbours(2, 5, 6, 0.5)),
        LABELS);
  }

  private static String json(Object o) throws JsonProcessingException {
    return Json.mapper().writeValueAsString(o);
  }

  @Test
  void frameObservationsTextIsUnchanged() throws Exception {
    assertThat(json(observations()))
        .isEqualTo(
            "{\"schemaVersion\":1,\"fov\":\"fov-a\",\"frameIndex\":3,\"acquisitionTime"
                + "\":\"2026-11-23T10:00:03Z\",\"timeSeconds\":1.7639E9,\"width\":4,\"heigh"
                + "t\":3,\"quality\":{\"hotPixels\":0,\"saturatedPixels\":1,\"saturatedFrac"
                + "tion\":2.0,\"meanRaw\":500.0,\"sharpness\":0.1,\"normalizationSettled\""
                + ":true,\"normLo\":0.0,\"normHi\":1.0},\"cells\":[{\"label\":2,\"centroidX\""
                + ":1.5,\"centroidY\":1.0,\"areaPx\":1,\"minX\":1,\"minY\":1,\"maxX\":1,\"maxY"
                + "\":1,\"meanIntensity\":900.0,\"normalizedIntensity\":0.42,\"onBorder\":"
                + "false}],\"neighbours\":[{\"labelI\":2,\"labelJ\":5,\"sharedBorderPx\":6,"
                + "\"centroidDistancePx\":0.5}],\"labels\":{\"encoding\":\"deflate-uint16l"
                + "e-base64\",\"width\":2,\"height\":1,\"data\":\"eAFjYGBiAAAACAAD\"}}");
  }

  @Test
  void trackedFrameTextIsUnchanged() throws Exception {
    TrackedFrame t =
        new TrackedFrame(
            1,
            "fov-a",
            10,
            12,
            Instant.parse("2026-11-23T10:00:03Z"),
            10.0,
            64,
            64,
            QUALITY,
            List.of(new TrackedFrame.Cell(7, 3, 1, 5, 6, 120, 800, 0.3, false)),
            List.of(new TrackedFrame.Neighbours(7, 9, 11, 14.2)),
            List.of(new TrackedFrame.TrackEvent("division", 3, List.of(7L, 8L), "3 -> 7, 8")),
            LABELS);
    assertThat(json(t))
        .isEqualTo(
            "{\"schemaVersion\":1,\"fov\":\"fov-a\",\"frameIndex\":10,\"finalAtFrame\":"
                + "12,\"acquisitionTime\":\"2026-11-23T10:00:03Z\",\"timeSeconds\":10.0,\""
                + "width\":64,\"height\":64,\"quality\":{\"hotPixels\":0,\"saturatedPixels\""
                + ":1,\"saturatedFraction\":2.0,\"meanRaw\":500.0,\"sharpness\":0.1,\"norm"
                + "alizationSettled\":true,\"normLo\":0.0,\"normHi\":1.0},\"cells\":[{\"tra"
                + "ckId\":7,\"parentTrackId\":3,\"label\":1,\"centroidX\":5.0,\"centroidY\":"
                + "6.0,\"areaPx\":120,\"meanIntensity\":800.0,\"normalizedIntensity\":0.3"
                + ",\"onBorder\":false}],\"neighbours\":[{\"trackI\":7,\"trackJ\":9,\"shared"
                + "BorderPx\":11,\"centroidDistancePx\":14.2}],\"events\":[{\"type\":\"divi"
                + "sion\",\"trackId\":3,\"related\":[7,8],\"detail\":\"3 -> 7, 8\"}],\"labels"
                + "\":{\"encoding\":\"deflate-uint16le-base64\",\"width\":2,\"height\":1,\"da"
                + "ta\":\"eAFjYGBiAAAACAAD\"}}");
    TrackedFrame flushed =
        new TrackedFrame(
            1, "fov-a", 10, -1, null, 10.0, 64, 64, QUALITY, List.of(), List.of(), List.of(), null);
    assertThat(json(flushed))
        .isEqualTo(
            "{\"schemaVersion\":1,\"fov\":\"fov-a\",\"frameIndex\":10,\"finalAtFrame\":"
                + "-1,\"timeSeconds\":10.0,\"width\":64,\"height\":64,\"quality\":{\"hotPixe"
                + "ls\":0,\"saturatedPixels\":1,\"saturatedFraction\":2.0,\"meanRaw\":500."
                + "0,\"sharpness\":0.1,\"normalizationSettled\":true,\"normLo\":0.0,\"norm"
                + "Hi\":1.0},\"cells\":[],\"neighbours\":[],\"events\":[]}");
  }

  @Test
  void aTrackedFrameCarriesItsObservationsFrameAndCells() {
    FrameObservations obs = observations();
    TrackedFrame.Cell cell = TrackedFrame.Cell.of(7, 3, obs.cells().get(0));
    TrackedFrame t = TrackedFrame.of(obs, 5, List.of(cell), List.of(), List.of(), true);
    for (ObservedFrame f : List.<ObservedFrame>of(t)) {
      assertThat(f.schemaVersion()).isEqualTo(TrackedFrame.VERSION);
      assertThat(f.fov()).isEqualTo(obs.fov());
      assertThat(f.frameIndex()).isEqualTo(obs.frameIndex());
      assertThat(f.acquisitionTime()).isEqualTo(obs.acquisitionTime());
      assertThat(f.timeSeconds()).isEqualTo(obs.timeSeconds());
      assertThat(f.width()).isEqualTo(obs.width());
      assertThat(f.height()).isEqualTo(obs.height());
      assertThat(f.quality()).isEqualTo(obs.quality());
      assertThat(f.labels()).isEqualTo(obs.labels());
    }
    assertThat(t.finalAtFrame()).isEqualTo(5);
    assertThat(cell).isEqualTo(new TrackedFrame.Cell(7, 3, 2, 1.5, 1.0, 1, 900.0, 0.42, false));
    assertThat(TrackedFrame.of(obs, -1, List.of(), List.of(), List.of(), false).labels()).isNull();
  }

  /** The optional pixel size travels with the frame and survives a round trip (absent: null). */
  @Test
  void aPixelSizeTravelsFromObservationsToTrackedFrames() throws Exception {
    FrameObservations o = observations();
    FrameObservations withSize =
        new FrameObservations(
            o.schemaVersion(),
            o.fov(),
            o.frameIndex(),
            o.acquisitionTime(),
            o.timeSeconds(),
            o.width(),
            o.height(),
            o.quality(),
            o.cells(),
            o.neighbours(),
            o.labels(),
            0.108);
    assertThat(json(withSize)).endsWith(",\"pixelSizeUm\":0.108}");
    FrameObservations back = Json.mapper().readValue(json(withSize), FrameObservations.class);
    assertThat(back.pixelSizeUm()).isEqualTo(0.108);
    assertThat(Json.mapper().readValue(json(o), FrameObservations.class).pixelSizeUm()).isNull();
    TrackedFrame t = TrackedFrame.of(back, 3, List.of(), List.of(), List.of(), false);
    assertThat(Json.mapper().readValue(json(t), TrackedFrame.class).pixelSizeUm()).isEqualTo(0.108);
  }
}
