package io.cytostream.processors.topology;

import io.cytostream.processors.track.ReorderBuffer;
import io.cytostream.schemas.DeadLetterKind;
import io.cytostream.schemas.FrameObservations;
import io.cytostream.schemas.JsonSerde;
import io.cytostream.schemas.Topics;
import java.nio.charset.StandardCharsets;

/** The texts and dead letters with which the track stage reports refused and missing frames. */
final class TrackNotices {
  private static final JsonSerde<FrameObservations> OBS = new JsonSerde<>(FrameObservations.class);

  private TrackNotices() {}

  /** Why frame {@code f} was refused: late (its slot passed) or a repeat. */
  static String refusalReason(long f, boolean late, long nextExpected) {
    return late
        ? "frame " + f + " arrived after the tracker had moved on to frame " + nextExpected
        : "frame " + f + " arrived twice (a frame with this index was accepted before)";
  }

  /**
   * The dead letter of a refused frame: its observations as they came, kind {@code out_of_order}
   * when late else {@code duplicate_frame}, with the frame's {@code frames.raw} coordinates.
   */
  static DeadLetter deadLetter(
      String fov, FrameObservations obs, boolean late, String reason, FrameSource src) {
    return new DeadLetter(
        fov.getBytes(StandardCharsets.UTF_8),
        OBS.serializer().serialize(Topics.CELLS_OBSERVED.name(), obs),
        TrackProcessor.STAGE,
        reason,
        late ? DeadLetterKind.OUT_OF_ORDER.wireName() : DeadLetterKind.DUPLICATE_FRAME.wireName(),
        src.topic(),
        src.partition(),
        src.offset());
  }

  /** The text of a {@code dropped_frame} event. */
  static String gapReason(ReorderBuffer.Gap g) {
    return g.missing() == 1
        ? "frame " + g.firstMissing() + " never arrived"
        : "frames " + g.firstMissing() + ".." + (g.nextPresent() - 1) + " never arrived";
  }
}
