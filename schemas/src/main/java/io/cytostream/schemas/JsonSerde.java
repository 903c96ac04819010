package io.cytostream.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde of one message type, with the shared {@link Json} mapper (or another given). Null maps
 * to null; any failure is a {@link SerializationException} naming the type.
 */
public final class JsonSerde<T> implements Serde<T> {
  private final Class<T> type;
  private final ObjectMapper mapper;

  public JsonSerde(Class<T> type) {
    this(type, Json.mapper());
  }

  /** A serde with {@code mapper} (e.g. {@link Json#storeMapper()}). */
  public JsonSerde(Class<T> type, ObjectMapper mapper) {
    this.type = type;
    this.mapper = mapper;
  }

  /** A serde for a state store's values: {@link Json#storeMapper()}. */
  public static <T> JsonSerde<T> forStore(Class<T> type) {
    return new JsonSerde<>(type, Json.storeMapper());
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return mapper.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new SerializationException(
            "cannot write " + type.getSimpleName() + " to " + topic + ": " + e.getMessage(), e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return mapper.readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException(
            "cannot read " + type.getSimpleName() + " from " + topic + ": " + e.getMessage(), e);
      }
    };
  }
}
