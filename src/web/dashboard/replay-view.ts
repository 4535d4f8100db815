// The dashboard's replay mode: a run of `urbanlab simulate --out` played on the same map. The user
// picks the run's events-<policy>.jsonl files in the page (one per policy, policy against policy):
// the file never leaves the browser, so the service needs no route that reads its disk and no
// setting saying where runs are, a run made on a laptop plays on any dashboard, and a replay costs
// the live service nothing. Stations are drawn by fill (bikes / capacity) at the slider's instant,
// trucks where they are (at a stop or on their way), failures as rings for 15 simulated minutes.
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { num, t } from '../shared/i18n.ts';
import { bikesAt, failuresAt, LogError, parseRunLog, recentFailures, trucksAt, type ReplayRun } from './replay.ts';

export interface ReplayHost {
  map: () => MlMap;
  zone: (system: string) => string;
  timeOf: (epochMs: number, zone: string) => string;
  truckColour: (truck: string, all: string[]) => string;
  /** The page leaves live mode: its live updates stop reaching the map. */
  enter: () => void;
  /** Back to live: the page redraws its own stations, plan and trucks. */
  exit: () => void;
}

const FAILURE_WINDOW_S = 15 * 60;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ReplayState { runs: ReplayRun[]; current: ReplayRun | null; t: number; playing: boolean }

export function initReplay(host: ReplayHost): ReplayState {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const st: ReplayState = { runs: [], current: null, t: 0, playing: false };
  const files = $<HTMLInputElement>('replay-files');
  const policySel = $<HTMLSelectElement>('replay-policy');
  const slider = $<HTMLInputElement>('replay-time');
  const playBtn = $<HTMLButtonElement>('replay-play');
  const speedSel = $<HTMLSelectElement>('replay-speed');
  const drawn = new Map<string, number>();
  let lastFailures = '';
  let lastFrame = 0;

  files.addEventListener('change', async () => {
    const err = $('replay-error');
    err.textContent = '';
    try {
      const runs = await Promise.all([...(files.files ?? [])].map(async (f) => parseRunLog(await f.text(), f.name)));
      if (runs.length === 0) return;
      const a = runs[0]!.run;
      for (const r of runs) if (r.run.system !== a.system || r.run.from !== a.from || r.run.to !== a.to) throw new LogError(`${r.file}: another run (${r.run.system}, ${r.run.from}-${r.run.to}) than ${runs[0]!.file} (${a.system}, ${a.from}-${a.to}): pick the files of one run`);
      start(runs);
    } catch (e) {
      err.textContent = e instanceof LogError ? e.message : `${(e as Error).message}`;
    }
  });
  policySel.addEventListener('change', () => { st.current = st.runs.find((r) => r.run.policy === policySel.value) ?? st.current; show(st.current!); draw(); });
  slider.addEventListener('input', () => { st.t = Number(slider.value); draw(); });
  playBtn.addEventListener('click', () => (st.playing ? pause() : play()));
  $('replay-exit').addEventListener('click', () => stop());

  function start(runs: ReplayRun[]): void {
    st.runs = runs;
    st.current = runs[0]!;
    st.t = st.current.run.from;
    policySel.innerHTML = runs.map((r) => `<option value="${esc(r.run.policy)}">${esc(r.run.policy)}</option>`).join('');
    slider.min = String(st.current.run.from);
    slider.max = String(st.current.run.to);
    slider.step = '60';
    slider.value = String(st.t);
    $('replay-controls').hidden = false;
    document.body.dataset['replay'] = 'on';
    host.enter();
    show(st.current);
    draw();
  }

  /** The run's stations, trucks and failure rings on the map (the live ones off). */
  function show(r: ReplayRun): void {
    const map = host.map();
    drawn.clear();
    lastFailures = '';
    map.removeFeatureState({ source: 'stations' });
    (map.getSource('stations') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: r.run.stations.map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { id: String(s.id), cls: 'none', fill: -1, cap: s.capacity, rule: '' } })),
    });
    (map.getSource('routes') as GeoJSONSource).setData({ type: 'FeatureCollection', features: [] });
    if (!map.getSource('replay-failures')) {
      map.addSource('replay-failures', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({
        id: 'replay-failures', type: 'circle', source: 'replay-failures',
        paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-width': 3, 'circle-stroke-color': ['match', ['get', 'type'], 'failed_rental', '#c0392b', '#1f5fae'], 'circle-stroke-opacity': ['get', 'fade'] },
      });
    }
    let w = Infinity, so = Infinity, e = -Infinity, n = -Infinity;
    for (const s of r.run.stations) { w = Math.min(w, s.lon); e = Math.max(e, s.lon); so = Math.min(so, s.lat); n = Math.max(n, s.lat); }
    if (Number.isFinite(w)) map.fitBounds([[w, so], [e, n]], { padding: 30, duration: 0 });
  }

  /** The map and the controls at st.t. */
  function draw(): void {
    const r = st.current;
    if (!r) return;
    const map = host.map();
    const bikes = bikesAt(r, st.t);
    r.run.stations.forEach((s, i) => {
      const b = bikes[i]!;
      if (drawn.get(String(s.id)) === b) return;
      drawn.set(String(s.id), b);
      map.setFeatureState({ source: 'stations', id: String(s.id) }, { bikes: b, fill: s.capacity > 0 ? Math.min(1, b / s.capacity) : -1 });
    });
    const ids = r.run.trucks.map((x) => x.id);
    (map.getSource('trucks') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: trucksAt(r, st.t).map((x) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [x.lon, x.lat] }, properties: { truck: x.id, colour: host.truckColour(x.id, ids), load: x.load } })),
    });
    const recent = recentFailures(r, st.t, FAILURE_WINDOW_S);
    const key = recent.map((f) => `${f.t}${f.station}${Math.round((st.t - f.t) / 60)}`).join();
    if (key !== lastFailures) {
      lastFailures = key;
      (map.getSource('replay-failures') as GeoJSONSource).setData({
        type: 'FeatureCollection',
        features: recent.map((f) => {
          const s = r.run.stations[r.index.get(f.station)!]!;
          return { type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { type: f.type, fade: 1 - 0.8 * (st.t - f.t) / FAILURE_WINDOW_S } };
        }),
      });
    }
    slider.value = String(st.t);
    const zone = host.zone(r.run.system);
    $('replay-clock').textContent = `${host.timeOf(st.t * 1000, zone)} (${zone})`;
    slider.setAttribute('aria-valuetext', $('replay-clock').textContent);
    // Policy against policy: each loaded run's failures up to this instant.
    $('replay-failures').innerHTML = st.runs.map((x) => {
      const f = failuresAt(x, st.t);
      return `<li${x === r ? ' class="current"' : ''}><b>${esc(x.run.policy)}</b>: ${num(f.rentals + f.returns)} ${esc(t('failuresSoFar'))} (${esc(t('failedRental'))} ${num(f.rentals)}, ${esc(t('failedReturn'))} ${num(f.returns)})</li>`;
    }).join('');
    document.body.dataset['replayT'] = String(st.t);
  }

  function play(): void {
    if (!st.current) return;
    if (st.t >= st.current.run.to) st.t = st.current.run.from;
    st.playing = true;
    playBtn.textContent = t('pause');
    lastFrame = performance.now();
    const tick = (now: number) => {
      if (!st.playing || !st.current) return;
      st.t = Math.min(st.current.run.to, st.t + ((now - lastFrame) / 1000) * Number(speedSel.value));
      lastFrame = now;
      draw();
      if (st.t >= st.current.run.to) pause();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  function pause(): void {
    st.playing = false;
    playBtn.textContent = t('play');
  }

  function stop(): void {
    pause();
    st.runs = [];
    st.current = null;
    files.value = '';
    $('replay-controls').hidden = true;
    delete document.body.dataset['replay'];
    const map = host.map();
    (map.getSource('replay-failures') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: [] });
    host.exit();
  }

  return st;
}
