package io.cytostream.processors.topology;

import io.cytostream.schemas.AnomalyEvent;
import io.cytostream.schemas.CellState;
import io.cytostream.schemas.ConsensusEstimate;

/** What the consensus stage emits: a cell's state, the FOV's estimate, or an anomaly event. */
record ConsensusOutput(CellState state, ConsensusEstimate estimate, AnomalyEvent event) {}
