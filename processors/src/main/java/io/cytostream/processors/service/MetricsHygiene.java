package io.cytostream.processors.service;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps the scrape clean for {@code promtool check metrics}: a HELP text for meters registered
 * without one (Kafka's client metrics, some of Micrometer's) and no {@code _count} suffix on gauges
 * and counters (which Prometheus reserves for histograms and summaries). Meters that count time in
 * nanoseconds or milliseconds (Kafka's {@code blocked-time-ns}, {@code txn-*-time-ns}, {@code
 * io-wait-time-ns}..., Micrometer's {@code process.cpu.time}) are dropped: Prometheus wants
 * seconds, their values cannot be rescaled by a filter, and no dashboard or alert uses them. The
 * pipeline's own {@code cytostream.*} meters are left as they are: they are named and described
 * where they are registered.
 */
@Singleton
public class MetricsHygiene implements MeterFilter {

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    if (id.getName().startsWith("cytostream.")) {
      return MeterFilterReply.NEUTRAL;
    }
    return countsSubSecondUnits(id.getName(), id.getBaseUnit())
        ? MeterFilterReply.DENY
        : MeterFilterReply.NEUTRAL;
  }

  /** Whether a meter counts time in ns or ms (by its name's words or its base unit). */
  static boolean countsSubSecondUnits(String name, String baseUnit) {
    for (String p : name.split("[._-]")) {
      if (p.equals("ns") || p.equals("ms")) {
        return true;
      }
    }
    return baseUnit != null
        && Set.of("ns", "ms", "nanoseconds", "milliseconds")
            .contains(baseUnit.toLowerCase(Locale.ROOT));
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    if (id.getName().startsWith("cytostream.")) {
      return id;
    }
    String name = rename(id.getName(), id.getType());
    String description = id.getDescription();
    if (description == null || description.isBlank()) {
      description =
          (id.getName().startsWith("kafka.") ? "Kafka client metric " : "metric ")
              + id.getName()
              + " (no description from its source)";
    }
    if (name.equals(id.getName()) && description.equals(id.getDescription())) {
      return id;
    }
    return new Meter.Id(
        name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
  }

  /** The meter name without a misleading {@code count} suffix (gauges and counters). */
  static String rename(String name, Meter.Type type) {
    List<String> out = new ArrayList<>(List.of(name.split("[._-]")));
    boolean plain =
        type != Meter.Type.TIMER
            && type != Meter.Type.DISTRIBUTION_SUMMARY
            && type != Meter.Type.LONG_TASK_TIMER;
    if (plain && out.size() > 1 && out.get(out.size() - 1).equals("count")) {
      out.set(out.size() - 1, "number");
    }
    return String.join(".", out);
  }
}
