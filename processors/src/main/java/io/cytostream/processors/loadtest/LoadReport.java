package io.cytostream.processors.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one load test measured.
 *
 * @param fovs fields of view published at once
 * @param width frame width, px
 * @param height frame height, px
 * @param frameBytes pixel bytes per frame
 * @param segmenter the segmenter used
 * @param streamThreads the service's stream threads
 * @param published frames published in the measured run (all FOVs)
 * @param processed of those, frames whose cell states reached {@code cells.state}
 * @param framesPerSecond processed frames over the time from the first publish to the last state
 * @param offeredPerSecond the publishing rate asked for (all FOVs), or 0 for as fast as possible
 * @param kafkaCeiling frames per second that the transport alone moves (same broker, same records)
 * @param stageCeiling frames per second that the image stages alone compute on every core
 * @param stageCeilingThreads threads used for the compute ceiling
 * @param p50Ms median acquisition-to-{@code cells.state} latency, ms
 * @param p99Ms 99th percentile of that latency, ms
 * @param maxMs largest latency, ms
 * @param stageMeanMs mean time per frame in each stage inside the service during the run, ms
 * @param soak the soak samples' summary (slopes per hour, see {@code SoakSampler#summary}), or null
 *     when no samples were taken
 */
record LoadReport(
    int fovs,
    int width,
    int height,
    int frameBytes,
    String segmenter,
    int streamThreads,
    long published,
    long processed,
    double framesPerSecond,
    double offeredPerSecond,
    double kafkaCeiling,
    double stageCeiling,
    int stageCeilingThreads,
    double p50Ms,
    double p99Ms,
    double maxMs,
    Map<String, Double> stageMeanMs,
    Map<String, Object> soak,
    String topology) {

  /** One line of JSON: the figures a script reads. */
  String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("frames_per_second", round(framesPerSecond));
    m.put("kafka_ceiling_frames_per_second", round(kafkaCeiling));
    m.put("stage_ceiling_frames_per_second", round(stageCeiling));
    m.put("p50_ms", round(p50Ms));
    m.put("p99_ms", round(p99Ms));
    m.put("max_ms", round(maxMs));
    m.put("fraction_of_stage_ceiling", round(framesPerSecond / stageCeiling));
    m.put("fraction_of_kafka_ceiling", round(framesPerSecond / kafkaCeiling));
    m.put("offered_frames_per_second", round(offeredPerSecond));
    m.put("published", published);
    m.put("processed", processed);
    m.put("topology", topology);
    m.put("fovs", fovs);
    m.put("width", width);
    m.put("height", height);
    m.put("frame_bytes", frameBytes);
    m.put("segmenter", segmenter);
    m.put("stream_threads", streamThreads);
    m.put("stage_ceiling_threads", stageCeilingThreads);
    Map<String, Object> st = new LinkedHashMap<>();
    stageMeanMs.forEach((k, v) -> st.put(k, round(v)));
    m.put("stage_mean_ms", st);
    if (soak != null) {
      m.put("soak", soak);
    }
    try {
      return new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A few human-readable lines. */
  String toText() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "loadtest (%s): %d FOV(s) of %dx%d (%d KB a frame), segmenter %s, %d stream thread(s)%n",
            topology,
            fovs,
            width,
            height,
            frameBytes / 1024,
            segmenter,
            streamThreads));
    b.append(
        String.format(
            Locale.ROOT,
            "  end to end      %8.1f frames/s  (%d of %d frames reached cells.state%s)%n",
            framesPerSecond,
            processed,
            published,
            offeredPerSecond > 0
                ? String.format(Locale.ROOT, "; offered %.1f frames/s", offeredPerSecond)
                : "; published as fast as completed"));
    b.append(
        String.format(
            Locale.ROOT,
            "  transport ceiling %6.1f frames/s  (raw produce+consume, same broker and records)%n",
            kafkaCeiling));
    b.append(
        String.format(
            Locale.ROOT,
            "  compute ceiling %8s frames/s  (image stages alone, %d threads)%n",
            Double.isFinite(stageCeiling)
                ? String.format(Locale.ROOT, "%.1f", stageCeiling)
                : "n/a",
            stageCeilingThreads));
    b.append(
        String.format(
            Locale.ROOT,
            "  latency acquisition -> cells.state: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
            p50Ms,
            p99Ms,
            maxMs));
    stageMeanMs.forEach(
        (k, v) -> b.append(String.format(Locale.ROOT, "  stage %-10s %8.2f ms a frame%n", k, v)));
    if (soak != null && soak.containsKey("seconds")) {
      b.append(
          String.format(
              Locale.ROOT,
              "  soak: %s samples over %s s; heap after GC %s MB/h, RSS %s MB/h, p99 %s ms/h"
                  + " (second half: %s, %s, %s)%n",
              soak.get("samples"),
              soak.get("seconds"),
              soak.get("heap_mb_per_h"),
              soak.get("rss_mb_per_h"),
              soak.get("p99_ms_per_h"),
              soak.get("heap_mb_per_h_second_half"),
              soak.get("rss_mb_per_h_second_half"),
              soak.get("p99_ms_per_h_second_half")));
    }
    return b.toString();
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : 0;
  }
}
