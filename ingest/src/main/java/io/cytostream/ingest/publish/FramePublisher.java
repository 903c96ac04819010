package io.cytostream.ingest.publish;

import io.cytostream.schemas.ClaimCheck;
import io.cytostream.schemas.Directive;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The acquisition-side publisher: sends frames to {@code frames.raw}, keyed by FOV, with producer
 * settings that let 2048×2048 frames through and keep per-FOV order (idempotent producer, one
 * partition per key). Thread-safe. For an acquisition hook in Java:
 *
 * <pre>{@code
 * try (FramePublisher p = FramePublisher.connect("127.0.0.1:9092")) {
 *   p.publish(frame).get();   // or fire-and-forget, then p.flush()
 * }
 * }</pre>
 *
 * <p>Frames too large for a record (plane over {@link ClaimCheck#INLINE_LIMIT_BYTES}, 2048×2048
 * float32) go by reference when a claim-check directory is set ({@link #byReference}): the plane is
 * written there and the record carries its {@code file:} URI and SHA-256 ({@code pixelRef}); the
 * service must be allowed to read that directory ({@code serve --pixel-ref-root}). Without one,
 * such a frame is refused here with a reason, rather than by the broker.
 *
 * <p>The publisher also receives the service's directives for the FOVs it publishes ({@link
 * #onDirective}):
 *
 * <pre>{@code
 * p.onDirective(d -> System.out.println(d.data().action() + " " + d.data().fov()));
 * }</pre>
 */
public final class FramePublisher implements AutoCloseable {
  private final Producer<String, Frame> producer;
  private final String topic;
  private volatile Path pixelRefDir;
  private volatile long byReferenceAbove = ClaimCheck.INLINE_LIMIT_BYTES;
  private final Set<String> fovs = ConcurrentHashMap.newKeySet();
  private final List<DirectiveListener> listeners = new CopyOnWriteArrayList<>();
  private String bootstrap;

  FramePublisher(Producer<String, Frame> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** The producer configuration used by {@link #connect(String)}. */
  public static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "cytostream-publisher");
    return c;
  }

  /** Connects to Kafka at {@code bootstrap} ({@code host:port[,host:port]}). */
  public static FramePublisher connect(String bootstrap) {
    FramePublisher p =
        new FramePublisher(
            new KafkaProducer<>(
                producerConfig(bootstrap),
                new StringSerializer(),
                Topics.FRAMES_RAW.valueSerde().serializer()),
            Topics.FRAMES_RAW.name());
    p.bootstrap = bootstrap;
    return p;
  }

  /**
   * Calls {@code callback} with every directive for a FOV this publisher has published (so far or
   * later), from now on; see {@link DirectiveListener}. Closing the publisher stops it.
   */
  public DirectiveListener onDirective(Consumer<Directive> callback) {
    if (bootstrap == null) {
      throw new IllegalStateException("not connected through connect(bootstrap)");
    }
    DirectiveListener l = DirectiveListener.start(bootstrap, fovs::contains, callback);
    listeners.add(l);
    return l;
  }

  /**
   * Sends frames whose plane is larger than {@code aboveBytes} by reference, writing their planes
   * under {@code dir} (storage the service can read). {@code aboveBytes} 0 sends every frame by
   * reference; {@link ClaimCheck#INLINE_LIMIT_BYTES} only those too large for a record.
   *
   * @return this publisher
   */
  public FramePublisher byReference(Path dir, long aboveBytes) {
    if (aboveBytes < 0 || aboveBytes > ClaimCheck.INLINE_LIMIT_BYTES) {
      throw new IllegalArgumentException(
          "aboveBytes must be 0.." + ClaimCheck.INLINE_LIMIT_BYTES + ", got " + aboveBytes);
    }
    this.pixelRefDir = dir;
    this.byReferenceAbove = aboveBytes;
    return this;
  }

  /**
   * Sends one frame, keyed by its FOV; by reference when its plane is larger than the threshold of
   * {@link #byReference}.
   *
   * @throws IllegalArgumentException when the frame is invalid (the service would dead-letter it),
   *     or too large for a record and no claim-check directory is set
   */
  public Future<RecordMetadata> publish(Frame frame) {
    frame
        .validationError()
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException(
                  "frame "
                      + frame.header().frameIndex()
                      + " of "
                      + frame.header().fov()
                      + ": "
                      + reason);
            });
    Frame out = frame;
    if (frame.header().pixelRef() == null) {
      long bytes = frame.pixels().length;
      Path dir = pixelRefDir;
      if (dir != null && bytes > byReferenceAbove) {
        out = ClaimCheck.store(frame, dir);
      } else if (bytes > ClaimCheck.INLINE_LIMIT_BYTES) {
        throw new IllegalArgumentException(
            "frame "
                + frame.header().frameIndex()
                + " of "
                + frame.header().fov()
                + ": its "
                + bytes
                + "-byte plane does not fit in a record (limit "
                + ClaimCheck.INLINE_LIMIT_BYTES
                + "); send it by reference (FramePublisher.byReference, replay --pixel-ref-dir)");
      }
    }
    fovs.add(frame.header().fov());
    return producer.send(new ProducerRecord<>(topic, out.header().fov(), out));
  }

  /** Sends one frame and waits for the broker's acknowledgement. */
  public RecordMetadata publishAndWait(Frame frame, long timeoutSeconds) {
    try {
      return publish(frame).get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot publish to " + topic + ": " + c.getMessage(), c);
    }
  }

  /** Waits until every sent frame is acknowledged. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    listeners.forEach(DirectiveListener::close);
    producer.close();
  }
}
