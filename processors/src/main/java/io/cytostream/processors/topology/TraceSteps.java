package io.cytostream.processors.topology;

import io.cytostream.state.consensus.TraceFit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A cell's re-simulation trace ({@link TraceFit.CellTrace}, up to {@link
 * TraceFit#DEFAULT_WINDOW_STEPS} steps) kept as one store entry per step, key {@code
 * fov/trackId/frame} ({@link FovKeys}), so that a frame writes the cell's new step and a tombstone
 * for the step leaving the window instead of the whole window. The value of an entry is a {@link
 * Step}, stored in {@value #SIZE} bytes, big-endian: a format byte ({@value #FORMAT}), the previous
 * frame index (8-byte integer) and Δt, S, X, y_{t−1}, y_t (IEEE 754 doubles, bit for bit).
 */
final class TraceSteps {
  static final byte FORMAT = 1;
  static final int SIZE = 1 + 6 * Long.BYTES;

  private TraceSteps() {}

  /**
   * One step of a trace, without its frame index (which is in the key).
   *
   * @param previousFrame frame index of t−1
   * @param dt Δt, s
   * @param coupling S_{i,t−1}
   * @param drive X_{i,t−1}
   * @param previousY y_{i,t−1}
   * @param y y_{i,t}
   */
  record Step(
      long previousFrame, double dt, double coupling, double drive, double previousY, double y) {}

  /** Step {@code m} of {@code t}. */
  static Step step(TraceFit.CellTrace t, int m) {
    return new Step(
        t.previousFrame()[m], t.dt()[m], t.coupling()[m], t.drive()[m], t.previousY()[m], t.y()[m]);
  }

  /** The trace of {@code trackId} made of its steps by frame index, in frame order. */
  static TraceFit.CellTrace trace(long trackId, List<Long> frames, List<Step> steps) {
    int n = frames.size();
    long[] f = new long[n];
    long[] pf = new long[n];
    double[] dt = new double[n];
    double[] s = new double[n];
    double[] x = new double[n];
    double[] py = new double[n];
    double[] y = new double[n];
    for (int m = 0; m < n; m++) {
      Step st = steps.get(m);
      f[m] = frames.get(m);
      pf[m] = st.previousFrame();
      dt[m] = st.dt();
      s[m] = st.coupling();
      x[m] = st.drive();
      py[m] = st.previousY();
      y[m] = st.y();
    }
    return new TraceFit.CellTrace(trackId, f, pf, dt, s, x, py, y);
  }

  /**
   * The changes from trace {@code before} to {@code after} (either null: no trace): the steps to
   * write, by frame index, and the frame indices whose steps to delete.
   */
  record Delta(Map<Long, Step> put, List<Long> delete) {}

  static Delta between(TraceFit.CellTrace before, TraceFit.CellTrace after) {
    Map<Long, Step> old = new HashMap<>();
    if (before != null) {
      for (int m = 0; m < before.steps(); m++) {
        old.put(before.frame()[m], step(before, m));
      }
    }
    Map<Long, Step> put = new HashMap<>();
    if (after != null) {
      for (int m = 0; m < after.steps(); m++) {
        Step s = step(after, m);
        if (!s.equals(old.remove(after.frame()[m]))) {
          put.put(after.frame()[m], s);
        }
      }
    }
    List<Long> delete = new ArrayList<>(old.keySet());
    delete.sort(Long::compare);
    return new Delta(put, delete);
  }

  /** The store format of a {@link Step}. */
  static final class StepSerde implements Serde<Step> {
    @Override
    public Serializer<Step> serializer() {
      return (topic, s) ->
          s == null
              ? null
              : ByteBuffer.allocate(SIZE)
                  .put(FORMAT)
                  .putLong(s.previousFrame())
                  .putDouble(s.dt())
                  .putDouble(s.coupling())
                  .putDouble(s.drive())
                  .putDouble(s.previousY())
                  .putDouble(s.y())
                  .array();
    }

    @Override
    public Deserializer<Step> deserializer() {
      return (topic, bytes) -> {
        if (bytes == null) {
          return null;
        }
        if (bytes.length != SIZE || bytes[0] != FORMAT) {
          throw new SerializationException(
              "cannot read a trace step from " + topic + ": " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
        long pf = b.getLong();
        return new Step(
            pf, b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble());
      };
    }
  }
}
