package io.cytostream.processors.topology;

import io.cytostream.processors.track.TrackerSnapshot.TrackState;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Store format of one active track (the {@value TrackProcessor#TRACKS_STORE} store, rewritten each
 * frame the track is detected): {@value #SIZE} bytes, big-endian — a format byte ({@value
 * #FORMAT}), then id, first frame, last frame, observations (8-byte integers) and x, y, vx, vy,
 * area, mean intensity (IEEE 754 doubles, bit for bit, so a restored track equals the stored one
 * exactly). Less than half of the track's JSON form (≈ 190 bytes), which this store would otherwise
 * log for every track on every frame. Null maps to null (a tombstone).
 */
final class TrackStateSerde implements Serde<TrackState> {
  static final byte FORMAT = 1;
  static final int SIZE = 1 + 10 * Long.BYTES;

  @Override
  public Serializer<TrackState> serializer() {
    return (topic, t) -> {
      if (t == null) {
        return null;
      }
      return ByteBuffer.allocate(SIZE)
          .put(FORMAT)
          .putLong(t.id())
          .putLong(t.firstFrame())
          .putLong(t.lastFrame())
          .putLong(t.observations())
          .putDouble(t.x())
          .putDouble(t.y())
          .putDouble(t.vx())
          .putDouble(t.vy())
          .putDouble(t.areaPx())
          .putDouble(t.meanIntensity())
          .array();
    };
  }

  @Override
  public Deserializer<TrackState> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length != SIZE || bytes[0] != FORMAT) {
        throw new SerializationException(
            "cannot read a track from "
                + topic
                + ": "
                + bytes.length
                + " bytes, format "
                + (bytes.length > 0 ? bytes[0] : -1));
      }
      ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
      long id = b.getLong();
      long first = b.getLong();
      long last = b.getLong();
      long observations = b.getLong();
      return new TrackState(
          id,
          first,
          last,
          b.getDouble(),
          b.getDouble(),
          b.getDouble(),
          b.getDouble(),
          b.getDouble(),
          b.getDouble(),
          observations);
    };
  }
}
