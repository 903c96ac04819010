#!/usr/bin/env bash
# The paper's CRLSM-vs-PINN comparison (`./cytostream compare-pinn` runs this): builds the training
# module (TF Java, its own classpath), makes `process` output of the real calcium movie when it is
# missing (../shared/data/calcium-fura2, as in README), then fits both methods on simulated cultures
# with known k and gamma_i and on that output, and writes DIR/pinn-comparison.md and .json.
#   segmenter-training/compare-pinn.sh [--full] [--out DIR] [--seeds 1,2,3] [--noise ...] [--dt ...] | --help
set -euo pipefail
cd "$(dirname "$0")/.."
real=()
movie="../shared/data/calcium-fura2/adu340_4small_TYX_uint16.tif"
proc="segmenter-training/target/compare-pinn/calcium-fura2"
case " $* " in *" --help "*|*" -h "*) ;; *)
  if [ -f "$movie" ]; then
    if [ ! -f "$proc/cells.csv" ]; then
      ./cytostream process --input "$movie" --output "$proc" --min-area 8 --sigma 1 >&2
    fi
    real=(--real "calcium-fura2 (real)=$proc")
  fi ;;
esac
mvn -B -q -Pml -pl segmenter-training -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip -Dcheckstyle.skip -Dmdep.outputFile=target/cp.txt >&2
CP="segmenter-training/target/classes:$(sed 's#[^:]*processors/target/[^:]*\.jar#processors/target/classes#' segmenter-training/target/cp.txt)"
exec java -Xmx2g -cp "$CP" io.cytostream.ml.pinn.ComparePinn "${real[@]}" "$@"
