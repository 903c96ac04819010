package io.cytostream.schemas;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde of the frame envelope ({@link FrameCodec}); null maps to null. */
public final class FrameSerde implements Serde<Frame> {
  @Override
  public Serializer<Frame> serializer() {
    return (topic, frame) -> {
      if (frame == null) {
        return null;
      }
      try {
        return FrameCodec.encode(frame);
      } catch (RuntimeException e) {
        throw new SerializationException(
            "cannot encode frame for " + topic + ": " + e.getMessage(), e);
      }
    };
  }

  @Override
  public Deserializer<Frame> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return FrameCodec.decode(bytes);
      } catch (RuntimeException e) {
        throw new SerializationException(
            "cannot decode frame from " + topic + ": " + e.getMessage(), e);
      }
    };
  }
}
