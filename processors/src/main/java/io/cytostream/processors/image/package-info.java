/**
 * Image types shared by the image stages ({@link io.cytostream.processors.image.FloatImage}, {@link
 * io.cytostream.processors.image.LabelImage}), raw-plane decoding with validation ({@link
 * io.cytostream.processors.image.PlaneDecoder}, {@link
 * io.cytostream.processors.image.InvalidPlaneException}) and the whole Kafka-free image stage
 * ({@link io.cytostream.processors.image.ImageStage}). See {@code processors/IMAGE-STAGES.md}.
 */
package io.cytostream.processors.image;
