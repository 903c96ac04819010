"""pymmcore-plus adapter: publish every frame of an MDA to cytostream and let the service's
directives steer the acquisition.

    from pymmcore_plus import CMMCorePlus
    from cytostream_hook import FramePublisher
    from cytostream_pymmcore import MDAFeedback

    core = CMMCorePlus.instance(); core.loadSystemConfiguration()
    with FramePublisher("127.0.0.1:9092") as pub:
        loop = MDAFeedback(core, pub, positions=[{"name": "pos01", "x": 0, "y": 0}],
                           timepoints=100, interval_s=10, exposure_ms=20, fov_prefix="exp1")
        loop.run()   # core.run_mda(loop.events()); returns its thread

Frames: the adapter connects to `core.mda.events.frameReady` (img, event[, meta]) and publishes
each image as frame `event.index["t"]` of FOV `<fov_prefix>/<position name>` (acquisition time:
when the signal fires). Directives: `events()` is the MDA's event iterable, built one event at a
time in order of due time (`useq.MDAEvent` with `index`, `pos_name`, `x_pos`, `y_pos`, `exposure`,
`min_start_time`), consulting an AcquisitionPlan fed by `publisher.on_directive`: lower_exposure
shortens `exposure`, refocus inserts an event whose `action` is `useq.HardwareAutofocus`, faster
shortens the position's interval for N time points, skip leaves N time points of it out.
Needs pymmcore-plus and useq-schema (not installed here; tested with stand-ins).
"""
import datetime as _dt
import heapq

from cytostream_hook import AcquisitionPlan


class MDAFeedback:
    def __init__(self, core, publisher, positions, timepoints, interval_s, exposure_ms,
                 fov_prefix="mda", autofocus_device=None, listen=True):
        self.core, self.publisher = core, publisher
        self.positions = [dict(p, name=p.get("name") or "pos%02d" % i) for i, p in enumerate(positions)]
        self.timepoints, self.fov_prefix = int(timepoints), fov_prefix
        self.autofocus_device = autofocus_device
        self.plan = AcquisitionPlan(interval_s, exposure_ms)
        self.published = []
        core.mda.events.frameReady.connect(self._on_frame)
        if listen:
            publisher.on_directive(self.plan.apply, fovs=[self.fov(p) for p in self.positions])

    def fov(self, position):
        return "%s/%s" % (self.fov_prefix, position["name"])

    def _on_frame(self, img, event, meta=None):
        index = dict(event.index)
        position = self.positions[index.get("p", 0)]
        fov = self.fov(position)
        self.publisher.publish(fov, index.get("t", 0), img,
                               acquisition_time=_dt.datetime.now(_dt.timezone.utc))
        self.published.append((fov, index.get("t", 0)))

    def events(self):
        """The MDA's events, each decided when the runner asks for it."""
        import useq
        due = [(0.0, p, 0) for p in range(len(self.positions))]  # (time s, position, time point)
        heapq.heapify(due)
        while due:
            start, p, t = heapq.heappop(due)
            position = self.positions[p]
            step = self.plan.next_timepoint(self.fov(position))
            if not step["skip"]:
                where = {"pos_name": position["name"], "x_pos": position.get("x"),
                         "y_pos": position.get("y")}
                if step["autofocus"]:
                    yield useq.MDAEvent(index={"t": t, "p": p}, min_start_time=start,
                                        action=useq.HardwareAutofocus(
                                            autofocus_device_name=self.autofocus_device),
                                        **where)
                yield useq.MDAEvent(index={"t": t, "p": p}, exposure=step["exposure_ms"],
                                    min_start_time=start, **where)
            if t + 1 < self.timepoints:
                heapq.heappush(due, (start + step["interval_s"], p, t + 1))

    def run(self):
        return self.core.run_mda(self.events())
