/**
 * Closing the loop, Kafka-free: {@link io.cytostream.processors.directive.DirectiveRules} turns
 * anomaly events and per-frame observations of one field of view into directives to the acquisition
 * (lower exposure, refocus, image faster, skip). The topology's {@code DirectiveTopology} runs it
 * per FOV.
 */
package io.cytostream.processors.directive;
