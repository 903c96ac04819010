#!/usr/bin/env bash
# Trains the segmenter (`./cytostream train-segmenter` runs this): builds the training module (TF
# Java, its own classpath), trains with the fixed seed on the CC0 sets in ../shared/data/train and the
# simulator (no CTC data), prints held-out SEG/DET of the model and the classical segmenter, exports
# DIR/savedmodel and DIR/reference.json. The bundled unet-seg v2 came from this tool
# (--steps 8000 --max-minutes 42 --skip-classical, 2342 s); see
# processors/src/main/resources/models/unet-seg/2/MODEL_CARD.md (v1, trained on CTC data, is gone).
#   segmenter-training/train.sh [--out DIR] [--steps N] [--seed S] ... | --model DIR | --help
set -euo pipefail
cd "$(dirname "$0")/.."
# A reactor build (no `install`): the processors module's classes are used from its target folder.
mvn -B -q -Pml -pl segmenter-training -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip -Dcheckstyle.skip -Dmdep.outputFile=target/cp.txt >&2
CP="segmenter-training/target/classes:$(sed 's#[^:]*processors/target/[^:]*\.jar#processors/target/classes#' segmenter-training/target/cp.txt)"
exec java -Xmx4g -cp "$CP" -Dcytostream.shared="$(pwd)/../shared" \
  io.cytostream.ml.train.TrainSegmenter "$@"
