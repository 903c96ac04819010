package io.cytostream.state;
