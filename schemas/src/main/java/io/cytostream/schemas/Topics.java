package io.cytostream.schemas;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/** The one, immutable topic registry of cytostream (DESIGN.md section 1). */
public final class Topics {
  /** Largest message the service's topics accept: 16 MiB, room for a 2048×2048 float32 plane. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 64 * 1024;

  private static final Map<String, String> LARGE =
      Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES));

  /** Frames from acquisition hooks; key = FOV (UTF-8), value = frame envelope. */
  public static final Topic<String, Frame> FRAMES_RAW =
      new Topic<>(
          "frames.raw",
          Serdes.String(),
          new FrameSerde(),
          LARGE,
          "raw frames from acquisition hooks, key = FOV");

  /** Cells found per frame; key = FOV. */
  public static final Topic<String, FrameObservations> CELLS_OBSERVED =
      new Topic<>(
          "cells.observed",
          Serdes.String(),
          new JsonSerde<>(FrameObservations.class),
          LARGE,
          "per-frame cell observations and adjacency, key = FOV");

  /** Frames with final track links; key = FOV. */
  public static final Topic<String, TrackedFrame> TRACKS =
      new Topic<>(
          "tracks",
          Serdes.String(),
          new JsonSerde<>(TrackedFrame.class),
          LARGE,
          "frames with final track links, key = FOV");

  /** Per-cell model state; key = fov/trackId. */
  public static final Topic<String, CellState> CELLS_STATE =
      new Topic<>(
          "cells.state",
          Serdes.String(),
          new JsonSerde<>(CellState.class),
          Map.of(),
          "per-cell model state, key = fov/trackId");

  /** The FOV's consensus (CRLSM) solution after each frame; key = FOV. */
  public static final Topic<String, ConsensusEstimate> CONSENSUS =
      new Topic<>(
          "consensus.fov",
          Serdes.String(),
          new JsonSerde<>(ConsensusEstimate.class),
          LARGE,
          "the FOV's streaming CRLSM solution (k, γ per track) after each frame, key = FOV");

  /** Anomaly events (CloudEvents 1.0 JSON); key = FOV. */
  public static final Topic<String, AnomalyEvent> EVENTS_ANOMALY =
      new Topic<>(
          "events.anomaly",
          Serdes.String(),
          new JsonSerde<>(AnomalyEvent.class),
          Map.of(),
          "anomaly events as CloudEvents 1.0 JSON, key = FOV");

  /** Cell life events (births, divisions, gap closures, track ends; CloudEvents 1.0 JSON). */
  public static final Topic<String, LifecycleEvent> CELLS_LIFECYCLE =
      new Topic<>(
          "cells.lifecycle",
          Serdes.String(),
          new JsonSerde<>(LifecycleEvent.class),
          Map.of(),
          "cell life events (birth, division, gap_closed, track_end) as CloudEvents 1.0 JSON,"
              + " key = FOV");

  /**
   * Dead letters: the original key and value bytes, unchanged, with headers {@code
   * cytostream.dlq.reason}, {@code .stage}, {@code .topic}, {@code .partition}, {@code .offset}.
   */
  public static final Topic<byte[], byte[]> FRAMES_DLQ =
      new Topic<>(
          "frames.dlq",
          Serdes.ByteArray(),
          Serdes.ByteArray(),
          Map.of(
              "max.message.bytes",
              Integer.toString(MAX_MESSAGE_BYTES),
              "retention.ms",
              "1209600000"),
          "records that could not be processed, original bytes plus reason headers");

  /** Directives to the acquisition (CloudEvents 1.0 JSON), key = FOV. */
  public static final Topic<String, Directive> ACQUISITION_DIRECTIVES =
      new Topic<>(
          "acquisition.directives",
          Serdes.String(),
          new JsonSerde<>(Directive.class),
          Map.of(),
          "directives to the acquisition (lower exposure, refocus, faster, skip) as CloudEvents"
              + " 1.0 JSON, key = FOV");

  /** Webhook subscriptions; compacted, key = subscription id, null value = deleted. */
  public static final Topic<String, WebhookSubscription> WEBHOOK_SUBSCRIPTIONS =
      new Topic<>(
          "webhooks.subscriptions",
          Serdes.String(),
          new JsonSerde<>(WebhookSubscription.class),
          Map.of("cleanup.policy", "compact"),
          "webhook subscriptions (compacted), key = subscription id, tombstone = deleted");

  /**
   * Webhook deliveries that failed every attempt: the event's JSON unchanged, key = subscription
   * id, headers {@link #WEBHOOK_DLQ_REASON}, {@link #WEBHOOK_DLQ_URL}, {@link
   * #WEBHOOK_DLQ_ATTEMPTS}.
   */
  public static final Topic<String, byte[]> WEBHOOKS_DLQ =
      new Topic<>(
          "webhooks.dlq",
          Serdes.String(),
          Serdes.ByteArray(),
          Map.of("retention.ms", "1209600000"),
          "webhook deliveries that failed every attempt, the event plus reason headers");

  /** Every topic, in flow order. */
  public static final List<Topic<?, ?>> ALL =
      List.of(
          FRAMES_RAW,
          CELLS_OBSERVED,
          TRACKS,
          CELLS_LIFECYCLE,
          CELLS_STATE,
          CONSENSUS,
          EVENTS_ANOMALY,
          FRAMES_DLQ,
          ACQUISITION_DIRECTIVES,
          WEBHOOK_SUBSCRIPTIONS,
          WEBHOOKS_DLQ);

  /** Header names on dead letters. */
  public static final String DLQ_REASON = "cytostream.dlq.reason";

  /** Stable reason class, a {@link DeadLetterKind#wireName()}. */
  public static final String DLQ_KIND = "cytostream.dlq.kind";

  public static final String DLQ_STAGE = "cytostream.dlq.stage";
  public static final String DLQ_TOPIC = "cytostream.dlq.topic";
  public static final String DLQ_PARTITION = "cytostream.dlq.partition";
  public static final String DLQ_OFFSET = "cytostream.dlq.offset";

  /**
   * Header names on {@code cells.observed} and {@code tracks} records: the {@code frames.raw}
   * record the frame came from (topic, partition, offset), so that a later stage's dead letter can
   * point at the original frame.
   */
  public static final String SOURCE_TOPIC = "cytostream.source.topic";

  public static final String SOURCE_PARTITION = "cytostream.source.partition";
  public static final String SOURCE_OFFSET = "cytostream.source.offset";

  /** Header names on {@link #WEBHOOKS_DLQ}: why the last attempt failed. */
  public static final String WEBHOOK_DLQ_REASON = "cytostream.webhook.reason";

  /** The subscription's target URL. */
  public static final String WEBHOOK_DLQ_URL = "cytostream.webhook.url";

  /** How many attempts were made. */
  public static final String WEBHOOK_DLQ_ATTEMPTS = "cytostream.webhook.attempts";

  private Topics() {}
}
