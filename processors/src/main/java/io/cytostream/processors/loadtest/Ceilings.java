package io.cytostream.processors.loadtest;

import io.cytostream.ingest.publish.FramePublisher;
import io.cytostream.processors.denoise.NormalizerState;
import io.cytostream.processors.pipeline.ImagePipeline;
import io.cytostream.processors.segment.SegmentationConfig;
import io.cytostream.processors.segment.Segmenter;
import io.cytostream.processors.segment.select.Segmenters;
import io.cytostream.schemas.Frame;
import io.cytostream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The two ceilings that bound the service on one machine: how many frames per second the transport
 * alone moves, and how many the image stages alone compute. Both use the load test's own frames.
 */
final class Ceilings {
  private Ceilings() {}

  /**
   * Transport ceiling: every FOV's thread produces {@code recordsPerFov} records, each the
   * serialised bytes of one of its frames (so size and compressibility are the frames'), with the
   * publisher's settings (acks=all, idempotent, lz4), to a fresh topic of {@code partitions}
   * partitions; one consumer reads them back. The figure is records over the time from the first
   * send to the last record consumed.
   *
   * @return frames (records) per second
   */
  static double transport(
      String bootstrap, List<FramePool> pools, int recordsPerFov, int partitions) throws Exception {
    String topic = "cytostream.loadtest.transport-" + System.currentTimeMillis();
    Map<String, Object> adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(adminConfig)) {
      NewTopic t =
          new NewTopic(topic, partitions, (short) -1)
              .configs(Map.of("max.message.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES)));
      admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
      try {
        return measureTransport(bootstrap, topic, pools, recordsPerFov, partitions);
      } finally {
        admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static double measureTransport(
      String bootstrap, String topic, List<FramePool> pools, int recordsPerFov, int partitions)
      throws Exception {
    Map<String, List<byte[]>> payloads = new HashMap<>();
    var serializer = Topics.FRAMES_RAW.valueSerde().serializer();
    for (FramePool p : pools) {
      List<byte[]> bytes = new ArrayList<>();
      for (int i = 0; i < p.size(); i++) {
        bytes.add(serializer.serialize(Topics.FRAMES_RAW.name(), p.frame(i, Instant.now())));
      }
      payloads.put(p.fov(), bytes);
    }
    Map<String, Object> cc = new HashMap<>();
    cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cc.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
    cc.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a partition whose leader is not known yet when the consumer first looks must still be read
    // from its start, not from wherever its end is by then
    cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    long expected = (long) recordsPerFov * pools.size();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(cc, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(topic, p));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      for (TopicPartition tp : tps) {
        consumer.position(tp, Duration.ofSeconds(60)); // the start resolved before anything is sent
      }
      Map<String, Object> pc = FramePublisher.producerConfig(bootstrap);
      pc.put("client.id", "cytostream-loadtest-transport");
      ExecutorService producers = Executors.newFixedThreadPool(pools.size());
      long t0 = System.nanoTime();
      List<Future<?>> sent = new ArrayList<>();
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(pc, new StringSerializer(), new ByteArraySerializer())) {
        for (FramePool p : pools) {
          List<byte[]> bytes = payloads.get(p.fov());
          sent.add(
              producers.submit(
                  () -> {
                    for (int i = 0; i < recordsPerFov; i++) {
                      producer.send(
                          new ProducerRecord<>(topic, p.fov(), bytes.get(i % bytes.size())));
                    }
                  }));
        }
        long received = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (received < expected && System.nanoTime() < deadline) {
          ConsumerRecords<byte[], byte[]> rs = consumer.poll(Duration.ofMillis(200));
          received += rs.count();
        }
        long t1 = System.nanoTime();
        for (Future<?> f : sent) {
          f.get();
        }
        if (received < expected) {
          throw new IllegalStateException(
              "transport ceiling: only " + received + " of " + expected + " records came back");
        }
        return expected / ((t1 - t0) / 1e9);
      } finally {
        producers.shutdownNow();
      }
    }
  }

  /**
   * Compute ceiling: the image stages (decode excluded: frames are already in memory; median,
   * quality, normalisation, segmentation, measurement) on {@code threads} threads, each with its
   * own pipeline and segmenter as a stream task has, over the FOVs' frames. Each thread first runs
   * {@code warmup} untimed frames (JIT, normaliser settling).
   *
   * @return frames per second over all threads
   */
  static double stages(
      List<FramePool> pools,
      Segmenters segmenters,
      String segmenter,
      ImagePipeline.Settings settings,
      SegmentationConfig segmentation,
      int threads,
      int framesTotal,
      int warmup)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new ArrayList<>();
      int perThread = Math.max(1, framesTotal / threads);
      java.util.concurrent.CyclicBarrier ready =
          new java.util.concurrent.CyclicBarrier(threads + 1);
      for (int t = 0; t < threads; t++) {
        FramePool fp = pools.get(t % pools.size());
        work.add(
            pool.submit(
                () -> {
                  try (Segmenter s = segmenters.newSegmenter(segmenter, segmentation)) {
                    ImagePipeline p = new ImagePipeline(settings, s);
                    NormalizerState state = p.initialState();
                    long i = 0;
                    for (; i < warmup; i++) {
                      state =
                          p.process(fp.frame(i, Instant.now()), state, null, 1, false).normalizer();
                    }
                    ready.await();
                    for (long end = i + perThread; i < end; i++) {
                      Frame f = fp.frame(i, Instant.now());
                      state = p.process(f, state, null, 1, false).normalizer();
                    }
                  }
                  return null;
                }));
      }
      try {
        ready.await();
      } catch (java.util.concurrent.BrokenBarrierException e) {
        for (Future<?> f : work) {
          f.get();
        }
        throw new IllegalStateException("compute ceiling: a worker failed", e);
      }
      long t0 = System.nanoTime();
      for (Future<?> f : work) {
        f.get();
      }
      return (long) perThread * threads / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }
}
