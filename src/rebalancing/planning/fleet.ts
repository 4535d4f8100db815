// The fleet file (issue 9's contract): where the trucks start, how fast they drive, how long a bike
// takes to handle, and each truck's capacity, shift and start load. Parsed and validated here, with
// errors that name the file and the field; nothing else in the planner reads the raw JSON.
import { asStationId, type StationId } from '../../platform/ids.ts';
import { UserError } from '../../platform/errors.ts';
import type { LatLon } from './plan.ts';

export interface Truck {
  id: string;
  capacity: number;
  shiftMinutes: number;
  startLoad: number;
  /** Where the truck is now; the depot when the file gives no `start`. */
  start: LatLon;
  /** True when `start` came from the file (the truck is out already). */
  ownStart: boolean;
  /**
   * The station the truck is driving to and the minutes until it gets there (a re-plan keeps it
   * first: the truck's plan starts there, then). Absent for a truck that is free now.
   */
  headingTo?: { stationId: StationId; minutes: number };
  /**
   * Minutes from now until a truck without `headingTo` is free at `start`: it is in the middle of a
   * stop (parked, handling bikes) and finishes it first. Absent: free now.
   */
  readyMinutes?: number;
}

export interface Fleet {
  depot: LatLon;
  speedKmh: number;
  detour: number;
  handlingSPerBike: number;
  /** Fixed minutes per stop (parking, walking to the racks), besides the handling per bike. */
  stopMinutes: number;
  /** Smallest move worth a stop, in bikes (fewer only where the curve names a failure they avoid). */
  minMove: number;
  trucks: Truck[];
}

/** The area stations cover (a bounding box); a depot or start outside it (plus a margin) is unknown. */
export interface Area {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

export const FLEET_DEFAULTS = { speed_kmh: 20, detour: 1.3, handling_s_per_bike: 30, stop_minutes: 3, min_move: 3 } as const;

/** How far outside the stations' bounding box a depot may lie (degrees; ~10 km). */
const AREA_MARGIN_DEG = 0.1;

export function areaOf(points: readonly LatLon[]): Area | null {
  if (points.length === 0) return null;
  const a = { minLat: Infinity, maxLat: -Infinity, minLon: Infinity, maxLon: -Infinity };
  for (const p of points) {
    a.minLat = Math.min(a.minLat, p.lat);
    a.maxLat = Math.max(a.maxLat, p.lat);
    a.minLon = Math.min(a.minLon, p.lon);
    a.maxLon = Math.max(a.maxLon, p.lon);
  }
  return a;
}

function inArea(p: LatLon, a: Area): boolean {
  const m = AREA_MARGIN_DEG;
  return p.lat >= a.minLat - m && p.lat <= a.maxLat + m && p.lon >= a.minLon - m && p.lon <= a.maxLon + m;
}

/**
 * Parses a fleet file's text. `file` names it in every message; `area`, when given, is the system's
 * station area: a depot or truck start outside it is rejected as unknown (a typo, swapped lat/lon).
 */
export function parseFleet(text: string, file: string, area?: Area | null): Fleet {
  const fail = (msg: string): never => {
    throw new UserError(`${file}: ${msg}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return fail(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('expected a JSON object with "depot" and "trucks"');
  const o = raw as Record<string, unknown>;
  const point = (v: unknown, field: string, missing: string): LatLon => {
    if (v === undefined || v === null) return fail(`${field}: ${missing}`);
    const p = v as Record<string, unknown>;
    if (typeof p !== 'object' || typeof p.lat !== 'number' || typeof p.lon !== 'number' || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) {
      return fail(`${field}: expected {"lat": <number>, "lon": <number>}, got ${JSON.stringify(v)}`);
    }
    if (Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180) fail(`${field}: lat ${p.lat}, lon ${p.lon} is not a place on Earth`);
    if (area && !inArea({ lat: p.lat, lon: p.lon }, area)) {
      fail(`${field}: unknown depot or start (${p.lat}, ${p.lon}) lies outside the system's stations (lat ${area.minLat.toFixed(3)}..${area.maxLat.toFixed(3)}, lon ${area.minLon.toFixed(3)}..${area.maxLon.toFixed(3)}); lat and lon swapped?`);
    }
    return { lat: p.lat, lon: p.lon };
  };
  const positive = (v: unknown, field: string, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return fail(`${field}: expected a positive number, got ${JSON.stringify(v)}`);
    return v;
  };
  const depot = point(o.depot, 'depot', 'missing: the fleet needs a depot {"lat", "lon"} (unknown depot)');
  const speedKmh = positive(o.speed_kmh, 'speed_kmh', FLEET_DEFAULTS.speed_kmh);
  const detour = positive(o.detour, 'detour', FLEET_DEFAULTS.detour);
  if (detour < 1) fail(`detour: a road is never shorter than the straight line; expected >= 1, got ${detour}`);
  let handling: number = FLEET_DEFAULTS.handling_s_per_bike;
  if (o.handling_s_per_bike !== undefined) {
    const h = o.handling_s_per_bike;
    if (typeof h !== 'number' || !Number.isFinite(h) || h < 0) fail(`handling_s_per_bike: expected a number >= 0, got ${JSON.stringify(h)}`);
    handling = h as number;
  }
  let stopMinutes: number = FLEET_DEFAULTS.stop_minutes;
  if (o.stop_minutes !== undefined) {
    const m = o.stop_minutes;
    if (typeof m !== 'number' || !Number.isFinite(m) || m < 0) fail(`stop_minutes: expected a number of minutes >= 0, got ${JSON.stringify(m)}`);
    stopMinutes = m as number;
  }
  let minMove: number = FLEET_DEFAULTS.min_move;
  if (o.min_move !== undefined) {
    const m = o.min_move;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) fail(`min_move: expected an integer number of bikes >= 1, got ${JSON.stringify(m)}`);
    minMove = m as number;
  }
  if (!Array.isArray(o.trucks) || o.trucks.length === 0) fail('trucks: the fleet has no truck (expected a non-empty array)');
  const seen = new Map<string, number>();
  const trucks = (o.trucks as unknown[]).map((t, i): Truck => {
    const f = `trucks[${i}]`;
    if (typeof t !== 'object' || t === null) return fail(`${f}: expected an object`);
    const r = t as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id.length === 0) fail(`${f}.id: expected a non-empty string, got ${JSON.stringify(r.id)}`);
    const id = r.id as string;
    const prev = seen.get(id);
    if (prev !== undefined) fail(`${f}.id: '${id}' is used twice (trucks[${prev}] and trucks[${i}])`);
    seen.set(id, i);
    const cap = r.capacity;
    if (typeof cap !== 'number' || !Number.isInteger(cap) || cap <= 0) fail(`${f}.capacity (truck '${id}'): expected a positive integer, got ${JSON.stringify(cap)}`);
    const shift = r.shift_minutes;
    if (typeof shift !== 'number' || !Number.isFinite(shift) || shift <= 0) fail(`${f}.shift_minutes (truck '${id}'): expected a positive number, got ${JSON.stringify(shift)}`);
    const load = r.start_load ?? 0;
    if (typeof load !== 'number' || !Number.isInteger(load) || load < 0) fail(`${f}.start_load (truck '${id}'): expected an integer >= 0, got ${JSON.stringify(load)}`);
    if ((load as number) > (cap as number)) fail(`${f}.start_load (truck '${id}'): ${load} bikes do not fit a truck of capacity ${cap}`);
    const ownStart = r.start !== undefined;
    const start = ownStart ? point(r.start, `${f}.start (truck '${id}')`, 'missing') : depot;
    let headingTo: Truck['headingTo'];
    if (r.heading_to !== undefined) {
      const h = r.heading_to as Record<string, unknown> | null;
      const hf = `${f}.heading_to (truck '${id}')`;
      if (typeof h !== 'object' || h === null || typeof h.station_id !== 'string' || h.station_id.length === 0) fail(`${hf}: expected {"station_id": <string>, "minutes": <number>}, got ${JSON.stringify(r.heading_to)}`);
      const m = h!.minutes ?? 0;
      if (typeof m !== 'number' || !Number.isFinite(m) || m < 0) fail(`${hf}.minutes: expected minutes >= 0 until the truck gets there, got ${JSON.stringify(m)}`);
      if ((m as number) >= (shift as number)) fail(`${hf}.minutes: the truck gets there after ${m} min, not within its ${shift}-minute shift`);
      headingTo = { stationId: asStationId(h!.station_id as string), minutes: m as number };
    }
    return { id, capacity: cap as number, shiftMinutes: shift as number, startLoad: load as number, start, ownStart, ...(headingTo ? { headingTo } : {}) };
  });
  return { depot, speedKmh, detour, handlingSPerBike: handling, stopMinutes, minMove, trucks };
}
