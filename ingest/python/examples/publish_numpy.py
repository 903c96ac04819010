"""Publish frames from numpy arrays: the README's example, run by PythonPackageTest.

    python3 publish_numpy.py [BOOTSTRAP] [FOV] [FRAMES]
"""
import sys

import numpy as np
from cytostream_hook import FramePublisher

bootstrap = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:9092"
fov = sys.argv[2] if len(sys.argv) > 2 else "exp1/pos01/gcamp"
frames = int(sys.argv[3]) if len(sys.argv) > 3 else 5

rng = np.random.default_rng(1)
yy, xx = np.mgrid[0:128, 0:128]
with FramePublisher(bootstrap) as pub:
    for t in range(frames):
        image = rng.poisson(100, size=(128, 128)).astype(np.uint16)  # camera background
        for cx, cy in ((40 + t, 40), (88, 80 - t)):  # two bright cells, drifting
            image[(xx - cx) ** 2 + (yy - cy) ** 2 < 15 ** 2] += 900
        pub.publish(fov, t, image, interval_seconds=1.0)
print("published %d frames of %s" % (frames, fov))
