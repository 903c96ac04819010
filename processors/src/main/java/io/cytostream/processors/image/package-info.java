/**
 * Image types shared by the image stages ({@link io.cytostream.processors.image.FloatImage}, {@link
 * io.cytostream.processors.image.LabelImage}) and raw-plane decoding with validation ({@link
 * io.cytostream.processors.image.PlaneDecoder}, {@link
 * io.cytostream.processors.image.InvalidPlaneException}). A leaf: it depends on no other processors
 * package (enforced by {@code ArchitectureTest}); the whole Kafka-free image stage that chains the
 * stages is {@code io.cytostream.processors.pipeline.ImageStage}. See {@code
 * processors/IMAGE-STAGES.md}.
 */
package io.cytostream.processors.image;
