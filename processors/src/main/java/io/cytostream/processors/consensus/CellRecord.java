package io.cytostream.processors.consensus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.cytostream.processors.anomaly.DriftDetector;
import io.cytostream.state.consensus.CellRls;
import io.cytostream.state.consensus.CellStatistics;
import io.cytostream.state.consensus.Innovation;
import io.cytostream.state.consensus.TraceFit;

/**
 * Everything the consensus stage keeps about one tracked cell (one entry of the per-cell state
 * store, key {@code fov/trackId}).
 *
 * @param trackId the track
 * @param statistics its CRLSM sufficient statistics (null before its first row)
 * @param rls its RLS filter (null before its first row)
 * @param cusum its drift test's CUSUM (null before its first test)
 * @param lastInnovation its last innovation (null before its first row)
 * @param trace its kept steps for the re-simulation metric (null before its first row, and in
 *     records stored before the metric existed); the consensus stage's store keeps it as one entry
 *     per step in its own store and writes the record with a null trace (records stored before that
 *     carry it here, and are read so)
 * @param retired whether the cell is retired and only its CRLSM statistics are kept, whole (the
 *     CRLSM's last {@link io.cytostream.state.consensus.StreamingCrlsm#KEPT_RETIRED} retired cells,
 *     or every retired cell of an eq. 3 IV fit without forgetting; older ones are folded or pooled
 *     into the FOV record and their cell records deleted; false in records stored before retirement
 *     existed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CellRecord(
    long trackId,
    CellStatistics statistics,
    CellRls.State rls,
    DriftDetector.CusumState cusum,
    Innovation lastInnovation,
    TraceFit.CellTrace trace,
    boolean retired) {}
