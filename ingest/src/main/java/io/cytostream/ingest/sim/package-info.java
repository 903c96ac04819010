/**
 * The culture simulator (DESIGN.md section 6): ground truth we make ourselves.
 *
 * <p>{@link io.cytostream.ingest.sim.SimulationConfig} defines a run; {@link
 * io.cytostream.ingest.sim.CultureSimulator} produces {@link
 * io.cytostream.ingest.sim.SimulatedFrame}s live; {@link io.cytostream.ingest.sim.CtcWriter} writes
 * them in Cell Tracking Challenge layout with {@code truth.json} ({@link
 * io.cytostream.ingest.sim.SimulationTruth}). {@link io.cytostream.ingest.sim.AnomalySpec} injects
 * the anomalies of DESIGN.md section 5. {@link io.cytostream.ingest.sim.GraphCulture} runs the same
 * consensus-model step ({@link io.cytostream.ingest.sim.ConsensusModel}) on a given neighbour
 * graph, without images, for tests that need traces only.
 */
package io.cytostream.ingest.sim;
