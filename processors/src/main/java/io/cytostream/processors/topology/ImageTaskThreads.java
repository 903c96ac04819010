package io.cytostream.processors.topology;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which stream thread of this JVM runs the frame-parallel image task ({@link
 * SettledImageProcessor}) of each partition of the {@value SettledFrame#TOPIC} repartition topic:
 * registered in the processor's {@code init}, removed in its {@code close}. {@link
 * SettledFrame#PARTITIONER} reads it on the routing thread to send fewer frames to the partitions
 * that thread processes itself. Only a hint for the spread of work: outputs never depend on it, and
 * partitions processed by other instances are simply absent. Thread-safe.
 */
final class ImageTaskThreads {
  private static final Map<Integer, Thread> THREADS = new ConcurrentHashMap<>();

  private ImageTaskThreads() {}

  /** The calling thread now runs the image task of {@code partition}. */
  static void register(int partition) {
    THREADS.put(partition, Thread.currentThread());
  }

  /** The calling thread no longer runs the image task of {@code partition}. */
  static void unregister(int partition) {
    THREADS.remove(partition, Thread.currentThread());
  }

  /** The partitions whose image task runs on the calling thread. */
  static Set<Integer> onCurrentThread() {
    Thread t = Thread.currentThread();
    Set<Integer> out = new HashSet<>();
    THREADS.forEach(
        (p, owner) -> {
          if (owner == t) {
            out.add(p);
          }
        });
    return out;
  }
}
