#!/usr/bin/env bash
# Frames/s of the model and classical segmenters at 512², 1024², 2048², then RSS over a long run.
#   segmenter-djl/bench.sh [long-run frames]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -Pml install -DskipTests -pl segmenter-djl -am
mvn -B -q -o -Pml dependency:build-classpath -pl segmenter-djl -Dmdep.outputFile=target/cp.txt
CP="segmenter-djl/target/test-classes:segmenter-djl/target/classes:$(cat segmenter-djl/target/cp.txt)"
TENSORFLOW_LIBRARY_PATH="$(pwd)/segmenter-djl/target/tf-native/org/tensorflow/internal/c_api/linux-x86_64" \
  exec java -Xmx2g -Dai.djl.offline=true -cp "$CP" io.cytostream.ml.djl.ModelSegmenterBench "$@"
