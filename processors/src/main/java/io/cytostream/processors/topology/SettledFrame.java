package io.cytostream.processors.topology;

import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.FrameCodec;
import io.cytostream.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * A decoded frame of a FOV whose normalisation has settled, with that settled calibration: what
 * {@link ImageRouter} sends through the {@value #TOPIC} repartition topic to {@link
 * SettledImageProcessor}, which then needs no state of its own.
 *
 * <p>Wire form (internal topic only): a 4-byte big-endian length L, L bytes of the calibration as
 * JSON ({@link NormalizerState} without its histogram, which a frozen state no longer uses, with
 * its held object size when the FOV's segmenter has one), then the frame's envelope ({@link
 * FrameCodec}); a frame by reference travels as its reference (empty pixel section) and is read
 * again from its file on the other side.
 *
 * @param frame the decoded frame (plane loaded, also for a frame by reference)
 * @param calibration the FOV's settled normalisation state ({@link NormalizerState#frozen()})
 */
record SettledFrame(Frame frame, NormalizerState calibration) {
  /** The repartition topic's name in the topology ({@code <application.id>-TOPIC-repartition}). */
  static final String TOPIC = "image-parallel";

  /**
   * The calibration as sent: without the histogram (a frozen state never reads it), with the held
   * object size (the learned segmenter's scale) when the FOV has one.
   */
  static NormalizerState compact(NormalizerState s) {
    return new NormalizerState(
        s.frames(),
        s.pixels(),
        new long[0],
        s.frozen(),
        s.q1(),
        s.q3(),
        s.lo(),
        s.hi(),
        s.objectSize());
  }

  /**
   * Spreads one FOV's frames over every partition, round robin by frame index from a start given by
   * the FOV: consecutive frames land on consecutive partitions (so on other tasks and threads).
   */
  static Optional<Set<Integer>> partition(
      String topic, String fov, SettledFrame v, int partitions) {
    return partition(fov, v.frame().header().frameIndex(), partitions, Set.of());
  }

  /**
   * As {@link #partition(String, String, SettledFrame, int)}, but partitions in {@code
   * routerThread} (those whose parallel image task runs on the stream thread that routes the frame)
   * get half the frames of each other partition: the router's thread also runs the FOV's
   * calibration frames and, in Kafka Streams' usual layout (the tasks of one partition number on
   * one thread), its tracking, consensus and query views, so an even spread would leave the other
   * threads waiting for it. The cycle is every partition once, then those outside {@code
   * routerThread} once more; with {@code routerThread} empty or holding every partition, the even
   * round robin.
   *
   * @param fov the FOV (its hash sets where the cycle starts)
   * @param frameIndex the frame's index
   * @param partitions partitions of the repartition topic
   * @param routerThread partitions whose task runs on the routing thread
   */
  static Optional<Set<Integer>> partition(
      String fov, long frameIndex, int partitions, Set<Integer> routerThread) {
    int base = Utils.toPositive(Utils.murmur2(fov.getBytes(StandardCharsets.UTF_8)));
    long others = partitions - routerThread.stream().filter(p -> p < partitions).count();
    if (others == 0 || others == partitions) {
      return Optional.of(
          Set.of((int) ((base % partitions + frameIndex % partitions) % partitions)));
    }
    long cycle = partitions + others;
    long slot = (base % cycle + frameIndex % cycle) % cycle;
    if (slot < partitions) {
      return Optional.of(Set.of((int) slot));
    }
    long k = slot - partitions; // the k-th partition outside routerThread
    for (int p = 0; p < partitions; p++) {
      if (!routerThread.contains(p) && k-- == 0) {
        return Optional.of(Set.of(p));
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * {@link #partition(String, long, int, Set)} as Kafka Streams wants it, with the partitions whose
   * image task runs on the calling (routing) thread from {@link ImageTaskThreads}.
   */
  static final StreamPartitioner<String, SettledFrame> PARTITIONER =
      (topic, fov, v, partitions) ->
          partition(
              fov, v.frame().header().frameIndex(), partitions, ImageTaskThreads.onCurrentThread());

  /** The serde of the repartition topic's values. */
  static Serde<SettledFrame> serde() {
    Serializer<SettledFrame> ser = (topic, v) -> v == null ? null : encode(v);
    Deserializer<SettledFrame> de = (topic, b) -> b == null ? null : decode(b);
    return Serdes.serdeFrom(ser, de);
  }

  static byte[] encode(SettledFrame v) {
    byte[] cal;
    try {
      cal = Json.mapper().writeValueAsBytes(compact(v.calibration()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Frame f = v.frame();
    byte[] frame =
        FrameCodec.encode(f.header().pixelRef() == null ? f : new Frame(f.header(), new byte[0]));
    return ByteBuffer.allocate(4 + cal.length + frame.length)
        .putInt(cal.length)
        .put(cal)
        .put(frame)
        .array();
  }

  static SettledFrame decode(byte[] b) {
    int n = ByteBuffer.wrap(b).getInt(0);
    NormalizerState cal;
    try {
      cal = Json.mapper().readValue(b, 4, n, NormalizerState.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SettledFrame(FrameCodec.decode(Arrays.copyOfRange(b, 4 + n, b.length)), cal);
  }
}
