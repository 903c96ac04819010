#!/usr/bin/env python3
"""Python baselines for scripts/bench-image-vs-python (OpenCV, SciPy, scikit-image).

  image_baseline.py bench SYNTH_TIFF SIM_DIR FRAMES   -> "name milliseconds" lines
  image_baseline.py segment SEQ_DIR OUT_DIR           -> CTC result folder (maskTTT.tif, res_track.txt)

The scikit-image pipeline is the plain one a Python user would write: scipy 3x3 median,
log(x+1) and interquartile normalisation (quartiles of the first 10 frames), Gaussian sigma=2,
Otsu, hole filling, exact EDT, peak_local_max (min_distance 7), watershed on -distance inside the
mask, objects below 150 px removed (the same minimum area as cytostream's defaults).
"""
import glob
import os
import statistics
import sys
import time

import cv2
import numpy as np
import scipy.ndimage as ndi
import tifffile
from skimage.feature import peak_local_max
from skimage.filters import gaussian, threshold_otsu
from skimage.measure import label
from skimage.morphology import remove_small_objects
from skimage.segmentation import watershed

MIN_AREA = 150


def read(path):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)  # reads LZW (Debian's tifffile cannot)
    if img is None:
        img = tifffile.imread(path)
    return img


def calibrate(frames):
    v = np.concatenate([np.log1p(ndi.median_filter(f, 3, mode="nearest").astype(np.float32)).ravel()
                        for f in frames])
    q1, q3 = np.percentile(v, [25, 75])
    iqr = q3 - q1
    return q1 - 2 * iqr, q3 + 2 * iqr


def pipeline(raw, lo, hi):
    med = ndi.median_filter(raw, 3, mode="nearest").astype(np.float32)
    z = (np.log1p(med) - lo) / (hi - lo)
    s = gaussian(z, sigma=2, preserve_range=True)
    mask = s > threshold_otsu(s)
    mask = ndi.binary_fill_holes(mask)
    mask = remove_small_objects(mask, MIN_AREA)
    dist = ndi.distance_transform_edt(mask)
    comps = label(mask)
    peaks = peak_local_max(dist, min_distance=7, labels=comps, exclude_border=False)
    markers = np.zeros(dist.shape, dtype=np.int32)
    markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)
    lab = watershed(-dist, markers, mask=mask)
    lab = remove_small_objects(lab, MIN_AREA)
    return lab


def time_ms(fn, warm, reps):
    for _ in range(warm):
        fn()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        t.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(t)


def bench(synth_path, sim_dir, n_frames):
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 65536, (2048, 2048), dtype=np.uint16)
    print("median2048_cv2 %.3f" % time_ms(lambda: cv2.medianBlur(noise, 3), 20, 30))
    c0 = time.process_time()
    for _ in range(30):
        cv2.medianBlur(noise, 3)
    print("median2048_cv2_cpu %.3f" % ((time.process_time() - c0) * 1e3 / 30))
    print("median2048_scipy %.3f" % time_ms(
        lambda: ndi.median_filter(noise, 3, mode="nearest"), 1, 3))
    synth = read(synth_path)
    lo, hi = calibrate([synth])
    print("stage2048_synthetic_skimage %.3f" % time_ms(lambda: pipeline(synth, lo, hi), 1, 3))
    files = sorted(glob.glob(os.path.join(sim_dir, "t*.tif")))[:n_frames]
    frames = [read(f) for f in files]
    lo, hi = calibrate(frames[:10])
    per = time_ms(lambda: [pipeline(f, lo, hi) for f in frames], 1, 3) / len(frames)
    print("stage_simplus_skimage_per_frame %.3f" % per)
    sys.stdout.flush()


def segment(seq_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    files = sorted(glob.glob(os.path.join(seq_dir, "t*.tif")))
    frames = [read(f) for f in files]
    lo, hi = calibrate(frames[:10])
    lines = []
    nxt = 0
    for f, raw in zip(files, frames):
        t = int(os.path.basename(f)[1:-4])
        lab = pipeline(raw, lo, hi)
        ids = np.unique(lab)
        ids = ids[ids != 0]
        out = np.zeros(lab.shape, dtype=np.uint16)
        for k, i in enumerate(ids, start=1):
            out[lab == i] = nxt + k
            lines.append("%d %d %d 0" % (nxt + k, t, t))
        nxt += len(ids)
        tifffile.imwrite(os.path.join(out_dir, "mask%03d.tif" % t), out)
    with open(os.path.join(out_dir, "res_track.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "bench":
        bench(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "segment":
        segment(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
