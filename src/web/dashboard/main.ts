// The dispatcher's dashboard (/): the map of a system's stations (class or fill, sized by capacity)
// over a base layer the service serves itself (Seoul's districts and dongs; elsewhere a plain land
// background around the stations), the trucks, their planned routes and next stops, the day's KPIs,
// alerts, the drivers' reports, and one station's charts. Everything comes from the public API and
// its event stream; nothing is fetched from anywhere else.
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap } from 'maplibre-gl';
// MapLibre's worker is a file of its own: bundled into the build and loaded from the service.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { api, ApiError, enc, type ForecastBand, type History, type Kpis, type Plan, type Report, type ServiceEvent, type Station, type StationTargets, type StatusEvent, type SystemInfo, type Truck } from '../shared/api.ts';
import { svgChart } from '../shared/chart.ts';
import { currentLang, initialLang, num, setLang, t, timeOf, translatePage, type Lang } from '../shared/i18n.ts';
import { initReplay, type ReplayState } from './replay-view.ts';

// MapLibre (1 MB of script) is fetched and evaluated beside the first API calls, not before them
// (a static import is evaluated before this module's first line runs): on a loaded machine its
// evaluation took seconds during which no request had started.
const maplibre = import('maplibre-gl');

const CLASS_COLOURS = { shortage: '#c0392b', surplus: '#1f5fae', balanced: '#2e7d32', none: '#7b8794' } as const;
const TRUCK_COLOURS = ['#8e44ad', '#d35400', '#16a085', '#2c3e50', '#c2185b', '#7f6000', '#00838f', '#5d4037'];

interface Alert { station_id: string; name: string | null; state: 'empty' | 'full'; since: string; minutes: number; since_window_start: boolean }

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const state = {
  system: null as SystemInfo | null,
  stations: new Map<string, Station>(),
  rules: new Map<string, 'pin' | 'forbid'>(),
  plan: null as Plan | null,
  trucks: [] as Truck[],
  reports: [] as Report[],
  kpis: null as Kpis | null,
  lastWeek: null as Kpis | null,
  alerts: [] as Alert[],
  mode: 'class' as 'class' | 'fill',
  token: localStorage.getItem('urbanlab.operatorToken'),
  role: null as string | null,
  selected: null as string | null,
  statusEvents: 0,
  lastEventAt: null as string | null,
  live: false,
  /** True while a simulated run plays on the map: live events keep the page's state, not the map. */
  replay: false,
};
let replay: ReplayState | null = null;

let map: MlMap;
let events: EventSource | null = null;
let redrawQueued = false;

/** For tests and the benchmark: read-only views of what the page shows. */
declare global { interface Window { urbanlab?: unknown } }

async function main(): Promise<void> {
  setLang(initialLang());
  const langSel = $<HTMLSelectElement>('lang');
  langSel.value = currentLang();
  langSel.addEventListener('change', () => { setLang(langSel.value as Lang); renderAll(); });
  const modeSel = $<HTMLSelectElement>('mode');
  modeSel.addEventListener('change', () => { state.mode = modeSel.value as 'class' | 'fill'; queueRedraw(); applyColours(); renderLegend(); });
  $('login').addEventListener('submit', (e) => { e.preventDefault(); void signIn($<HTMLInputElement>('token').value.trim()); });
  translatePage();
  window.urbanlab = {
    get map() { return map; },
    station: (id: string) => state.stations.get(id),
    /** A station as drawn: its feature's properties with the live feature state over them (the fill is current in fill mode only). */
    feature: (id: string) => {
      const f = map.querySourceFeatures('stations', { filter: ['==', ['get', 'id'], id] })[0];
      return f ? { ...f.properties, ...map.getFeatureState({ source: 'stations', id }) } : undefined;
    },
    select: (id: string) => selectStation(id),
    replay: () => (replay ? { t: replay.t, policy: replay.current?.run.policy ?? null, playing: replay.playing } : null),
    counts: () => ({ stations: state.stations.size, statusEvents: state.statusEvents, trucks: state.trucks.length, reports: state.reports.length }),
  };

  const { systems } = await api<{ systems: SystemInfo[] }>('/systems');
  const sel = $<HTMLSelectElement>('system');
  sel.innerHTML = systems.map((s) => `<option value="${esc(s.id)}">${esc(s.name)} (${esc(s.id)})</option>`).join('');
  const wanted = new URLSearchParams(location.search).get('system');
  const first = systems.find((s) => s.id === wanted) ?? systems[0];
  if (!first) { $('kpis').textContent = t('nothing'); return; }
  sel.value = first.id;
  sel.addEventListener('change', () => { location.search = `?system=${enc(sel.value)}`; });
  state.system = first;
  const signedIn = state.token ? signIn(state.token, true) : Promise.resolve();
  await loadSystem();
  await signedIn;
}

async function signIn(token: string, quiet = false): Promise<void> {
  if (!token) return;
  try {
    const who = await api<{ role: string }>('/whoami', { token });
    if (who.role === 'driver') throw new ApiError(403, 'a driver token: use /driver');
    state.token = token;
    state.role = who.role;
    localStorage.setItem('urbanlab.operatorToken', token);
  } catch (err) {
    state.token = null;
    state.role = null;
    localStorage.removeItem('urbanlab.operatorToken');
    if (!quiet) $('who').textContent = (err as Error).message;
    return;
  }
  $('login').hidden = true;
  renderWho();
  if (state.system) { await loadReports(); renderReports(); }
}

async function loadSystem(): Promise<void> {
  const sys = state.system!;
  // The map (its WebGL context, its worker, its style) starts while the API answers.
  const mapReady = maplibre.then(createMap);
  const [stations, rules, plan, trucks, districts, dongs] = await Promise.all([
    api<{ stations: Station[] }>(`/systems/${enc(sys.id)}/stations?hours=0`),
    api<{ rules: { station_id: string; rule: 'pin' | 'forbid' }[] }>(`/systems/${enc(sys.id)}/station-rules`),
    api<Plan>(`/systems/${enc(sys.id)}/plan`),
    api<{ trucks: Truck[] }>(`/systems/${enc(sys.id)}/trucks`),
    api<GeoJSON.FeatureCollection>(`/systems/${enc(sys.id)}/boundaries?level=district`),
    api<GeoJSON.FeatureCollection>(`/systems/${enc(sys.id)}/boundaries?level=dong`),
  ]);
  performance.mark('urbanlab:api-loaded');
  state.stations = new Map(stations.stations.map((s) => [s.station_id, s]));
  state.rules = new Map(rules.rules.map((r) => [r.station_id, r.rule]));
  state.plan = plan;
  state.trucks = trucks.trucks;
  await mapReady;
  showData(districts, dongs);
  connectEvents();
  renderAll();
  void loadReports().then(renderReports);
  void mapLoaded.then(() => {
    replay = initReplay({
      map: () => map,
      zone: (system) => (system === state.system?.id ? state.system.timezone : 'UTC'),
      timeOf: (ms, zone) => timeOf(ms, zone),
      truckColour: (truck, all) => TRUCK_COLOURS[Math.max(0, all.indexOf(truck)) % TRUCK_COLOURS.length]!,
      enter: () => {
        state.replay = true;
        $<HTMLSelectElement>('mode').value = 'fill';
        state.mode = 'fill';
        applyColours();
        renderLegend();
      },
      exit: () => {
        state.replay = false;
        resetStations();
        redrawPlan();
        const bounds = extentOf();
        if (bounds) map.fitBounds(bounds, { padding: 30, duration: 0 });
      },
    });
  });
  // The KPI queries are the service's slowest (seconds on a loaded machine) and share its CPU with
  // the page: asked once the map has drawn the stations (or after 3 s), not in the first paint's way.
  void new Promise<void>((resolve) => { void mapLoaded.then(() => map.once('idle', () => resolve())); setTimeout(resolve, 3000); }).then(() => {
    void refreshKpis();
    setInterval(() => void refreshKpis(), 60_000);
  });
}

function stationFeatures(): GeoJSON.FeatureCollection<GeoJSON.Point> {
  const features: GeoJSON.Feature<GeoJSON.Point>[] = [];
  for (const s of state.stations.values()) {
    if (s.lat === null || s.lon === null) continue;
    const total = (s.bikes ?? 0) + (s.docks ?? 0);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: {
        id: s.station_id, cls: s.class ?? 'none', fill: fillOf(s), cap: s.capacity ?? total, rule: state.rules.get(s.station_id) ?? '',
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

function extentOf(): [[number, number], [number, number]] | null {
  let w = Infinity, so = Infinity, e = -Infinity, n = -Infinity;
  for (const s of state.stations.values()) {
    if (s.lat === null || s.lon === null) continue;
    w = Math.min(w, s.lon); e = Math.max(e, s.lon); so = Math.min(so, s.lat); n = Math.max(n, s.lat);
  }
  return Number.isFinite(w) ? [[w, so], [e, n]] : null;
}

function colourExpression(): ExpressionSpecification {
  if (state.mode === 'fill') {
    const fill: ExpressionSpecification = ['coalesce', ['feature-state', 'fill'], ['get', 'fill']];
    return ['case', ['<', fill, 0], CLASS_COLOURS.none, ['interpolate', ['linear'], fill, 0, '#c0392b', 0.15, '#e67e22', 0.5, '#f1c40f', 0.85, '#5dade2', 1, '#1f5fae']];
  }
  return ['match', ['get', 'cls'], 'shortage', CLASS_COLOURS.shortage, 'surplus', CLASS_COLOURS.surplus, 'balanced', CLASS_COLOURS.balanced, CLASS_COLOURS.none];
}

let mapLoaded: Promise<void>;

/** The map, empty, before the stations are known; `showData` frames and fills it. */
function createMap(maplibregl: typeof import('maplibre-gl')): void {
  maplibregl.setWorkerUrl(workerUrl);
  map = new maplibregl.Map({
    container: 'map',
    // No tile server: a land-coloured background, the system's own boundaries where it has them.
    style: { version: 8, sources: {}, layers: [{ id: 'land', type: 'background', paint: { 'background-color': '#eef0ea' } }] },
    center: [0, 0], zoom: 1,
    attributionControl: false,
    fadeDuration: 0,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
  mapLoaded = new Promise((resolve) => map.once('load', () => { performance.mark('urbanlab:map-load'); resolve(); }));
}

/** The system on the map: framed on its stations, its boundaries, stations, routes and trucks. */
function showData(districts: GeoJSON.FeatureCollection, dongs: GeoJSON.FeatureCollection): void {
  const bounds = extentOf();
  if (bounds) map.fitBounds(bounds, { padding: 30, duration: 0 });
  void mapLoaded.then(() => {
    map.addSource('dongs', { type: 'geojson', data: dongs });
    map.addSource('districts', { type: 'geojson', data: districts });
    map.addLayer({ id: 'dong-fill', type: 'fill', source: 'dongs', paint: { 'fill-color': '#f7f7f2', 'fill-outline-color': '#d0d3c8' } });
    map.addLayer({ id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': '#9aa39a', 'line-width': 1.2 } });
    // Live counts and rules go in as feature state (no re-tiling of 2,700 points per event); the
    // source's data changes only with the station list or the targets.
    map.addSource('stations', { type: 'geojson', data: stationFeatures(), promoteId: 'id' });
    map.addSource('routes', { type: 'geojson', data: routeFeatures() });
    map.addSource('trucks', { type: 'geojson', data: truckFeatures() });
    map.addLayer({ id: 'routes', type: 'line', source: 'routes', paint: { 'line-color': ['get', 'colour'], 'line-width': 2.5, 'line-opacity': 0.8 } });
    map.addLayer({
      id: 'stations', type: 'circle', source: 'stations',
      paint: {
        'circle-color': colourExpression(),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, ['interpolate', ['linear'], ['get', 'cap'], 0, 2, 40, 6], 16, ['interpolate', ['linear'], ['get', 'cap'], 0, 5, 40, 16]],
        'circle-stroke-color': ['match', ['coalesce', ['feature-state', 'rule'], ['get', 'rule']], 'pin', '#f0b400', 'forbid', '#000000', '#ffffff'],
        'circle-stroke-width': ['match', ['coalesce', ['feature-state', 'rule'], ['get', 'rule']], 'pin', 3, 'forbid', 3, 0.6],
      },
    });
    map.addLayer({ id: 'next-stops', type: 'circle', source: 'routes', filter: ['==', ['get', 'kind'], 'next'], paint: { 'circle-radius': 10, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': ['get', 'colour'], 'circle-stroke-width': 3 } });
    map.addLayer({ id: 'trucks', type: 'circle', source: 'trucks', paint: { 'circle-radius': 8, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
    map.on('click', 'stations', (e) => { const id = e.features?.[0]?.properties?.['id']; if (typeof id === 'string') void selectStation(id); });
    map.on('mouseenter', 'stations', () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', 'stations', () => { map.getCanvas().style.cursor = ''; });
    document.body.dataset['mapReady'] = 'true';
    map.once('idle', () => performance.mark('urbanlab:map-idle'));
  });
}

function truckColour(truck: string): string {
  const i = state.system?.trucks.indexOf(truck) ?? 0;
  return TRUCK_COLOURS[(i < 0 ? 0 : i) % TRUCK_COLOURS.length]!;
}

function routeFeatures(): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  for (const r of state.plan?.routes ?? []) {
    const truck = state.trucks.find((x) => x.truck === r.truck);
    const colour = truckColour(r.truck);
    const coords: [number, number][] = [];
    if (truck?.position) coords.push([truck.position.lon, truck.position.lat]);
    else if (r.start) coords.push([r.start.lon, r.start.lat]);
    const ahead = truck?.next_stop ? r.stops.filter((s) => s.seq >= truck.next_stop!.seq) : r.stops;
    for (const s of ahead) coords.push([s.lon, s.lat]);
    if (coords.length >= 2) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: { truck: r.truck, colour, kind: 'route' } });
    if (truck?.next_stop) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [truck.next_stop.lon, truck.next_stop.lat] }, properties: { truck: r.truck, colour, kind: 'next' } });
  }
  return { type: 'FeatureCollection', features };
}

function truckFeatures(): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  for (const tr of state.trucks) {
    const route = state.plan?.routes.find((r) => r.truck === tr.truck);
    const at = tr.position ?? route?.start;
    if (!at) continue;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [at.lon, at.lat] }, properties: { truck: tr.truck, colour: truckColour(tr.truck) } });
  }
  return { type: 'FeatureCollection', features };
}

const dirtyCounts = new Set<string>();
const dirtyRules = new Set<string>();
/** True while the map's fills lag the counts (class mode draws no count: they are not sent then). */
let fillsStale = false;

const fillOf = (s: Station) => {
  const total = (s.bikes ?? 0) + (s.docks ?? 0);
  return s.bikes === null || total === 0 ? -1 : (s.bikes ?? 0) / total;
};

/**
 * The stations whose counts or rule changed are re-styled at the next frame (one batch per frame).
 * Only what the paint reads goes into feature state: a count change is sent only when the map is
 * coloured by fill. MapLibre rebuilds a feature's paint data on every state change, and 2,700
 * changes per poll cost frames for nothing in class mode (bench/dashboard.ts measures both modes).
 */
function queueRedraw(counts: Iterable<string> = [], rules: Iterable<string> = []): void {
  for (const id of counts) dirtyCounts.add(id);
  for (const id of rules) dirtyRules.add(id);
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(() => {
    redrawQueued = false;
    if (state.replay) fillsStale = true; // the replay's stations are on the map; resetStations redraws these after
    else if (map.getSource('stations')) {
      if (state.mode === 'fill') {
        if (fillsStale) { for (const id of state.stations.keys()) dirtyCounts.add(id); fillsStale = false; }
        for (const id of dirtyCounts) {
          const s = state.stations.get(id);
          if (s) map.setFeatureState({ source: 'stations', id }, { fill: fillOf(s) });
        }
      } else if (dirtyCounts.size > 0) fillsStale = true;
      for (const id of dirtyRules) map.setFeatureState({ source: 'stations', id }, { rule: state.rules.get(id) ?? '' });
    }
    dirtyCounts.clear();
    dirtyRules.clear();
    renderKpisNow();
    renderLive();
  });
}

/** The whole station list anew (after a targets run: classes changed). */
function resetStations(): void {
  map.removeFeatureState({ source: 'stations' });
  fillsStale = false;
  (map.getSource('stations') as GeoJSONSource | undefined)?.setData(stationFeatures());
  queueRedraw();
}

function applyColours(): void {
  if (map.getLayer('stations')) map.setPaintProperty('stations', 'circle-color', colourExpression());
}

function redrawPlan(): void {
  if (state.replay) return;
  (map.getSource('routes') as GeoJSONSource | undefined)?.setData(routeFeatures());
  (map.getSource('trucks') as GeoJSONSource | undefined)?.setData(truckFeatures());
  renderTrucks();
}

function connectEvents(): void {
  events?.close();
  events = new EventSource(`/api/v1/events?system=${enc(state.system!.id)}`);
  events.addEventListener('open', () => { state.live = true; renderLive(); });
  events.addEventListener('error', () => { state.live = false; renderLive(); });
  events.addEventListener('status', (m) => {
    const e = JSON.parse((m as MessageEvent<string>).data) as ServiceEvent<StatusEvent>;
    for (const c of e.data.changed) {
      const s = state.stations.get(c.station_id);
      if (s) { s.bikes = c.bikes; s.docks = c.docks; s.updated_at = e.data.observed_at; }
    }
    state.statusEvents++;
    state.lastEventAt = e.at;
    queueRedraw(e.data.changed.map((c) => c.station_id));
    if (state.selected && e.data.changed.some((c) => c.station_id === state.selected)) void selectStation(state.selected);
  });
  events.addEventListener('targets', () => void reloadStations());
  events.addEventListener('plan', () => void reloadPlan());
  events.addEventListener('truck', () => void reloadPlan());
  events.addEventListener('report', (m) => {
    const e = JSON.parse((m as MessageEvent<string>).data) as ServiceEvent<Report>;
    if (!state.reports.some((r) => r.report_id === e.data.report_id)) state.reports.push(e.data);
    renderReports();
    void reloadPlan();
    void refreshKpis();
  });
  events.addEventListener('station', (m) => {
    const e = JSON.parse((m as MessageEvent<string>).data) as ServiceEvent<{ station_id: string; rule: 'pin' | 'forbid' | 'none' }>;
    if (e.data.rule === 'none') state.rules.delete(e.data.station_id);
    else state.rules.set(e.data.station_id, e.data.rule);
    queueRedraw([], [e.data.station_id]);
    if (state.selected === e.data.station_id) void selectStation(state.selected);
  });
}

async function reloadStations(): Promise<void> {
  const { stations } = await api<{ stations: Station[] }>(`/systems/${enc(state.system!.id)}/stations?hours=0`);
  // A status event that came while this list was on its way is newer than the list: its counts stay.
  for (const s of stations) {
    const held = state.stations.get(s.station_id);
    if (held?.updated_at && (!s.updated_at || Date.parse(held.updated_at) > Date.parse(s.updated_at))) { s.bikes = held.bikes; s.docks = held.docks; s.updated_at = held.updated_at; }
  }
  state.stations = new Map(stations.map((s) => [s.station_id, s]));
  if (map.getSource('stations') && !state.replay) resetStations();
}

async function reloadPlan(): Promise<void> {
  const sys = enc(state.system!.id);
  const [plan, trucks] = await Promise.all([api<Plan>(`/systems/${sys}/plan`), api<{ trucks: Truck[] }>(`/systems/${sys}/trucks`)]);
  state.plan = plan;
  state.trucks = trucks.trucks;
  redrawPlan();
}

async function loadReports(): Promise<void> {
  if (!state.token) return;
  try {
    state.reports = (await api<{ reports: Report[] }>(`/systems/${enc(state.system!.id)}/reports`, { token: state.token })).reports;
  } catch (err) {
    $('reports-note').textContent = (err as Error).message;
  }
}

let kpiBusy = false;
async function refreshKpis(): Promise<void> {
  if (kpiBusy) return;
  kpiBusy = true;
  try {
    const sys = enc(state.system!.id);
    const [k, w, a] = await Promise.all([api<Kpis>(`/systems/${sys}/kpis`), api<Kpis>(`/systems/${sys}/kpis/last-week`), api<{ alerts: Alert[] }>(`/systems/${sys}/alerts?minutes=10`)]);
    state.kpis = k;
    state.lastWeek = w;
    state.alerts = a.alerts;
    renderKpisNow();
    renderAlerts();
  } finally {
    kpiBusy = false;
  }
}

// ---- rendering ----

function renderAll(): void {
  translatePage();
  renderWho();
  renderKpisNow();
  renderLegend();
  renderTrucks();
  renderReports();
  renderAlerts();
  renderLive();
  if (state.selected) void selectStation(state.selected);
}

function renderWho(): void {
  $('who').textContent = state.role ? t('signedInAs', { role: state.role }) : t('readOnly');
  $('login').hidden = state.role !== null;
}

function renderLive(): void {
  const el = $('live');
  const zone = state.system?.timezone ?? 'UTC';
  el.className = state.live ? 'pill' : 'pill off';
  el.textContent = `${state.live ? t('live') : t('offline')} · ${t('stations', { n: num(state.stations.size) })}${state.lastEventAt ? ` · ${t('updated', { t: timeOf(state.lastEventAt, zone) })}` : ''}`;
  document.body.dataset['statusEvents'] = String(state.statusEvents);
}

function renderKpisNow(): void {
  // Empty and full now come from the live statuses the page holds (the stream keeps them current).
  let empty = 0, full = 0;
  for (const s of state.stations.values()) { if (s.bikes === 0) empty++; if (s.docks === 0) full++; }
  const k = state.kpis;
  const w = state.lastWeek;
  const tile = (label: string, value: string, note = '') => `<div class="kpi"><small>${esc(label)}</small><b>${esc(value)}</b>${note ? `<small>${esc(note)}</small>` : ''}</div>`;
  $('kpis').innerHTML = [
    tile(t('emptyNow'), num(empty)),
    tile(t('fullNow'), num(full)),
    tile(t('emptyMin'), num(k?.empty_station_minutes), w ? t('lastWeek', { n: num(w.empty_station_minutes) }) : ''),
    tile(t('fullMin'), num(k?.full_station_minutes), w ? t('lastWeek', { n: num(w.full_station_minutes) }) : ''),
    tile(t('failNoPlan'), num(k?.expected_failures_without_plan, 1), `${t('failPlan')}: ${num(k?.expected_failures_with_plan, 1)}`),
    tile(t('bikesMoved'), num(k?.bikes_moved ?? k?.bikes_dropped)),
  ].join('');
}

function renderLegend(): void {
  const items: [string, string][] = state.mode === 'class'
    ? [[CLASS_COLOURS.shortage, t('shortage')], [CLASS_COLOURS.surplus, t('surplus')], [CLASS_COLOURS.balanced, t('balanced')], [CLASS_COLOURS.none, t('noTarget')]]
    : [['#c0392b', '0%'], ['#f1c40f', '50%'], ['#1f5fae', '100%'], [CLASS_COLOURS.none, t('nothing')]];
  $('legend').innerHTML = items.map(([c, l]) => `<span class="key"><i style="background:${c}"></i>${esc(l)}</span>`).join('')
    + `<span class="key"><i style="background:#fff;border:3px solid #f0b400"></i>${esc(t('pinned'))}</span><span class="key"><i style="background:#fff;border:3px solid #000"></i>${esc(t('forbidden'))}</span>`;
}

function stationLabel(id: string): string {
  const s = state.stations.get(id);
  return s?.name ?? id;
}

function renderTrucks(): void {
  const zone = state.system?.timezone ?? 'UTC';
  if (!state.plan?.plan_id) { $('trucks').innerHTML = `<p class="note">${esc(t('noPlan'))}</p>`; return; }
  $('trucks').innerHTML = state.plan.routes.map((r) => {
    const tr = state.trucks.find((x) => x.truck === r.truck);
    const nextSeq = tr?.next_stop?.seq ?? null;
    const rows = r.stops.map((s) => {
      const reported = nextSeq === null ? (tr?.remaining === 0) : s.seq < nextSeq;
      const what = s.collect !== undefined ? t('collect', { n: s.collect }) : t('drop', { n: s.drop ?? 0 });
      const cls = reported ? 'reported' : s.seq === nextSeq ? 'next' : '';
      return `<li class="stop-row ${cls}" data-station="${esc(s.station_id)}">${esc(s.name ?? s.station_id)} — ${esc(what)}, ${esc(t('arrival', { t: timeOf(s.arrival, zone) }))}</li>`;
    }).join('');
    const meta = tr ? `${tr.paused ? `${t('paused')} · ` : ''}${t('load', { n: tr.load })} · ${tr.reported}/${r.stops.length} ${t('stops')}` : '';
    return `<div class="truck" data-truck="${esc(r.truck)}"><h3><i style="background:${truckColour(r.truck)}"></i>${esc(r.truck)} <span class="note">${esc(meta)}</span></h3><ol>${rows}</ol></div>`;
  }).join('');
}

function renderReports(): void {
  const zone = state.system?.timezone ?? 'UTC';
  if (!state.token) { $('reports-note').textContent = t('readOnly'); }
  else $('reports-note').textContent = state.reports.length === 0 ? t('noReports') : '';
  $('reports').innerHTML = [...state.reports].reverse().slice(0, 100).map((r) => {
    const what = r.status === 'done'
      ? `${t('done')}${r.collected ? ` · ${t('collect', { n: r.collected })}` : ''}${r.dropped ? ` · ${t('drop', { n: r.dropped })}` : ''}`
      : `${t('skipped')} (${t((r.reason ?? 'other') as 'other')})`;
    return `<li data-report="${r.report_id}">${esc(timeOf(r.at, zone))} ${esc(r.truck)}: ${esc(stationLabel(r.station_id))} — ${esc(what)}</li>`;
  }).join('');
}

function renderAlerts(): void {
  const zone = state.system?.timezone ?? 'UTC';
  const shown = 8;
  $('alerts').innerHTML = state.alerts.length === 0 ? `<li class="note">${esc(t('noAlerts'))}</li>` : state.alerts.slice(0, shown).map((a) =>
    `<li><button type="button" class="link" data-station="${esc(a.station_id)}">${esc(a.name ?? a.station_id)}</button> — ${esc(t(a.state))}, ${esc(t('since', { t: `${a.since_window_start ? '≤ ' : ''}${timeOf(a.since, zone)}` }))} (${num(a.minutes)} min)</li>`).join('')
    + (state.alerts.length > shown ? `<li class="note">${esc(t('more', { n: state.alerts.length - shown }))}</li>` : '');
  for (const b of $('alerts').querySelectorAll<HTMLButtonElement>('button[data-station]')) b.addEventListener('click', () => void selectStation(b.dataset['station']!));
}

async function selectStation(id: string): Promise<void> {
  state.selected = id;
  const sys = enc(state.system!.id);
  const zone = state.system!.timezone;
  const el = $('station');
  el.hidden = false;
  // The panel and its actions show at once; the charts follow when the three queries answer (the
  // operator can pin or forbid a station without waiting for its history).
  renderStationPanel(id, null);
  const dayStart = state.kpis?.day_start;
  const [hist, band, targets] = await Promise.all([
    api<History>(`/systems/${sys}/stations/${enc(id)}/history${dayStart ? `?from=${enc(dayStart)}` : ''}`).catch(() => ({ points: [] }) as History),
    api<ForecastBand>(`/systems/${sys}/stations/${enc(id)}/forecast?hours=12`),
    api<StationTargets>(`/systems/${sys}/stations/${enc(id)}/targets`),
  ]);
  if (state.selected !== id) return;
  const s = state.stations.get(id);
  const hours = (x: number) => timeOf(x, zone);
  const bikes = hist.points.filter((p) => p.bikes !== null).map((p) => [Date.parse(p.at), p.bikes!] as const);
  // The step line runs on to the service's now at the station's current count.
  const nowMs = Date.parse(state.kpis?.now ?? state.lastEventAt ?? '') || null;
  if (bikes.length > 0 && nowMs !== null && s?.bikes !== null && s?.bikes !== undefined && nowMs > bikes[bikes.length - 1]![0]) bikes.push([nowMs, s.bikes]);
  const charts: string[] = [];
  const interval = targets.min !== undefined && targets.max !== undefined ? { lo: targets.min, hi: targets.max, colour: 'rgba(46,125,50,0.18)', label: t('target', { min: targets.min, max: targets.max }) } : undefined;
  if (bikes.length > 0) charts.push(svgChart({ title: t('bikesToday'), series: [{ kind: 'step', points: bikes, colour: '#1d4e89', label: t('bikes') }], ...(interval ? { yBand: interval } : {}), xLabel: hours }));
  if (band.hours.length > 0) {
    const at = (h: { at: string }) => Date.parse(h.at);
    charts.push(svgChart({
      title: t('forecast'), xLabel: hours,
      series: [
        { kind: 'band', points: band.hours.filter((h) => h.pickups).map((h) => [at(h), h.pickups!.lo_80, h.pickups!.hi_80] as const), colour: '#c0392b', label: `${t('pickups')} 80%` },
        { kind: 'line', points: band.hours.filter((h) => h.pickups).map((h) => [at(h), h.pickups!.mean] as const), colour: '#c0392b', label: t('pickups') },
        { kind: 'band', points: band.hours.filter((h) => h.returns).map((h) => [at(h), h.returns!.lo_80, h.returns!.hi_80] as const), colour: '#1f5fae', label: `${t('returns')} 80%` },
        { kind: 'line', points: band.hours.filter((h) => h.returns).map((h) => [at(h), h.returns!.mean] as const), colour: '#1f5fae', label: t('returns') },
      ],
    }));
  }
  if (targets.failed_rentals && targets.failed_returns) {
    const fr = targets.failed_rentals, fu = targets.failed_returns;
    charts.push(svgChart({
      title: t('failureCurve'), xLabel: (x) => String(Math.round(x)),
      series: [
        { kind: 'line', points: fr.map((v, i) => [i, v + (fu[i] ?? 0)] as const), colour: '#2c3e50', label: `${t('pickups')} + ${t('returns')}` },
        { kind: 'line', points: fr.map((v, i) => [i, v] as const), colour: '#c0392b', label: t('pickups') },
        { kind: 'line', points: fu.map((v, i) => [i, v] as const), colour: '#1f5fae', label: t('returns') },
      ],
    }));
  }
  renderStationPanel(id, { targets, charts });
}

/** The station panel: its facts and, for an operator, the rule buttons; `loaded` null while the charts are on their way. */
function renderStationPanel(id: string, loaded: { targets: StationTargets; charts: string[] } | null): void {
  const sys = enc(state.system!.id);
  const s = state.stations.get(id);
  const el = $('station');
  const rule = state.rules.get(id);
  const targets: Partial<StationTargets> = loaded?.targets ?? {};
  const charts = loaded ? loaded.charts.join('') || `<p class="note">${esc(t('nothing'))}</p>` : `<p class="note" role="status">${esc(t('loading'))}</p>`;
  const canAct = state.role === 'operator' || state.role === 'admin';
  el.innerHTML = `<h2><span>${esc(s?.name ?? id)}${s?.number ? ` <small class="note">${esc(t('number', { n: s.number }))}</small>` : ''}</span>
      <button type="button" class="secondary" id="station-close">${esc(t('close'))}</button></h2>
    <p>${esc(`${num(s?.bikes)} ${t('bikes')} · ${num(s?.docks)} ${t('docks')} · ${t('capacity')} ${num(s?.capacity)}`)}${targets.min !== undefined ? ` · ${esc(t('target', { min: targets.min, max: targets.max ?? '' }))}` : ''}${s?.class ? ` · ${esc(t(s.class as 'shortage'))}` : ''}${rule ? ` · <b>${esc(t(rule === 'pin' ? 'pinned' : 'forbidden'))}</b>` : ''}</p>
    ${charts}
    ${canAct ? `<div class="actions"><button type="button" data-rule="pin">${esc(t('pin'))}</button><button type="button" data-rule="forbid">${esc(t('forbid'))}</button><button type="button" class="secondary" data-rule="none">${esc(t('clearRule'))}</button></div>` : `<p class="note">${esc(t('readOnly'))}</p>`}
    <p class="error" id="station-error" role="alert"></p>`;
  $('station-close').addEventListener('click', () => { state.selected = null; el.hidden = true; });
  for (const b of el.querySelectorAll<HTMLButtonElement>('button[data-rule]')) {
    b.addEventListener('click', async () => {
      try {
        await api(`/systems/${sys}/stations/${enc(id)}/control`, { method: 'PUT', token: state.token, body: { rule: b.dataset['rule'] } });
      } catch (err) {
        $('station-error').textContent = (err as Error).message;
      }
    });
  }
}

main().catch((err: unknown) => {
  $('kpis').textContent = (err as Error).message;
});
