package io.cytostream.processors.loadtest;

import io.cytostream.schemas.Frame;
import io.cytostream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One publishing thread per FOV, like a camera each: the FOV's next frames (its cursor) at a fixed
 * rate (or as fast as the producer takes them), each stamped with the instant it was handed to the
 * producer. The first {@code count} frames (or those of the first {@code duration}) are the
 * measured ones; after them the threads go on publishing untimed tail frames until {@link #stop},
 * so that the measured frames leave the tracker's bounded delay as in a live run rather than by its
 * end-of-stream timeout.
 */
final class Publishers {
  private final Map<String, Map<Long, Instant>> measured = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong failures = new AtomicLong();
  private final CountDownLatch measuredDone;
  private volatile boolean running = true;
  private final Producer<String, Frame> producer;
  private final int window;
  private final ToLongFunction<String> completed;
  private final String topic;

  Publishers(
      List<FramePool> pools,
      Producer<String, Frame> producer,
      Map<String, AtomicLong> cursors,
      int count,
      double ratePerFov,
      Duration duration,
      int window,
      ToLongFunction<String> completed) {
    this(
        Topics.FRAMES_RAW.name(),
        pools,
        producer,
        cursors,
        count,
        ratePerFov,
        duration,
        window,
        completed);
  }

  /** Publishers to {@code topic} instead of {@code frames.raw}. */
  Publishers(
      String topic,
      List<FramePool> pools,
      Producer<String, Frame> producer,
      Map<String, AtomicLong> cursors,
      int count,
      double ratePerFov,
      Duration duration,
      int window,
      ToLongFunction<String> completed) {
    this.topic = topic;
    this.producer = producer;
    this.window = window;
    this.completed = completed;
    this.measuredDone = new CountDownLatch(pools.size());
    long start = System.nanoTime();
    long measureUntil = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
    for (FramePool p : pools) {
      Map<Long, Instant> mine = new ConcurrentHashMap<>();
      measured.put(p.fov(), mine);
      Thread t =
          new Thread(
              () ->
                  run(
                      p,
                      mine,
                      cursors.computeIfAbsent(p.fov(), k -> new AtomicLong()),
                      count,
                      ratePerFov,
                      start,
                      measureUntil,
                      duration != null),
              "loadtest-publish-" + p.fov());
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  private void run(
      FramePool p,
      Map<Long, Instant> mine,
      AtomicLong cursor,
      int count,
      double ratePerFov,
      long start,
      long measureUntil,
      boolean byDuration) {
    boolean measuring = true;
    try {
      for (long i = 0; running; i++) {
        if (measuring && (byDuration ? System.nanoTime() >= measureUntil : i >= count)) {
          measuring = false;
          measuredDone.countDown();
        }
        long due = ratePerFov > 0 ? start + (long) (i * 1e9 / ratePerFov) : 0;
        long now = System.nanoTime();
        if (due > now) {
          TimeUnit.NANOSECONDS.sleep(due - now);
        }
        // As fast as possible means as fast as the service completes frames: at most `window`
        // frames of this FOV published and not yet in cells.state (closed loop), so that the
        // figure is the sustainable rate, not the time to drain an ever longer backlog.
        while (ratePerFov == 0
            && running
            && cursor.get() - completed.applyAsLong(p.fov()) >= window) {
          TimeUnit.MILLISECONDS.sleep(1);
        }
        Instant acquired = Instant.now();
        long index = cursor.getAndIncrement();
        if (measuring) {
          mine.put(index, acquired);
        }
        // No wait for each acknowledgement, as a camera does not wait: the producer's buffer
        // bounds what is in flight (send blocks when it is full).
        producer.send(
            new ProducerRecord<>(topic, p.fov(), p.frame(index, acquired)),
            (md, err) -> {
              if (err != null) {
                failures.incrementAndGet();
              }
            });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
    } finally {
      if (measuring) {
        measuredDone.countDown();
      }
    }
  }

  /** Waits until every FOV has published its measured frames. */
  void awaitMeasuredPublished() throws InterruptedException {
    measuredDone.await();
    check();
  }

  /** Per FOV, measured frame index → acquisition instant. */
  Map<String, Map<Long, Instant>> measured() {
    return measured;
  }

  /** Stops the tail and waits for the threads. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    producer.flush();
    check();
  }

  private void check() {
    if (failures.get() > 0) {
      throw new IllegalStateException(
          "publishing failed: " + failures.get() + " frame(s) not acknowledged by the broker");
    }
  }
}
