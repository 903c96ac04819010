"""pycro-manager adapter: an `image_process_fn` that publishes every image to cytostream and,
given the acquisition's event queue, schedules each position's next time point as the service's
directives say.

    from pycromanager import Acquisition
    from cytostream_hook import FramePublisher
    from cytostream_pycromanager import DirectedProcessor

    pub = FramePublisher("127.0.0.1:9092")
    fn = DirectedProcessor(pub, positions=2, timepoints=100, interval_s=10, exposure_ms=20,
                           fov_prefix="exp1")
    acq = Acquisition(directory="data", name="run", image_process_fn=fn)
    acq.acquire(fn.first_events())   # later events come from fn through the event queue

Frames: image (numpy) and metadata (`metadata["Axes"]`: `time`, `position`) → frame `time` of FOV
`<fov_prefix>/pos<position>`. Directives (pycro-manager's three-argument form `(image, metadata,
event_queue)`): after each image the next time point of its position goes into `event_queue` as an
acquisition event `{"axes": {"time", "position"}, "exposure", "min_start_time"}` (plus the
position's own keys from `position_events`); lower_exposure shortens `exposure`, faster the
interval, skip leaves time points out, refocus calls `autofocus(position)` (e.g. `lambda p:
core.full_focus()`) before the next event is queued. When every position is done it puts None
(the end of the acquisition). Needs pycro-manager (not installed here; tested with stand-ins).
"""
import datetime as _dt

from cytostream_hook import AcquisitionPlan


class DirectedProcessor:
    def __init__(self, publisher, positions, timepoints, interval_s, exposure_ms, fov_prefix="pm",
                 position_events=None, autofocus=None, listen=True):
        self.publisher, self.positions = publisher, int(positions)
        self.timepoints, self.fov_prefix = int(timepoints), fov_prefix
        self.position_events = position_events or {}
        self.autofocus = autofocus
        self.plan = AcquisitionPlan(interval_s, exposure_ms)
        self._next_start = {}
        self._done = set()
        if listen:
            publisher.on_directive(self.plan.apply,
                                   fovs=[self.fov(p) for p in range(self.positions)])

    def fov(self, position):
        return "%s/pos%02d" % (self.fov_prefix, position)

    def _event(self, position, t, start, exposure_ms):
        event = {"axes": {"time": t, "position": position}, "min_start_time": start,
                 "exposure": exposure_ms}
        event.update(self.position_events.get(position, {}))
        return event

    def first_events(self):
        """Time point 0 of every position."""
        out = []
        for p in range(self.positions):
            step = self.plan.next_timepoint(self.fov(p))
            self._next_start[p] = step["interval_s"]
            out.append(self._event(p, 0, 0.0, step["exposure_ms"]))
        return out

    def __call__(self, image, metadata, event_queue=None):
        axes = metadata["Axes"]
        t, p = int(axes.get("time", 0)), int(axes.get("position", 0))
        self.publisher.publish(self.fov(p), t, image,
                               acquisition_time=_dt.datetime.now(_dt.timezone.utc))
        if event_queue is not None:
            self._schedule(p, t + 1, event_queue)
        return image, metadata

    def _schedule(self, p, t, event_queue):
        start = self._next_start.get(p, 0.0)
        while t < self.timepoints:
            step = self.plan.next_timepoint(self.fov(p))
            if step["skip"]:
                start += step["interval_s"]
                t += 1
                continue
            if step["autofocus"] and self.autofocus is not None:
                self.autofocus(p)
            self._next_start[p] = start + step["interval_s"]
            event_queue.put(self._event(p, t, start, step["exposure_ms"]))
            return
        self._done.add(p)
        if len(self._done) == self.positions:
            event_queue.put(None)  # every position is done: the acquisition ends
