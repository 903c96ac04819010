/**
 * Online cell tracking (plain Java, no Kafka or Micronaut): stable track ids, gap closing,
 * divisions, and output in Cell Tracking Challenge format.
 *
 * <ul>
 *   <li>{@link io.cytostream.processors.track.OnlineTracker}: feed one frame of {@link
 *       io.cytostream.processors.track.Detection}s at a time ({@code push}), get back {@link
 *       io.cytostream.processors.track.FinalizedFrame}s after a bounded delay; {@code flush} at the
 *       end of the stream; {@code snapshot}/{@code restore} for a state store. One instance per
 *       field of view.
 *   <li>{@link io.cytostream.processors.track.TrackerConfig}: every cost and parameter, with units;
 *       {@code defaults()} fits nuclei like Fluo-N2DH-SIM+; {@code toBuilder()} for variants.
 *   <li>Inside the tracker, one class per step of a push: {@code ActiveTracks} (ids, retiring lost
 *       tracks), {@code FrameLinker} (motion prediction, gate, link cost, LAP), {@code
 *       DivisionFinder} (division cost and greedy acceptance), {@code PendingDivisions}
 *       (confirmation by the next frame), {@code HeldFrames} (the delay before a frame is final);
 *       {@code Track} and {@code FrameDraft} hold the state of one track and of the frame being
 *       pushed.
 *   <li>Tracking under segmentation uncertainty: {@code push(t, leaves, candidates)} takes a frame
 *       as a small hierarchy of candidate segments ({@link
 *       io.cytostream.processors.track.Candidate}: unions of finest detections); a {@link
 *       io.cytostream.processors.track.CandidateSelector} chooses per connected piece the
 *       non-overlapping segments that best continue the active tracks (the segmenter's preferred
 *       cut where no track is near), so that a one-frame merge or split of the segmentation does
 *       not become a lost track, a division or a birth; a division found when the daughters
 *       separate is moved back into the held frames where the hierarchy already held them apart
 *       ({@code EarlierDivisions}).
 *   <li>{@link io.cytostream.processors.track.ReorderBuffer}: restores frame order per stream
 *       before the tracker (bounded window, gaps declared after a timeout), Kafka-free.
 *   <li>{@link io.cytostream.processors.track.LapSolver} with {@link
 *       io.cytostream.processors.track.SparseCostMatrix}: sparse linear assignment with birth and
 *       death alternatives; {@link io.cytostream.processors.track.SpatialGrid}: the candidate gate.
 *   <li>{@link io.cytostream.processors.track.CtcTrackTable}: {@code res_track.txt} and the per
 *       frame relabelling of masks into CTC labels (gap-closed tracks are split as CTC requires).
 * </ul>
 *
 * <p>Typical use, e.g. in the CLI that writes a CTC result:
 *
 * <pre>{@code
 * OnlineTracker tracker = new OnlineTracker(TrackerConfig.defaults());
 * CtcTrackTable table = new CtcTrackTable(false);
 * for (each frame t with its label image and detections) {
 *   for (FinalizedFrame f : tracker.push(t, detections)) {
 *     Map<Integer, Integer> ctc = table.accept(f); // label in frame f -> CTC label
 *     // write maskTTT.tif for frame f.frameIndex() with labels relabelled through ctc
 *   }
 * }
 * for (FinalizedFrame f : tracker.flush()) { ... same ... }
 * Files.writeString(dir.resolve("res_track.txt"), table.render());
 * }</pre>
 *
 * <p>Label images of frames must be kept until their frame is finalized (at most {@code delayFrames
 * + 1} frames).
 */
package io.cytostream.processors.track;
