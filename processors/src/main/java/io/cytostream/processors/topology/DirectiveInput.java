package io.cytostream.processors.topology;

import io.cytostream.processors.directive.DirectiveRules;
import io.cytostream.schemas.AnomalyEvent;

/** One input of the directive rules: an anomaly event or a frame summary (exactly one is set). */
record DirectiveInput(AnomalyEvent event, DirectiveRules.FrameSummary frame) {}
