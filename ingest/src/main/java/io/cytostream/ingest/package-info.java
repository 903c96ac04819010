package io.cytostream.ingest;
