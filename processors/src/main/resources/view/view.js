// cytostream live view: the latest frame of a FOV with its cells' outlines and track ids, the recent
// events, and a clicked cell's trace against the model's prediction.
//
// Data: GET /view/frames (FOVs held here and the frame shown) and its SSE stream /view/stream
// (each FOV's newly shown frame), /fovs/{fov}/contours and
// /fovs/{fov}/frame.png (this page's own endpoints, ViewController), /fovs/{fov}/cells/{track}
// (the query API: the cell's series and events), /events (latest anomalies) and the SSE stream
// /events/stream (anomaly and lifecycle events as they happen).
//
// Progress is written to data attributes of <body> so that a headless browser can check what was
// drawn: data-fov, data-frame, data-contours (outlines drawn), data-track, data-trace-points
// (points of y drawn), data-prediction-points (points of the model's prediction drawn),
// data-events (events listed), data-sse (open|error: the event stream), data-frame-updates (frames
// announced by /view/stream).
// Deep link: /view?fov=demo%2Ffov-1&track=7 selects a FOV and a cell, as a click would.
(function () {
  'use strict';
  const body = document.body;
  const params = new URLSearchParams(location.search);
  const state = {
    fov: params.get('fov'),
    track: params.has('track') ? Number(params.get('track')) : null,
    frame: null,
    contours: null,
    scale: 1,
    image: null,
    plot: null,
    plotTrack: null,
    events: [],
  };
  const canvas = document.getElementById('frame');
  const ctx = canvas.getContext('2d');
  const enc = encodeURIComponent;

  function set(name, value) {
    body.dataset[name] = String(value);
  }

  async function json(url) {
    const r = await fetch(url, { cache: 'no-store' });
    if (!r.ok) {
      throw new Error(url + ': HTTP ' + r.status);
    }
    return r.json();
  }

  function colour(track) {
    if (track == null) {
      return '#e3b341';
    }
    return 'hsl(' + ((track * 137.508) % 360) + ',85%,60%)';
  }

  // ---- FOVs and the frame --------------------------------------------------------------
  async function refreshFovs() {
    let list;
    try {
      list = await json('/view/frames');
    } catch (e) {
      return;
    }
    const nav = document.getElementById('fovs');
    if (nav.dataset.fovs !== list.map((f) => f.fov).join('\n')) {
      nav.dataset.fovs = list.map((f) => f.fov).join('\n');
      nav.replaceChildren(
        ...list.map((f) => {
          const b = document.createElement('button');
          b.textContent = f.fov;
          b.onclick = () => selectFov(f.fov);
          return b;
        })
      );
    }
    if (state.fov == null && list.length > 0) {
      state.fov = list[0].fov;
    }
    for (const b of nav.children) {
      b.classList.toggle('active', b.textContent === state.fov);
    }
    const shown = list.find((f) => f.fov === state.fov);
    if (shown && (shown.frame !== state.frame || state.contours == null)) {
      await loadFrame(shown.frame);
    }
  }

  function selectFov(fov) {
    if (fov === state.fov) {
      return;
    }
    state.fov = fov;
    state.frame = null;
    state.contours = null;
    selectTrack(null);
    refreshFovs();
  }

  async function loadFrame(frame) {
    const fov = state.fov;
    let c;
    try {
      c = await json('/fovs/' + enc(fov) + '/contours?frame=' + frame);
    } catch (e) {
      return; // the frame was dropped meanwhile; the next poll finds the newer one
    }
    const img = new Image();
    img.src = '/fovs/' + enc(fov) + '/frame.png?frame=' + frame;
    try {
      await img.decode();
    } catch (e) {
      return;
    }
    if (fov !== state.fov || (state.frame != null && frame < state.frame)) {
      return; // another FOV chosen, or a newer frame drawn meanwhile
    }
    state.frame = frame;
    state.contours = c;
    state.image = img;
    draw();
    if (state.track != null) {
      loadTrace(); // the series gained a point
    }
  }

  function draw() {
    const c = state.contours;
    const maxSide = Math.min(window.innerWidth - 440, 768);
    const scale = Math.max(1, Math.floor(Math.max(256, maxSide) / Math.max(c.width, c.height)));
    state.scale = scale;
    canvas.width = c.width * scale;
    canvas.height = c.height * scale;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(state.image, 0, 0, canvas.width, canvas.height);
    ctx.lineJoin = 'round';
    ctx.font = Math.max(10, Math.min(14, 4 * scale)) + 'px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    let drawn = 0;
    for (const cell of c.cells) {
      const p = cell.contour;
      if (p.length < 6) {
        continue;
      }
      const selected = state.track != null && cell.track === state.track;
      ctx.beginPath();
      ctx.moveTo(p[0] * scale, p[1] * scale);
      for (let i = 2; i < p.length; i += 2) {
        ctx.lineTo(p[i] * scale, p[i + 1] * scale);
      }
      ctx.closePath();
      ctx.lineWidth = selected ? 4 : 2.5;
      ctx.strokeStyle = 'rgba(0,0,0,0.6)';
      ctx.stroke();
      ctx.lineWidth = selected ? 2.5 : 1.2;
      ctx.strokeStyle = selected ? '#ffffff' : colour(cell.track);
      ctx.stroke();
      drawn++;
      if (cell.track != null) {
        const [x, y] = centre(p);
        ctx.lineWidth = 3;
        ctx.strokeStyle = 'rgba(0,0,0,0.8)';
        ctx.strokeText(String(cell.track), x * scale, y * scale);
        ctx.fillStyle = selected ? '#ffffff' : colour(cell.track);
        ctx.fillText(String(cell.track), x * scale, y * scale);
      }
    }
    document.getElementById('frame-title').textContent =
      c.fov + ' — frame ' + c.frame + ' — ' + drawn + ' cells' + (c.tracked ? '' : ' (track ids pending)');
    set('fov', c.fov);
    set('frame', c.frame);
    set('contours', drawn);
  }

  function centre(p) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < p.length; i += 2) {
      minX = Math.min(minX, p[i]);
      maxX = Math.max(maxX, p[i]);
      minY = Math.min(minY, p[i + 1]);
      maxY = Math.max(maxY, p[i + 1]);
    }
    return [(minX + maxX) / 2, (minY + maxY) / 2];
  }

  // even-odd ray casting on the outline's corners (pixel-corner coordinates)
  function inside(p, x, y) {
    let hit = false;
    for (let i = 0, j = p.length - 2; i < p.length; j = i, i += 2) {
      const xi = p[i], yi = p[i + 1], xj = p[j], yj = p[j + 1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
        hit = !hit;
      }
    }
    return hit;
  }

  canvas.addEventListener('click', (ev) => {
    if (!state.contours) {
      return;
    }
    const r = canvas.getBoundingClientRect();
    const x = ((ev.clientX - r.left) * (canvas.width / r.width)) / state.scale;
    const y = ((ev.clientY - r.top) * (canvas.height / r.height)) / state.scale;
    const cell = state.contours.cells.find((c) => inside(c.contour, x, y));
    if (cell && cell.track != null) {
      selectTrack(cell.track);
    }
  });

  // ---- the selected cell's trace ------------------------------------------------------
  function selectTrack(track) {
    state.track = track;
    const url = new URL(location.href);
    if (state.fov != null) {
      url.searchParams.set('fov', state.fov);
    }
    if (track == null) {
      url.searchParams.delete('track');
    } else {
      url.searchParams.set('track', track);
    }
    history.replaceState(null, '', url);
    if (state.contours) {
      draw();
    }
    if (track == null) {
      if (state.plot) {
        state.plot.destroy();
        state.plot = null;
        state.plotTrack = null;
      }
      document.getElementById('cell-title').textContent = 'no cell selected';
      document.getElementById('cell-events').replaceChildren();
      set('track', '');
      set('tracePoints', 0);
      set('predictionPoints', 0);
      return;
    }
    loadTrace();
  }

  let traceLoading = false;
  async function loadTrace() {
    if (traceLoading || state.track == null) {
      return;
    }
    traceLoading = true;
    const fov = state.fov;
    const track = state.track;
    try {
      const cell = await json('/fovs/' + enc(fov) + '/cells/' + track);
      if (fov === state.fov && track === state.track) {
        plotTrace(cell);
      }
    } catch (e) {
      document.getElementById('cell-title').textContent =
        fov + ' — cell ' + track + ': no series (' + e.message + ')';
    } finally {
      traceLoading = false;
    }
  }

  function plotTrace(cell) {
    const series = cell.series || [];
    const xs = series.map((s) => s.frame);
    const ys = series.map((s) => (s.y == null ? null : s.y));
    const ps = series.map((s) => (s.yPredicted == null ? null : s.yPredicted));
    const el = document.getElementById('trace');
    const data = [xs, ys, ps];
    if (state.plot && state.plotTrack === cell.fov + '#' + cell.track) {
      state.plot.setData(data);
    } else {
      if (state.plot) {
        state.plot.destroy();
      }
      state.plot = new uPlot(
        {
          width: Math.max(360, el.clientWidth || 420),
          height: 260,
          scales: { x: { time: false } },
          axes: [{ label: 'frame' }, { label: 'intensity y (normalised)' }],
          series: [
            { label: 'frame' },
            { label: 'y (measured)', stroke: '#1f6feb', width: 2, points: { show: xs.length < 60 } },
            { label: 'model prediction', stroke: '#d1242f', width: 1.5, dash: [6, 4], spanGaps: false },
          ],
        },
        data,
        el
      );
      state.plotTrack = cell.fov + '#' + cell.track;
    }
    const points = ys.filter((v) => v != null).length;
    document.getElementById('cell-title').textContent =
      cell.fov + ' — cell ' + cell.track + ' — ' + points + ' frames';
    const list = document.getElementById('cell-events');
    list.replaceChildren(...(cell.events || []).slice(-20).reverse().map(eventItem));
    set('track', cell.track);
    set('tracePoints', points);
    set('predictionPoints', ps.filter((v) => v != null).length);
  }

  // ---- events -------------------------------------------------------------------------
  function eventItem(e) {
    const li = document.createElement('li');
    const d = e.data || {};
    const lifecycle = String(e.type || '').includes('.lifecycle.');
    li.className = lifecycle ? 'lifecycle' : 'anomaly';
    const b = document.createElement('b');
    b.textContent = d.kind || e.type;
    li.append(b, ' ' + (d.fov || '') + ' frame ' + d.frame + (d.trackId ? ' cell ' + d.trackId : '') + ' — ' + (d.reason || d.detail || ''));
    if (d.trackId && d.fov) {
      li.style.cursor = 'pointer';
      li.onclick = () => {
        selectFov(d.fov);
        selectTrack(d.trackId);
      };
    }
    return li;
  }

  function addEvent(e) {
    state.events.push(e);
    if (state.events.length > 100) {
      state.events.shift();
    }
    const list = document.getElementById('events');
    list.prepend(eventItem(e));
    while (list.children.length > 100) {
      list.lastChild.remove();
    }
    set('events', state.events.length);
    const d = e.data || {};
    if (state.track != null && d.fov === state.fov && d.trackId === state.track) {
      loadTrace();
    }
  }

  async function start() {
    set('contours', 0);
    set('tracePoints', 0);
    set('events', 0);
    try {
      (await json('/events?limit=30')).forEach(addEvent);
    } catch (e) {
      // no recent-events reader: the stream below still works
    }
    const status = document.getElementById('status');
    if (window.EventSource) {
      const es = new EventSource('/events/stream');
      es.onopen = () => {
        status.textContent = 'live';
        status.classList.add('live');
        set('sse', 'open');
      };
      es.onerror = () => {
        status.textContent = 'reconnecting…';
        status.classList.remove('live');
        set('sse', 'error');
      };
      const onEvent = (m) => {
        try {
          addEvent(JSON.parse(m.data));
        } catch (err) {
          // not a CloudEvent: ignore
        }
      };
      es.addEventListener('anomaly', onEvent);
      es.addEventListener('lifecycle', onEvent);
    }
    await refreshFovs();
    if (state.track != null) {
      selectTrack(state.track);
    }
    // new frames arrive over SSE; a slow poll covers a dropped stream
    set('frameUpdates', 0);
    if (window.EventSource) {
      let updates = 0;
      const frames = new EventSource('/view/stream');
      frames.addEventListener('frame', (m) => {
        const f = JSON.parse(m.data);
        set('frameUpdates', ++updates);
        if (f.fov === state.fov && f.frame !== state.frame) {
          loadFrame(f.frame);
        } else if (!(document.getElementById('fovs').dataset.fovs || '').split('\n').includes(f.fov)) {
          refreshFovs();
        }
      });
    }
    setInterval(refreshFovs, 10000);
  }

  start();
})();
