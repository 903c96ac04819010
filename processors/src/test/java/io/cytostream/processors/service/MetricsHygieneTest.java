package io.cytostream.processors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** What {@code promtool check metrics} complained about in the scrape is gone, and only that. */
class MetricsHygieneTest {
  @Test
  void helpAddedSubSecondTimeDroppedCountSuffixRenamed() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    r.config().meterFilter(new MetricsHygiene());
    Gauge.builder("kafka.streams.blocked.time.ns", () -> 5).register(r);
    Gauge.builder("kafka.streams.active.buffer.count", () -> 2).register(r);
    Gauge.builder("kafka.streams.alive.stream.threads", () -> 2).register(r);
    Gauge.builder("cytostream.cells", () -> 3).description("cells").register(r);
    String scrape = r.scrape();
    assertThat(scrape).doesNotContain("blocked_time");
    assertThat(scrape)
        .contains("kafka_streams_active_buffer_number 2.0")
        .doesNotContain("kafka_streams_active_buffer_count")
        .contains("# HELP kafka_streams_alive_stream_threads Kafka client metric")
        .contains("# HELP cytostream_cells cells\n");
    assertThat(MetricsHygiene.rename("system.cpu.count", Meter.Type.GAUGE))
        .isEqualTo("system.cpu.number");
    assertThat(MetricsHygiene.rename("executor.count", Meter.Type.TIMER))
        .isEqualTo("executor.count");
    assertThat(MetricsHygiene.countsSubSecondUnits("process.cpu.time", "ns")).isTrue();
    assertThat(MetricsHygiene.countsSubSecondUnits("process.cpu.usage", null)).isFalse();
  }
}
