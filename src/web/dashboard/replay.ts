// A simulated run as the dashboard replays it: the event log `urbanlab simulate --out` writes
// (events-<policy>.jsonl; line shapes in docs/simulate.md) read into what the map draws at any
// instant: every station's bikes (the run line's start, then the 10-minute `bikes` lines, truck
// stops and failures between them), each truck's place (at a stop, or on its way between two),
// and the failures so far. Pure: no DOM, no map (tested in node, drawn by replay-view.ts).
import type { LogEvent, RunLine } from '../../simulation/event-log.ts';

export interface Arrival { t: number; depart: number; station: string }

export interface ReplayRun {
  file: string;
  run: RunLine;
  /** The events in time order (the file's order). */
  events: LogEvent[];
  index: Map<string, number>;
  /** Positions in `events` of the `bikes` lines. */
  snapshots: number[];
  /** failedRentals[i] / failedReturns[i]: failures among events[0..i). */
  failedRentals: Int32Array;
  failedReturns: Int32Array;
  arrivals: Map<string, Arrival[]>;
}

export class LogError extends Error {}

const TYPES = new Set(['arrive', 'load', 'drop', 'failed_rental', 'failed_return', 'detour', 'bikes']);

/** Reads a log; a bad line is refused with the file, the line and the field. */
export function parseRunLog(text: string, file: string): ReplayRun {
  const lines = text.split('\n');
  const fail = (line: number, msg: string): never => { throw new LogError(`${file} line ${line}: ${msg}`); };
  const parse = (k: number): Record<string, unknown> => {
    try {
      const v = JSON.parse(lines[k]!) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(k + 1, 'not a JSON object');
      return v as Record<string, unknown>;
    } catch (err) {
      if (err instanceof LogError) throw err;
      return fail(k + 1, `not JSON (${(err as Error).message})`);
    }
  };
  if (!lines[0]?.trim()) fail(1, 'empty: expected the run line of `urbanlab simulate --out`');
  const head = parse(0);
  if (head['type'] !== 'run') fail(1, `field "type": expected "run", got ${JSON.stringify(head['type'])}`);
  for (const f of ['from', 'to'] as const) if (typeof head[f] !== 'number') fail(1, `field "${f}": expected epoch seconds`);
  if (!Array.isArray(head['stations'])) fail(1, 'field "stations": expected a list');
  if (!Array.isArray(head['trucks'])) fail(1, 'field "trucks": expected a list');
  const run = head as unknown as RunLine;
  run.stations.forEach((s, i) => {
    for (const f of ['lat', 'lon', 'capacity', 'bikes'] as const) if (typeof s[f] !== 'number') fail(1, `field "stations[${i}].${f}": expected a number`);
  });
  const index = new Map(run.stations.map((s, i) => [String(s.id), i]));
  const events: LogEvent[] = [];
  const snapshots: number[] = [];
  const arrivals = new Map<string, Arrival[]>(run.trucks.map((tr) => [tr.id, []]));
  let last = -Infinity;
  for (let k = 1; k < lines.length; k++) {
    if (!lines[k]!.trim()) continue;
    const e = parse(k);
    const type = e['type'];
    if (typeof type !== 'string' || !TYPES.has(type)) fail(k + 1, `field "type": unknown ${JSON.stringify(type)}`);
    if (typeof e['t'] !== 'number' || e['t'] < last) fail(k + 1, 'field "t": expected epoch seconds in time order');
    last = e['t'] as number;
    if (type === 'bikes') {
      if (!Array.isArray(e['bikes']) || e['bikes'].length !== run.stations.length) fail(k + 1, `field "bikes": expected ${run.stations.length} counts, one per station of the run line`);
      snapshots.push(events.length);
    } else if (type !== 'arrive' && !index.has(String(e['station']))) fail(k + 1, `field "station": ${JSON.stringify(e['station'])} is not a station of the run line`);
    if (type === 'arrive') {
      const list = arrivals.get(String(e['truck'])) ?? fail(k + 1, `field "truck": ${JSON.stringify(e['truck'])} is not a truck of the run line`);
      list.push({ t: e['t'] as number, depart: Number(e['depart']), station: String(e['station']) });
    }
    events.push(e as unknown as LogEvent);
  }
  const failedRentals = new Int32Array(events.length + 1);
  const failedReturns = new Int32Array(events.length + 1);
  events.forEach((e, i) => {
    failedRentals[i + 1] = failedRentals[i]! + (e.type === 'failed_rental' ? 1 : 0);
    failedReturns[i + 1] = failedReturns[i]! + (e.type === 'failed_return' ? 1 : 0);
  });
  return { file, run, events, index, snapshots, failedRentals, failedReturns, arrivals };
}

/** How many events happened at or before `t`. */
export function eventsUpTo(r: ReplayRun, t: number): number {
  let lo = 0, hi = r.events.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (r.events[m]!.t <= t) lo = m + 1; else hi = m; }
  return lo;
}

/** Every station's bikes at `t`, in the run line's order. */
export function bikesAt(r: ReplayRun, t: number): Int32Array {
  const k = eventsUpTo(r, t);
  // The last `bikes` line at or before t, then what happened after it.
  let lo = 0, hi = r.snapshots.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (r.snapshots[m]! < k) lo = m + 1; else hi = m; }
  const snap = lo > 0 ? r.snapshots[lo - 1]! : -1;
  const first = snap >= 0 ? (r.events[snap] as Extract<LogEvent, { type: 'bikes' }>).bikes : r.run.stations.map((s) => s.bikes);
  const bikes = Int32Array.from(first);
  for (let i = snap + 1; i < k; i++) {
    const e = r.events[i]!;
    if (e.type === 'load' || e.type === 'drop') bikes[r.index.get(e.station)!] = e.station_bikes;
    else if (e.type === 'failed_rental') bikes[r.index.get(e.station)!] = 0;
    else if (e.type === 'failed_return') { const s = r.index.get(e.station)!; bikes[s] = r.run.stations[s]!.capacity; }
  }
  return bikes;
}

/** Failures at or before `t`. */
export function failuresAt(r: ReplayRun, t: number): { rentals: number; returns: number } {
  const k = eventsUpTo(r, t);
  return { rentals: r.failedRentals[k]!, returns: r.failedReturns[k]! };
}

/** The failures of the `windowS` seconds up to `t` (drawn as they happen, fading out). */
export function recentFailures(r: ReplayRun, t: number, windowS: number): Array<{ t: number; station: string; type: 'failed_rental' | 'failed_return' }> {
  const out: Array<{ t: number; station: string; type: 'failed_rental' | 'failed_return' }> = [];
  for (let i = eventsUpTo(r, t) - 1; i >= 0; i--) {
    const e = r.events[i]!;
    if (e.t < t - windowS) break;
    if (e.type === 'failed_rental' || e.type === 'failed_return') out.push({ t: e.t, station: e.station, type: e.type });
  }
  return out;
}

/** Each truck's place at `t`: at its last stop (the depot before the first), or on the way to the next. */
export function trucksAt(r: ReplayRun, t: number): Array<{ id: string; lon: number; lat: number; load: number; moving: boolean }> {
  const place = (station: string) => {
    const i = r.index.get(station);
    return station === 'depot' || i === undefined ? r.run.depot : r.run.stations[i]!;
  };
  const loads = new Map(r.run.trucks.map((tr) => [tr.id, tr.load]));
  for (let i = 0, k = eventsUpTo(r, t); i < k; i++) {
    const e = r.events[i]!;
    if (e.type === 'load' || e.type === 'drop') loads.set(e.truck, e.truck_load);
  }
  return r.run.trucks.map((tr) => {
    const list = r.arrivals.get(tr.id) ?? [];
    let j = 0;
    while (j < list.length && list[j]!.t <= t) j++;
    const from = j > 0 ? place(list[j - 1]!.station) : r.run.depot;
    const next = list[j];
    if (next && next.depart <= t && next.t > next.depart) {
      const to = place(next.station);
      const f = (t - next.depart) / (next.t - next.depart);
      return { id: tr.id, lon: from.lon + (to.lon - from.lon) * f, lat: from.lat + (to.lat - from.lat) * f, load: loads.get(tr.id)!, moving: true };
    }
    return { id: tr.id, lon: from.lon, lat: from.lat, load: loads.get(tr.id)!, moving: false };
  });
}
