// Travel times between the planner's places (stations, the depot, trucks' own starts), in seconds:
// by default the great-circle distance times a detour factor at a fixed speed; or read from a
// travel-time matrix as a road router's table service produces it (OSRM `table`), so a city with a
// router gets road times without the planner knowing about roads.
import { UserError } from '../../platform/errors.ts';
import type { LatLon } from './plan.ts';
import type { TravelTimes } from '../routing/prize-instance.ts';

export type { TravelTimes };


const EARTH_KM = 6371.0088;

export function haversineKm(a: LatLon, b: LatLon): number {
  const r = Math.PI / 180;
  const dLat = (b.lat - a.lat) * r;
  const dLon = (b.lon - a.lon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Haversine x detour at `speedKmh`. Computed on demand rather than stored: 2,700 stations would need
 * a 58 MB matrix, and the search only ever looks at a small part of it.
 */
export function haversineTravel(points: readonly LatLon[], speedKmh: number, detour: number): TravelTimes {
  const n = points.length;
  const rad = Math.PI / 180;
  const lat = Float64Array.from(points, (p) => p.lat * rad);
  const lon = Float64Array.from(points, (p) => p.lon * rad);
  const cosLat = lat.map(Math.cos);
  const secondsPerKm = (3600 * detour) / speedKmh;
  return {
    n,
    source: `haversine x ${detour} at ${speedKmh} km/h`,
    seconds(a: number, b: number): number {
      if (a === b) return 0;
      const s1 = Math.sin((lat[b]! - lat[a]!) / 2);
      const s2 = Math.sin((lon[b]! - lon[a]!) / 2);
      const h = s1 * s1 + cosLat[a]! * cosLat[b]! * s2 * s2;
      return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h))) * secondsPerKm;
    },
  };
}

/** A parsed matrix file: durations in seconds between the places named by `ids`, in order. */
export interface MatrixFile {
  file: string;
  ids: string[];
  index: Map<string, number>;
  durations: Float64Array;
}

/** The key of the depot and of a truck's own start in a matrix file's `ids`. */
export const DEPOT_KEY = 'depot';
export const startKey = (truckId: string): string => `start:${truckId}`;

/**
 * Reads a matrix file: OSRM's table-service answer (`{"code": "Ok", "durations": [[s, ...], ...]}`,
 * other fields ignored) with one field added, `"ids"`: the place of each row/column, in the order the
 * coordinates were sent to the router: `"depot"`, station ids, and `"start:<truck id>"` for trucks
 * with their own start. `null` durations (the router found no road) are unreachable.
 */
export function parseMatrix(text: string, file: string): MatrixFile {
  const fail = (msg: string): never => {
    throw new UserError(`${file}: ${msg}`);
  };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    return fail(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null) fail('expected a JSON object with "ids" and "durations"');
  if (raw.code !== undefined && raw.code !== 'Ok') fail(`the router answered code '${String(raw.code)}', not 'Ok'`);
  const ids = raw.ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string' && x.length > 0)) {
    fail('"ids": expected a non-empty array of strings naming each row and column in order ("depot", station ids, "start:<truck>")');
  }
  const index = new Map<string, number>();
  (ids as string[]).forEach((id, i) => {
    if (index.has(id)) fail(`"ids": '${id}' appears twice (positions ${index.get(id)} and ${i})`);
    index.set(id, i);
  });
  const n = (ids as string[]).length;
  const rows = raw.durations;
  if (!Array.isArray(rows) || rows.length !== n) fail(`"durations": expected ${n} rows (one per id), got ${Array.isArray(rows) ? rows.length : 'none'}`);
  const durations = new Float64Array(n * n);
  (rows as unknown[]).forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) fail(`"durations" row ${i} ('${(ids as string[])[i]}'): expected ${n} entries, got ${Array.isArray(row) ? row.length : 'none'}`);
    (row as unknown[]).forEach((v, j) => {
      if (v === null) durations[i * n + j] = i === j ? 0 : Infinity;
      else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`"durations"[${i}][${j}] ('${(ids as string[])[i]}' to '${(ids as string[])[j]}'): expected seconds >= 0 or null, got ${JSON.stringify(v)}`);
      else durations[i * n + j] = i === j ? 0 : v;
    });
  });
  return { file, ids: ids as string[], index, durations };
}

/**
 * Travel times between `keys` (the planner's places, named as in the file) looked up in a matrix.
 * Every key must be in the file; the caller leaves out stations the file does not cover first.
 */
export function matrixTravel(m: MatrixFile, keys: readonly string[]): TravelTimes {
  const at = Int32Array.from(keys, (k) => {
    const i = m.index.get(k);
    if (i === undefined) throw new UserError(`${m.file}: "ids" has no '${k}'${k === DEPOT_KEY ? ' (the depot)' : k.startsWith('start:') ? ' (a truck with its own start)' : ''}`);
    return i;
  });
  const N = m.ids.length;
  return {
    n: keys.length,
    source: `matrix ${m.file}`,
    seconds: (a: number, b: number) => m.durations[at[a]! * N + at[b]!]!,
  };
}
