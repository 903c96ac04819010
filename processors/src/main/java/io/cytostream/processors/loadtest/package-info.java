/**
 * {@code ./cytostream loadtest}: how fast the service keeps up with a camera, against the two
 * ceilings that bound it on the same machine and frames — the transport (raw produce and consume of
 * records of the frames' size on the same broker) and the compute (the image stages alone, on every
 * core). Frames come from the simulator, rendered before timing starts and published from threads
 * of this process, so that no second JVM competes for the cores.
 */
package io.cytostream.processors.loadtest;
