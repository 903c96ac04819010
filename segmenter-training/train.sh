#!/usr/bin/env bash
# Reproduces the shipped segmenter model (`./cytostream train-segmenter` runs this): builds the
# training module (TF Java, its own classpath), trains with the fixed seed, prints validation SEG/DET
# of the model and the classical segmenter, exports DIR/savedmodel and DIR/reference.json.
#   segmenter-training/train.sh [--out DIR] [--steps N] [--seed S] ... | --model DIR | --help
set -euo pipefail
cd "$(dirname "$0")/.."
# A reactor build (no `install`): the processors module's classes are used from its target folder.
mvn -B -q -Pml -pl segmenter-training -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip -Dcheckstyle.skip -Dmdep.outputFile=target/cp.txt >&2
CP="segmenter-training/target/classes:$(sed 's#[^:]*processors/target/[^:]*\.jar#processors/target/classes#' segmenter-training/target/cp.txt)"
# The defaults (--steps 4000 --levels 4 --crop 192 --batch 6 --seed 42) are those of the shipped model.
exec java -Xmx4g -cp "$CP" -Dcytostream.shared="$(pwd)/../shared" \
  io.cytostream.ml.train.TrainSegmenter "$@"
