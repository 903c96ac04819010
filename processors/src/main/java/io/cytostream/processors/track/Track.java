package io.cytostream.processors.track;

/**
 * The mutable state of one active track of {@link OnlineTracker}: where and how it was last seen,
 * and its smoothed velocity. Positions in px, velocities in px/frame, times in frame indices.
 */
final class Track {
  long id;
  long firstFrame;
  long lastFrame;
  long observations;
  double x;
  double y;
  double vx;
  double vy;
  double area;
  double intensity;

  private Track() {}

  /** A new track {@code id} with its first detection {@code d} in frame {@code t}, at rest. */
  static Track start(long id, Detection d, long t) {
    Track tr = new Track();
    tr.id = id;
    tr.firstFrame = t;
    tr.lastFrame = t;
    tr.observations = 1;
    tr.x = d.x();
    tr.y = d.y();
    tr.area = d.areaPx();
    tr.intensity = d.meanIntensity();
    return tr;
  }

  /** The track as recorded in a snapshot. */
  static Track of(TrackerSnapshot.TrackState s) {
    Track tr = new Track();
    tr.id = s.id();
    tr.firstFrame = s.firstFrame();
    tr.lastFrame = s.lastFrame();
    tr.x = s.x();
    tr.y = s.y();
    tr.vx = s.vx();
    tr.vy = s.vy();
    tr.area = s.areaPx();
    tr.intensity = s.meanIntensity();
    tr.observations = s.observations();
    return tr;
  }

  /** Its snapshot form. */
  TrackerSnapshot.TrackState state() {
    return new TrackerSnapshot.TrackState(
        id, firstFrame, lastFrame, x, y, vx, vy, area, intensity, observations);
  }

  /** Frames missed between its last detection and frame {@code t} ({@code 0}: consecutive). */
  int gapBefore(long t) {
    return (int) (t - lastFrame - 1);
  }

  /** Whether it was detected in frame {@code t}. */
  boolean seenAt(long t) {
    return lastFrame == t;
  }

  /**
   * Continues the track with detection {@code d} in frame {@code t > lastFrame}. The velocity is
   * the displacement per frame since the last detection, exponentially smoothed with weight {@code
   * smoothing} on the newest displacement from the third detection on.
   */
  void observe(Detection d, long t, double smoothing) {
    double dt = t - lastFrame;
    double nvx = (d.x() - x) / dt;
    double nvy = (d.y() - y) / dt;
    if (observations <= 1) {
      vx = nvx;
      vy = nvy;
    } else {
      vx = smoothing * nvx + (1 - smoothing) * vx;
      vy = smoothing * nvy + (1 - smoothing) * vy;
    }
    x = d.x();
    y = d.y();
    area = d.areaPx();
    intensity = d.meanIntensity();
    lastFrame = t;
    observations++;
  }
}
