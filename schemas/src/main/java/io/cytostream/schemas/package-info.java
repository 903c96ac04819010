package io.cytostream.schemas;
