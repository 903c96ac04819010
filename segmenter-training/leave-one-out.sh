#!/usr/bin/env bash
# The leave-one-data-set-out table (issue 9): trains the segmenter once without each data set
# (bbbc039, dsb2018-stage1-fluo, kromp-s-bsst265, sim) and scores each run on the set it did not
# see; the CTC sequences Fluo-N2DH-SIM+ 01 and Fluo-C2DL-MSC 01 (never trained on) are scored with the
# model trained on everything (--full DIR/savedmodel, e.g. from ./cytostream train-segmenter).
# Writes OUT/leave-one-out.md and OUT/leave-one-out.json. CPU-heavy: runs under nice -n 10.
# Every leave-out run trains the same number of Adam steps (--steps, default 700, what the table's
# rows were trained with; --minutes is only a safety stop). One training peaks at ~2.7 GB resident.
#   segmenter-training/leave-one-out.sh --out OUT --full MODEL [--steps 700] [--minutes 120] [--jobs 1]
#                                       [--sets bbbc039,sim] [--xmx 4g]
#   segmenter-training/leave-one-out.sh --out OUT --full MODEL --table-only   (score existing OUT/<set>)
set -euo pipefail
cd "$(dirname "$0")/.."
out="" full="" minutes=120 steps=700 jobs=1 tableOnly=0 xmx=4g sets="" extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --full) full=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --sets) sets=$2; shift 2 ;;
    --xmx) xmx=$2; shift 2 ;;
    --table-only) tableOnly=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done
[ -n "$out" ] && [ -n "$full" ] || { echo "--out and --full are required" >&2; exit 2; }
mvn -o -B -q -Pml -pl segmenter-training -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip -Dcheckstyle.skip -Dmdep.outputFile=target/cp.txt >&2
CP="segmenter-training/target/classes:$(sed 's#[^:]*processors/target/[^:]*\.jar#processors/target/classes#' segmenter-training/target/cp.txt)"
mkdir -p "$out"
train() {
  local set=$1 t0=$SECONDS
  nice -n 10 java -Xmx"$xmx" -cp "$CP" -Dcytostream.shared="$(pwd)/../shared" \
    io.cytostream.ml.train.TrainSegmenter --out "$out/$set" --leave-out "$set" --steps "$steps" \
    --max-minutes "$minutes" --eval none --skip-classical > "$out/$set.log" 2>&1
  echo "$set: $(grep -E '^training:' "$out/$set.log") (wall $((SECONDS - t0)) s)"
}
if [ "$tableOnly" = 0 ]; then
  IFS=, read -r -a sets <<< "${sets:-bbbc039,dsb2018-stage1-fluo,kromp-s-bsst265,sim}"
  for ((i = 0; i < ${#sets[@]}; i += jobs)); do
    for s in "${sets[@]:i:jobs}"; do train "$s" & done
    wait
  done
fi
nice -n 10 java -Xmx5g -cp "$CP" -Dcytostream.shared="$(pwd)/../shared" \
  io.cytostream.ml.train.LeaveOneOutTable --runs "$out" --full "$full" --out "$out" "${extra[@]}"
