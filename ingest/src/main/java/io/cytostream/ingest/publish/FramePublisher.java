package io.cytostream.ingest.publish;

import io.cytostream.schemas.Directive;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.Topics;
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
 * and to receive the service's directives for the FOVs it publishes ({@link #onDirective}):
 *
 * <pre>{@code
 * p.onDirective(d -> System.out.println(d.data().action() + " " + d.data().fov()));
 * }</pre>
 */
public final class FramePublisher implements AutoCloseable {
  private final Producer<String, Frame> producer;
  private final String topic;
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
   * Sends one frame, keyed by its FOV.
   *
   * @throws IllegalArgumentException when the frame is invalid (the service would dead-letter it)
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
    fovs.add(frame.header().fov());
    return producer.send(new ProducerRecord<>(topic, frame.header().fov(), frame));
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
