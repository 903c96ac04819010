package io.cytostream.processors;
