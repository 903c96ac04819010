/**
 * The image stages of one frame chained, Kafka-free: {@link
 * io.cytostream.processors.pipeline.ImageStage} (decode → median → quality → normalise → segment →
 * measure) and {@link io.cytostream.processors.pipeline.ImagePipeline}, which turns its result into
 * the {@code cells.observed} message for the topology. Above the stage packages ({@code image},
 * {@code denoise}, {@code segment}, {@code measure}), below {@code topology}.
 */
package io.cytostream.processors.pipeline;
