"""The pymmcore-plus and pycro-manager adapters against stand-ins of those packages (neither can
be installed here): minimal fake modules with the documented API the adapters use —
pymmcore-plus' `core.mda.events.frameReady` signal (img, event, meta) and `core.run_mda(events)`,
useq's `MDAEvent` / `HardwareAutofocus`, pycro-manager's `image_process_fn(image, metadata,
event_queue)` with `metadata["Axes"]`. Run by PythonAdaptersTest (python3 -m unittest)."""
import os
import queue
import sys
import types
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _Signal:
    def __init__(self):
        self._slots = []

    def connect(self, slot):
        self._slots.append(slot)
        return slot

    def emit(self, *args):
        for s in self._slots:
            s(*args)


def _install_stand_ins():
    useq = types.ModuleType("useq")

    class HardwareAutofocus:
        def __init__(self, autofocus_device_name=None, autofocus_motor_offset=None):
            self.autofocus_device_name = autofocus_device_name

    class MDAEvent:
        def __init__(self, index=None, exposure=None, min_start_time=None, pos_name=None,
                     x_pos=None, y_pos=None, action=None):
            self.index, self.exposure, self.min_start_time = dict(index or {}), exposure, min_start_time
            self.pos_name, self.x_pos, self.y_pos, self.action = pos_name, x_pos, y_pos, action

    useq.MDAEvent, useq.HardwareAutofocus = MDAEvent, HardwareAutofocus
    sys.modules["useq"] = useq


_install_stand_ins()
import numpy as np  # noqa: E402
import useq  # noqa: E402
from cytostream_pycromanager import DirectedProcessor  # noqa: E402
from cytostream_pymmcore import MDAFeedback  # noqa: E402


class FakePublisher:
    def __init__(self):
        self.frames, self.callbacks = [], []

    def publish(self, fov, index, pixels, **meta):
        assert pixels.ndim == 2 and meta["acquisition_time"].tzinfo is not None
        self.frames.append((fov, index))

    def on_directive(self, callback, fovs=None):
        self.callbacks.append((callback, set(fovs)))

    def directive(self, fov, action, **data):
        for cb, fovs in self.callbacks:
            if fov in fovs:
                cb({"type": "io.cytostream.directive." + action.replace("_", "-"),
                    "data": dict(data, fov=fov, action=action)})


class FakeCore:
    """CMMCorePlus stand-in: run_mda iterates the events lazily, 'acquires' the image events and
    emits frameReady(img, event, meta); a hook lets the test act between images."""

    def __init__(self):
        self.mda = types.SimpleNamespace(events=types.SimpleNamespace(frameReady=_Signal()))
        self.ran, self.between = [], None

    def run_mda(self, events):
        for event in events:
            self.ran.append(event)
            if isinstance(event.action, useq.HardwareAutofocus):
                continue
            self.mda.events.frameReady.emit(np.zeros((4, 4), np.uint16), event, {})
            if self.between:
                self.between(event)


class PymmcorePlusAdapterTest(unittest.TestCase):
    def test_frames_are_published_and_directives_steer_the_sequence(self):
        core, pub = FakeCore(), FakePublisher()
        loop = MDAFeedback(core, pub, positions=[{"name": "A", "x": 1.0, "y": 2.0}, {"name": "B"}],
                           timepoints=6, interval_s=10, exposure_ms=20, fov_prefix="exp",
                           autofocus_device="AF")

        def between(event):
            if event.index == {"t": 1, "p": 0}:
                pub.directive("exp/A", "lower_exposure", exposureFactor=0.5)
                pub.directive("exp/A", "refocus")
                pub.directive("exp/B", "skip", frames=2)
            if event.index == {"t": 2, "p": 0}:
                pub.directive("exp/A", "faster", intervalFactor=0.5, frames=2)
        core.between = between
        loop.run()

        images = [e for e in core.ran if e.action is None]
        a = [e for e in images if e.pos_name == "A"]
        b = [e for e in images if e.pos_name == "B"]
        self.assertEqual([e.index["t"] for e in a], [0, 1, 2, 3, 4, 5])
        # the skip arrives before B's time point 1 is decided: 1 and 2 are left out
        self.assertEqual([e.index["t"] for e in b], [0, 3, 4, 5])
        self.assertEqual([e.exposure for e in a], [20, 20, 10, 10, 10, 10])
        self.assertEqual([e.min_start_time for e in a], [0, 10, 20, 30, 35, 40],
                         "interval halved for 2 time points after t=2")
        self.assertEqual((a[0].x_pos, a[0].y_pos), (1.0, 2.0))
        focus = [e for e in core.ran if isinstance(e.action, useq.HardwareAutofocus)]
        self.assertEqual(len(focus), 1)
        self.assertEqual((focus[0].pos_name, focus[0].index["t"]), ("A", 2))
        self.assertEqual(focus[0].action.autofocus_device_name, "AF")
        self.assertIs(core.ran[core.ran.index(focus[0]) + 1], a[2], "autofocus right before t=2")
        starts = [e.min_start_time for e in core.ran]
        self.assertEqual(starts, sorted(starts), "events in order of due time")
        self.assertEqual(pub.frames[:3], [("exp/A", 0), ("exp/B", 0), ("exp/A", 1)])
        self.assertEqual(len(pub.frames), len(images))


class PycroManagerAdapterTest(unittest.TestCase):
    def run_acquisition(self, fn, pub, act):
        """pycro-manager stand-in: acquire the first events, then whatever the processor queues,
        until it queues None."""
        q = queue.Queue()
        pending, log = list(fn.first_events()), []
        while pending:
            event = pending.pop(0)
            log.append(event)
            image = np.zeros((4, 4), np.uint16)
            act(event)
            out = fn(image, {"Axes": dict(event["axes"])}, q)
            self.assertIs(out[0], image, "the image goes on to saving and display")
            while not q.empty():
                nxt = q.get()
                if nxt is None:
                    return log, True
                pending.append(nxt)
        return log, False

    def test_frames_are_published_and_directives_shape_the_next_events(self):
        pub, focused = FakePublisher(), []
        fn = DirectedProcessor(pub, positions=2, timepoints=5, interval_s=4, exposure_ms=30,
                               fov_prefix="pm", position_events={1: {"x": 5, "y": 6}},
                               autofocus=focused.append)

        def act(event):
            if event["axes"] == {"time": 0, "position": 0}:
                pub.directive("pm/pos00", "lower_exposure", exposureFactor=0.7)
                pub.directive("pm/pos01", "skip", frames=2)
                pub.directive("pm/pos00", "refocus")
        log, ended = self.run_acquisition(fn, pub, act)
        self.assertTrue(ended, "None queued when every position is done")
        p0 = [e for e in log if e["axes"]["position"] == 0]
        p1 = [e for e in log if e["axes"]["position"] == 1]
        self.assertEqual([e["axes"]["time"] for e in p0], [0, 1, 2, 3, 4])
        self.assertAlmostEqual(p0[1]["exposure"], 21.0)
        self.assertEqual([e["axes"]["time"] for e in p1], [0, 3, 4], "time points 1, 2 skipped")
        self.assertEqual([e["min_start_time"] for e in p1], [0.0, 12.0, 16.0])
        self.assertEqual((p1[1]["x"], p1[1]["y"]), (5, 6))
        self.assertEqual(focused, [0])
        self.assertEqual(len(pub.frames), len(log))
        self.assertIn(("pm/pos01", 3), pub.frames)

    def test_the_processor_has_the_three_argument_signature(self):
        import inspect
        fn = DirectedProcessor(FakePublisher(), 1, 2, 1, 1)
        self.assertEqual(list(inspect.signature(fn).parameters), ["image", "metadata", "event_queue"])


if __name__ == "__main__":
    unittest.main()
