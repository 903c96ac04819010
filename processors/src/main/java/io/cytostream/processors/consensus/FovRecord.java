package io.cytostream.processors.consensus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.cytostream.processors.anomaly.AberrantCellDetector;
import io.cytostream.processors.anomaly.DataQualityDetector;
import io.cytostream.processors.anomaly.FieldResidualTest;
import io.cytostream.processors.anomaly.TrackMemory;
import io.cytostream.state.consensus.RegressionRowBuilder;
import io.cytostream.state.consensus.Retired;
import java.util.List;
import java.util.Map;

/**
 * The FOV-level part of the consensus stage's state (one entry of the FOV state store, key = FOV);
 * the per-cell part is in {@link CellRecord}s.
 *
 * @param rows the row builder (the previous frame)
 * @param currentFrame the CRLSM's latest frame
 * @param framesUsed frames that gave rows
 * @param rowsUsed rows added
 * @param sumDtSeconds Σ Δt over the rows
 * @param aberrant the aberrant-cell test's state
 * @param tracking the tracking test's memory
 * @param quality the data-quality test's state
 * @param borderTracks tracks whose last sighting touched the image edge (their loss is a cell
 *     leaving the field of view, not an anomaly)
 * @param kAtBoundReported whether the FOV's k_at_bound event has been raised (once per FOV; false
 *     in records written before it existed)
 * @param retired what the CRLSM keeps of retired cells (null in records from before retirement)
 * @param lastSeen the frame each cell not yet retired was last seen in, by track id (null in
 *     records from before retirement)
 * @param field the spike and aberrant-cell field test's state (null in records written before it)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FovRecord(
    RegressionRowBuilder.Snapshot rows,
    long currentFrame,
    long framesUsed,
    long rowsUsed,
    double sumDtSeconds,
    AberrantCellDetector.State aberrant,
    List<TrackMemory> tracking,
    DataQualityDetector.State quality,
    List<Long> borderTracks,
    boolean kAtBoundReported,
    Retired retired,
    Map<Long, Long> lastSeen,
    FieldResidualTest.State field) {}
