/**
 * {@code ./cytostream evaluate}: the whole chain ({@code process}, default settings, and with ideal
 * segmentation) over a panel of data with ground truth, scored with the Cell Tracking Challenge
 * measures and, on simulated cultures with injected anomalies, per-kind recall and precision of the
 * anomaly events. Kafka-free: it drives {@link io.cytostream.processors.offline.OfflineRunner} and
 * reads what it writes.
 */
package io.cytostream.processors.evaluate;
