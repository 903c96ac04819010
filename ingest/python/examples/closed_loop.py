"""Close the loop: publish frames and receive the service's directives for them, measuring the
time from each triggering frame's acquisition to the directive reaching this hook. The README's
example, run by ClosedLoopTest; with more FOVs it is the latency measurement (docs/REPRODUCE.md).

    python3 closed_loop.py [BOOTSTRAP] [FOVS] [INTERVAL_S]

Each of FOVS fields of view gets 3 frames without an interior cell (background, and a bright band
along the left edge: what segments there touches the edge), one time point every INTERVAL_S
seconds, the FOVs' frames spread evenly over the interval (as a stage visits its positions), each
stamped with its acquisition time; after the third such frame the service's rules ask to skip the
FOV. Prints each directive, then the latencies.
"""
import datetime as dt
import sys
import threading
import time

import numpy as np
from cytostream_hook import FramePublisher

bootstrap = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:9092"
fovs = ["loop/pos%02d" % i for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 4)]
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5

latencies, done = {}, threading.Event()


def on_directive(d):
    received = dt.datetime.now(dt.timezone.utc)
    frame_time = dt.datetime.fromisoformat(d["data"]["frameTime"].replace("Z", "+00:00"))
    latencies[d["data"]["fov"]] = (received - frame_time).total_seconds()
    print("directive", d["data"]["action"], d["data"]["fov"], d["data"]["reason"], flush=True)
    if len(latencies) == len(fovs):
        done.set()


yy, xx = np.mgrid[0:64, 0:64]
empty = np.where(xx < 12, 1000, 100 + (xx + yy) % 3).astype(np.uint16)
with FramePublisher(bootstrap) as pub:
    pub.on_directive(on_directive, fovs=fovs)
    for t in range(3):
        for fov in fovs:
            pub.publish(fov, t, empty, acquisition_time=dt.datetime.now(dt.timezone.utc))
            pub.flush()
            time.sleep(interval / len(fovs))
    done.wait(120)

ms = sorted(1000 * v for v in latencies.values())
print("directives for %d of %d FOVs" % (len(ms), len(fovs)))
if ms:
    print("frame acquisition -> directive at the hook: p50 %.0f ms, p99 %.0f ms, max %.0f ms"
          % (np.percentile(ms, 50), np.percentile(ms, 99), ms[-1]))
sys.exit(0 if len(ms) == len(fovs) else 1)
