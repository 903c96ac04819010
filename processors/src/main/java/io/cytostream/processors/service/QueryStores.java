package io.cytostream.processors.service;

import io.cytostream.processors.topology.CellView;
import io.cytostream.processors.topology.FovView;
import io.cytostream.processors.topology.QueryViewProcessor;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Kafka Streams interactive queries over the query views ({@link QueryViewProcessor}'s stores):
 * which instance owns a FOV, and this instance's views. A FOV and all its cells live in the task of
 * the FOV's partition, so the FOV is the routing key of every query ({@link
 * KafkaStreams#queryMetadataForKey} with the FOV, whatever the store's own key).
 *
 * <p>Instances know each other by Kafka Streams' {@code application.server} ({@code
 * kafka.streams.default.application.server}, {@code host:port} of the HTTP server); without it the
 * service is taken to be alone and answers everything from its own stores.
 */
@Singleton
public class QueryStores {
  private final KafkaStreams streams;
  private final HostInfo self;

  QueryStores(
      KafkaStreams streams,
      @Value("${kafka.streams.default.application.server:}") String applicationServer) {
    this.streams = streams;
    this.self =
        applicationServer == null || applicationServer.isBlank()
            ? null
            : HostInfo.buildFromEndpoint(applicationServer);
  }

  /** Thrown when the stores cannot answer now (starting, restoring or rebalancing). */
  public static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** This instance's {@code application.server}, or null when it runs alone. */
  public HostInfo self() {
    return self;
  }

  /**
   * The instance that owns {@code fov}, when it is another one.
   *
   * @throws UnavailableException while Kafka Streams does not know the owner (rebalancing)
   */
  public Optional<HostInfo> remoteOwner(String fov) {
    if (self == null) {
      return Optional.empty();
    }
    KeyQueryMetadata m =
        streams.queryMetadataForKey(QueryViewProcessor.FOV_STORE, fov, new StringSerializer());
    if (m == null || KeyQueryMetadata.NOT_AVAILABLE.equals(m)) {
      throw new UnavailableException("no instance owns FOV " + fov + " yet (rebalancing)", null);
    }
    return m.activeHost().equals(self) ? Optional.empty() : Optional.of(m.activeHost());
  }

  /** The other instances that hold query views. */
  public List<HostInfo> peers() {
    if (self == null) {
      return List.of();
    }
    List<HostInfo> out = new ArrayList<>();
    for (StreamsMetadata m : streams.streamsMetadataForStore(QueryViewProcessor.FOV_STORE)) {
      if (!m.hostInfo().equals(self) && !out.contains(m.hostInfo())) {
        out.add(m.hostInfo());
      }
    }
    return out;
  }

  /** This instance's view of {@code fov}. */
  public Optional<FovView> fov(String fov) {
    try {
      return Optional.ofNullable(this.<FovView>store(QueryViewProcessor.FOV_STORE).get(fov));
    } catch (InvalidStateStoreException e) {
      throw unavailable(e);
    }
  }

  /** The views of the FOVs this instance owns, in no particular order. */
  public List<FovView> fovs() {
    List<FovView> out = new ArrayList<>();
    try (KeyValueIterator<String, FovView> it =
        this.<FovView>store(QueryViewProcessor.FOV_STORE).all()) {
      it.forEachRemaining(kv -> out.add(kv.value));
    } catch (InvalidStateStoreException e) {
      throw unavailable(e);
    }
    return out;
  }

  /** The views of {@code fov}'s cells kept here, by track id. */
  public List<CellView> cells(String fov) {
    List<CellView> out = new ArrayList<>();
    try (KeyValueIterator<String, CellView> it =
        this.<CellView>store(QueryViewProcessor.CELL_STORE)
            .prefixScan(fov + "/", new StringSerializer())) {
      // the prefix also matches FOVs nested under this one (fov/x/...): keep this FOV's only
      it.forEachRemaining(
          kv -> {
            if (fov.equals(kv.value.fov())) {
              out.add(kv.value);
            }
          });
    } catch (InvalidStateStoreException e) {
      throw unavailable(e);
    }
    return out;
  }

  /** The view of one cell. */
  public Optional<CellView> cell(String fov, long track) {
    try {
      return Optional.ofNullable(
          this.<CellView>store(QueryViewProcessor.CELL_STORE)
              .get(QueryViewProcessor.cellKey(fov, track)));
    } catch (InvalidStateStoreException e) {
      throw unavailable(e);
    }
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(
              name, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw unavailable(e);
    }
  }

  private static UnavailableException unavailable(InvalidStateStoreException e) {
    return new UnavailableException(
        "the query views are not ready (starting, restoring or rebalancing): " + e.getMessage(), e);
  }
}
