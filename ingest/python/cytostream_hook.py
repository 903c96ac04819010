#!/usr/bin/env python3
"""cytostream acquisition hook for Python: publish frames to a cytostream service.

The wire format is documented in schemas/README.md; this module is its reference implementation
in Python (standard library only for encoding; numpy arrays are accepted but not required).

    from cytostream_hook import FramePublisher
    with FramePublisher("127.0.0.1:9092") as pub:
        pub.publish("exp1/pos01/gcamp", frame_index, image)   # image: 2-D numpy uint8/uint16/float32
        # the service's directives (acquisition.directives) for the FOVs this publisher publishes:
        pub.on_directive(lambda d: print(d["data"]["action"], d["data"]["fov"], d["data"]["reason"]))

Frames too large for a record (a plane over 16 MiB, e.g. 4096x4096 uint16) go by reference when the
publisher has a claim-check directory, FramePublisher(..., pixel_ref_dir="/shared/frames"): the plane
is written there and the record carries its file: URI and SHA-256 (pixelRef; the service reads it
from under its --pixel-ref-root). pixel_ref_above=0 sends every frame by reference.

Publishing needs confluent-kafka (Debian: python3-confluent-kafka) or kafka-python
(Debian: python3-kafka); whichever is installed is used. on_directive needs confluent-kafka.
verify_webhook checks the signature of a webhook delivery (standard library only).
"""
import datetime as _dt
import hashlib
import hmac
import json
import math
import os
import struct
import sys
import tempfile
import threading
import time
import uuid

MAGIC = b"CSFR"
ENVELOPE_VERSION = 1
TOPIC = "frames.raw"
DIRECTIVES_TOPIC = "acquisition.directives"
SIGNATURE_HEADER = "X-Cytostream-Signature"
MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 64 * 1024
INLINE_LIMIT_BYTES = 16 * 1024 * 1024  # planes above this go by reference (pixelRef)
PARTITIONER = "murmur2_random"  # librdkafka's name for the Java client's key hashing
_TYPES = {"uint8": ("B", 1), "uint16": ("H", 2), "float32": ("f", 4)}


def _iso(t):
    if t is None:
        return None
    if isinstance(t, str):
        return t
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.timezone.utc)
    return t.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")


def encode_frame(fov, frame_index, pixels, width=None, height=None, pixel_type=None,
                 acquisition_time=None, pixel_size_um=None, interval_seconds=None, channel=None,
                 pixel_ref_dir=None, pixel_ref_above=INLINE_LIMIT_BYTES):
    """Returns the frame envelope (bytes) for one 2-D plane.

    pixels: a 2-D numpy array (uint8, uint16 or float32; its shape gives height, width), or a flat
    sequence of numbers together with width, height and pixel_type.
    pixel_ref_dir: when the plane is larger than pixel_ref_above bytes, it is written under this
    directory and the envelope carries a pixelRef (claim check) instead of the pixels.
    """
    if hasattr(pixels, "dtype"):
        import numpy as np  # only when given a numpy array
        arr = np.asarray(pixels)
        if arr.ndim != 2:
            raise ValueError("a frame is one 2-D plane, got shape %r" % (arr.shape,))
        pixel_type = {"uint8": "uint8", "uint16": "uint16", "float32": "float32"}.get(str(arr.dtype))
        if pixel_type is None:
            raise ValueError("pixel dtype must be uint8, uint16 or float32, got %s" % arr.dtype)
        if pixel_type == "float32" and not np.isfinite(arr).all():
            raise ValueError("float32 frames must not contain NaN or infinity")
        height, width = arr.shape
        raw = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
    else:
        if pixel_type not in _TYPES or width is None or height is None:
            raise ValueError("give width, height and pixel_type (uint8, uint16, float32)")
        code, _ = _TYPES[pixel_type]
        values = list(pixels)
        if len(values) != width * height:
            raise ValueError("%d values for a %dx%d plane" % (len(values), width, height))
        if pixel_type == "float32" and not all(math.isfinite(v) for v in values):
            raise ValueError("float32 frames must not contain NaN or infinity")
        raw = struct.pack("<%d%s" % (len(values), code), *values)
    header = {
        "schemaVersion": 1,
        "fov": fov,
        "frameIndex": int(frame_index),
        "width": int(width),
        "height": int(height),
        "pixelType": pixel_type,
    }
    optional = {
        "acquisitionTime": _iso(acquisition_time),
        "pixelSizeUm": pixel_size_um,
        "intervalSeconds": interval_seconds,
        "channel": channel,
    }
    header.update({k: v for k, v in optional.items() if v is not None})
    if pixel_ref_dir is not None and len(raw) > pixel_ref_above:
        header["pixelRef"] = store_plane(pixel_ref_dir, fov, frame_index, raw)
        raw = b""
    elif len(raw) > INLINE_LIMIT_BYTES:
        raise ValueError("a %d-byte plane does not fit in a record (limit %d): give pixel_ref_dir"
                         % (len(raw), INLINE_LIMIT_BYTES))
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return MAGIC + struct.pack("<BI", ENVELOPE_VERSION, len(hb)) + hb + raw


def store_plane(directory, fov, frame_index, raw):
    """Writes a raw plane for a frame by reference (as the Java ClaimCheck.store does) and returns
    its pixelRef: {"uri": file: URI, "sha256": hex digest, "byteLength": n}."""
    sha = hashlib.sha256(raw).hexdigest()
    folder = os.path.join(os.path.abspath(directory), fov.replace("/", "_"))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "%d-%s.raw" % (int(frame_index), sha[:16]))
    fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=".tmp", dir=folder)
    with os.fdopen(fd, "wb") as f:
        f.write(raw)
    os.replace(tmp, path)  # readers never see half a file
    from pathlib import Path
    return {"uri": Path(path).as_uri(), "sha256": sha, "byteLength": len(raw)}


def decode_frame(data):
    """Inverse of encode_frame: returns (header dict, raw pixel bytes)."""
    if data[:4] != MAGIC:
        raise ValueError("not a frame envelope (bad magic)")
    version, n = struct.unpack_from("<BI", data, 4)
    if version != ENVELOPE_VERSION:
        raise ValueError("unsupported envelope version %d" % version)
    return json.loads(data[9:9 + n].decode("utf-8")), data[9 + n:]


def verify_webhook(secret, signature_header, body, tolerance_seconds=300, now=None):
    """Whether a webhook delivery is genuine: signature_header is the X-Cytostream-Signature value
    ("t=<unix seconds>,v1=<hex>"), body the raw request body (bytes). The signature is the
    HMAC-SHA256, keyed with the subscription's secret, of "<t>." + body; t must be within
    tolerance_seconds of now (refuses replays)."""
    if not signature_header or secret is None:
        return False
    parts = dict(p.strip().split("=", 1) for p in signature_header.split(",") if "=" in p)
    try:
        t = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance_seconds:
        return False
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    expected = hmac.new(key, str(t).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


class DirectiveListener:
    """Calls callback(directive) with each directive (a CloudEvent as a dict, see schemas/README.md)
    of acquisition.directives whose FOV passes wants(fov), from the end of the topic at the time
    it is created, on a background thread, in each FOV's order. Needs confluent-kafka."""

    def __init__(self, bootstrap, callback, wants, topic=DIRECTIVES_TOPIC):
        from confluent_kafka import Consumer, TopicPartition
        self._callback, self._wants, self._running = callback, wants, True
        # a group id of its own (nothing is committed): every listener gets every directive
        self._c = Consumer({"bootstrap.servers": bootstrap, "enable.auto.commit": False,
                            "group.id": "cytostream-hook-" + uuid.uuid4().hex,
                            "isolation.level": "read_committed"})
        meta = self._c.list_topics(topic, timeout=30)
        if topic not in meta.topics or meta.topics[topic].error is not None:
            self._c.close()
            raise RuntimeError("topic %s does not exist (is the service up?)" % topic)
        parts = []
        for p in sorted(meta.topics[topic].partitions):
            _, high = self._c.get_watermark_offsets(TopicPartition(topic, p), timeout=30)
            parts.append(TopicPartition(topic, p, high))
        self._c.assign(parts)  # positioned at the end now: directives from here on
        self._thread = threading.Thread(target=self._run, name="cytostream-directives", daemon=True)
        self._thread.start()

    def _run(self):
        while self._running:
            msg = self._c.poll(0.2)
            if msg is None or msg.error() is not None or msg.value() is None:
                continue
            fov = msg.key().decode("utf-8") if msg.key() is not None else None
            if fov is None or not self._wants(fov):
                continue
            try:
                self._callback(json.loads(msg.value().decode("utf-8")))
            except Exception as e:  # a failing callback must not stop the listener
                print("cytostream_hook: directive callback failed: %r" % (e,), file=sys.stderr)
        self._c.close()

    def close(self):
        self._running = False
        self._thread.join(5)


class AcquisitionPlan:
    """What the directives ask of each FOV, for an acquisition loop to consult before each time
    point (the pymmcore-plus and pycro-manager adapters use it; thread-safe: directives arrive on
    the listener's thread).

    lower_exposure multiplies the FOV's exposure by exposureFactor (cumulative); refocus asks for
    one autofocus before the FOV's next image; faster multiplies its interval by intervalFactor
    for the next `frames` time points; skip leaves out its next `frames` time points.
    """

    def __init__(self, interval_s, exposure_ms):
        self.interval_s = float(interval_s)
        self.exposure_ms = float(exposure_ms)
        self._fovs = {}
        self._lock = threading.Lock()

    def _state(self, fov):
        return self._fovs.setdefault(fov, {"exposure": 1.0, "refocus": False, "faster": 0,
                                           "faster_factor": 1.0, "skip": 0})

    def apply(self, directive):
        """Takes a directive (the CloudEvent as a dict) into account."""
        d = directive["data"]
        with self._lock:
            s = self._state(d["fov"])
            if d["action"] == "lower_exposure":
                s["exposure"] *= float(d["exposureFactor"])
            elif d["action"] == "refocus":
                s["refocus"] = True
            elif d["action"] == "faster":
                s["faster"], s["faster_factor"] = int(d["frames"]), float(d["intervalFactor"])
            elif d["action"] == "skip":
                s["skip"] = int(d["frames"])

    def next_timepoint(self, fov):
        """Consumes the plan for the FOV's next time point: a dict with skip (bool), exposure_ms,
        autofocus (bool) and interval_s (the wait before the time point after it)."""
        with self._lock:
            s = self._state(fov)
            if s["skip"] > 0:
                s["skip"] -= 1
                return {"skip": True, "exposure_ms": None, "autofocus": False,
                        "interval_s": self.interval_s}
            autofocus, s["refocus"] = s["refocus"], False
            interval = self.interval_s
            if s["faster"] > 0:
                s["faster"] -= 1
                interval *= s["faster_factor"]
            return {"skip": False, "exposure_ms": self.exposure_ms * s["exposure"],
                    "autofocus": autofocus, "interval_s": interval}


class FramePublisher:
    """Publishes frames to frames.raw, keyed by FOV (which keeps each FOV's frames in order)."""

    def __init__(self, bootstrap="127.0.0.1:9092", topic=TOPIC, pixel_ref_dir=None,
                 pixel_ref_above=INLINE_LIMIT_BYTES):
        self.topic = topic
        self.pixel_ref_dir = pixel_ref_dir
        self.pixel_ref_above = pixel_ref_above
        self.bootstrap = bootstrap
        self.fovs = set()
        self._listeners = []
        try:
            from confluent_kafka import Producer
            # murmur2_random is the Java client's partitioner (murmur2 of the key bytes): a FOV
            # published from Python lands on the same partition as from Java, so it has one
            # normalisation and one tracker. librdkafka's default (consistent_random, CRC32) does not.
            self._p = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": MAX_MESSAGE_BYTES,
                                "enable.idempotence": True, "linger.ms": 5,
                                "partitioner": PARTITIONER})
            self._kind = "confluent"
        except ImportError:
            from kafka import KafkaProducer
            self._p = KafkaProducer(bootstrap_servers=bootstrap, max_request_size=MAX_MESSAGE_BYTES,
                                    acks="all")
            self._kind = "kafka-python"

    def publish(self, fov, frame_index, pixels, on_delivery=None, **meta):
        """Sends one frame keyed by its FOV. on_delivery(error, partition), if given, is called once
        the broker has answered (error None on success), at the latest by flush()."""
        meta.setdefault("pixel_ref_dir", self.pixel_ref_dir)
        meta.setdefault("pixel_ref_above", self.pixel_ref_above)
        value = encode_frame(fov, frame_index, pixels, **meta)
        key = fov.encode("utf-8")
        self.fovs.add(fov)
        if self._kind == "confluent":
            callback = None if on_delivery is None else (
                lambda err, msg: on_delivery(err, None if err else msg.partition()))
            self._p.produce(self.topic, key=key, value=value, on_delivery=callback)
            self._p.poll(0)
        else:
            future = self._p.send(self.topic, key=key, value=value)
            if on_delivery is not None:
                future.add_callback(lambda md: on_delivery(None, md.partition))
                future.add_errback(lambda exc: on_delivery(exc, None))

    def on_directive(self, callback, fovs=None):
        """Calls callback(directive) for every directive the service issues, from now on, for the
        FOVs this publisher publishes (so far or later), or for the given fovs. The directive is
        the CloudEvent as a dict: directive["data"]["action"] is lower_exposure, refocus, faster
        or skip (schemas/README.md). Returns the listener (closed with the publisher)."""
        wanted = set(fovs) if fovs is not None else None
        listener = DirectiveListener(self.bootstrap, callback,
                                     (lambda f: f in wanted) if wanted is not None
                                     else (lambda f: f in self.fovs))
        self._listeners.append(listener)
        return listener

    def flush(self):
        self._p.flush()

    def close(self):
        for listener in self._listeners:
            listener.close()
        self.flush()
        if self._kind == "kafka-python":
            self._p.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


if __name__ == "__main__":
    # `cytostream_hook.py encode OUT`: writes a small example envelope (used by the Java
    # compatibility test, which decodes it).
    if len(sys.argv) == 3 and sys.argv[1] == "encode":
        env = encode_frame("py/pos01/gcamp", 3, [0, 1, 2, 65535, 300, 7], width=3, height=2,
                           pixel_type="uint16", acquisition_time="2026-11-23T10:00:00.5Z",
                           pixel_size_um=0.65, interval_seconds=10.0, channel="gcamp")
        with open(sys.argv[2], "wb") as f:
            f.write(env)
    elif len(sys.argv) == 4 and sys.argv[1] == "encode-ref":
        # `cytostream_hook.py encode-ref OUT DIR`: the same frame sent by reference, its plane
        # written under DIR (used by the Java claim-check compatibility test).
        env = encode_frame("py/pos01/gcamp", 3, [0, 1, 2, 65535, 300, 7], width=3, height=2,
                           pixel_type="uint16", pixel_ref_dir=sys.argv[3], pixel_ref_above=0)
        with open(sys.argv[2], "wb") as f:
            f.write(env)
    elif len(sys.argv) >= 4 and sys.argv[1] == "publish":
        # `cytostream_hook.py publish BOOTSTRAP FOV [FOV...]`: one 4x4 uint16 frame (index 0) per
        # FOV, then prints "FOV PARTITION" per delivered record (used by the partitioning test).
        delivered = []
        with FramePublisher(sys.argv[2]) as pub:
            for fov in sys.argv[3:]:
                pub.publish(fov, 0, list(range(16)), width=4, height=4, pixel_type="uint16",
                            on_delivery=lambda err, part, fov=fov: delivered.append((fov, err, part)))
        for fov, err, part in delivered:
            if err is not None:
                sys.exit("delivery failed: %s" % err)
            print(fov, part)
    else:
        print(__doc__)
