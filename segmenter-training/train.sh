#!/usr/bin/env bash
# Reproduces the shipped segmenter model: builds the ml modules, trains with the fixed seed, prints
# validation SEG/DET (model and classical), exports the SavedModel and reference values to OUT.
#   segmenter-training/train.sh [OUT] [extra TrainSegmenter args, e.g. --steps 50]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-segmenter-training/target/model}
shift || true
mvn -B -q -o -Pml install -DskipTests -pl segmenter-training -am
mvn -B -q -o -Pml dependency:build-classpath -pl segmenter-training -Dmdep.outputFile=target/cp.txt
CP="segmenter-training/target/classes:$(cat segmenter-training/target/cp.txt)"
exec java -Xmx4g -cp "$CP" -Dcytostream.shared="$(pwd)/../shared" \
  io.cytostream.ml.train.TrainSegmenter --out "$OUT" --steps 4000 --levels 4 --crop 192 --batch 6 --seed 42 "$@"
