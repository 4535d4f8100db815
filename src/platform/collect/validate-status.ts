// Checks a station_status payload with the rules MobilityData's gbfs-validator applies (the parts
// that matter for a status series): the payload's shape and required fields, per-station field
// types, duplicate station ids, stations unknown to station_information, last_updated stale or in
// the future, and counts that exceed the station's capacity. A bad station row is rejected by rule;
// a bad payload is rejected whole. Written here because the validator itself is a Java/JS web tool
// with no library entry point for a Node process.
import type { StatusObservation } from '../status/observation.ts';
import { readTime } from '../time/index.ts';

export type StatusRule =
  | 'schema.station_id'
  | 'schema.num_bikes_available'
  | 'schema.num_docks_available'
  | 'schema.flags'
  | 'schema.last_reported'
  | 'duplicate_station_id'
  | 'unknown_station'
  | 'ebikes_exceed_bikes'
  | 'counts_exceed_capacity';

export type PayloadRule = 'payload.not_object' | 'payload.no_stations' | 'payload.no_last_updated' | 'payload.last_updated_future' | 'payload.last_updated_stale';

export interface StationReject {
  rule: StatusRule;
  stationId: string | undefined;
  index: number;
  detail: string;
}

export interface ValidatedStatus {
  ok: boolean;
  payloadError?: { rule: PayloadRule; detail: string };
  version: string | undefined;
  lastUpdated: Date | null;
  ttlS: number | undefined;
  stations: StatusObservation[];
  rejects: StationReject[];
  /** Rows kept but flagged: more bikes + docks than capacity happens for real (Bay Wheels lets
   *  e-bikes lock beside a full station), so it is logged, not rejected. */
  warnings: StationReject[];
}

export interface StatusContext {
  /** When the payload was fetched. */
  fetchedAt: Date;
  /** The system's zone, for a time string without an offset (default UTC, never the host's). */
  timeZone?: string;
  /** Station ids of station_information, when known: others are rejected as unknown. */
  knownStations?: ReadonlySet<string>;
  /** Capacity per station from station_information. */
  capacities?: ReadonlyMap<string, number>;
  /** last_updated more than this older than the fetch (beyond ttl) is stale. */
  staleAfterS?: number;
  /** Clock skew tolerated for last_updated in the future. */
  futureToleranceS?: number;
}

/**
 * GBFS times: POSIX seconds (v1, v2) or RFC 3339 strings (v3), read by the one rule of
 * src/platform/time: an offset as given, none = the system's wall clock; an impossible date is null.
 */
export function parseGbfsTime(v: unknown, timeZone = 'UTC'): Date | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return new Date(v * 1000);
  if (typeof v === 'string' && v.length > 0) {
    if (/^\d+$/.test(v)) return new Date(Number(v) * 1000);
    const r = readTime(v, timeZone);
    return r.ok ? new Date(r.ms) : null;
  }
  return null;
}

function count(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function flag(v: unknown): boolean | null | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1; // GBFS 1.x wrote 0/1; still common in 2.x feeds
  return null;
}

export function validateStationStatus(payload: unknown, ctx: StatusContext): ValidatedStatus {
  const fail = (rule: PayloadRule, detail: string): ValidatedStatus => ({
    ok: false, payloadError: { rule, detail }, version: undefined, lastUpdated: null, ttlS: undefined, stations: [], rejects: [], warnings: [],
  });
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return fail('payload.not_object', 'not a JSON object');
  const doc = payload as { data?: { stations?: unknown }; last_updated?: unknown; ttl?: unknown; version?: unknown };
  const list = doc.data?.stations;
  if (!Array.isArray(list)) return fail('payload.no_stations', 'data.stations is missing or not an array');
  const lastUpdated = parseGbfsTime(doc.last_updated, ctx.timeZone);
  if (!lastUpdated) return fail('payload.no_last_updated', 'last_updated is missing or not a time');
  const skew = ctx.futureToleranceS ?? 300;
  const ttlS = typeof doc.ttl === 'number' && doc.ttl >= 0 ? doc.ttl : undefined;
  const ageS = (ctx.fetchedAt.getTime() - lastUpdated.getTime()) / 1000;
  if (ageS < -skew) return fail('payload.last_updated_future', `last_updated ${lastUpdated.toISOString()} is ${Math.round(-ageS)} s after the fetch`);
  const stale = ctx.staleAfterS ?? 3600;
  if (ageS > (ttlS ?? 0) + stale) return fail('payload.last_updated_stale', `last_updated ${lastUpdated.toISOString()} is ${Math.round(ageS)} s old`);

  const stations: StatusObservation[] = [];
  const rejects: StationReject[] = [];
  const warnings: StationReject[] = [];
  const seen = new Set<string>();
  list.forEach((raw, index) => {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const id = typeof r['station_id'] === 'string' && r['station_id'] !== '' ? r['station_id'] : typeof r['station_id'] === 'number' ? String(r['station_id']) : undefined;
    const reject = (rule: StatusRule, detail: string) => rejects.push({ rule, stationId: id, index, detail });
    if (id === undefined) return reject('schema.station_id', 'station_id missing or not a string');
    if (seen.has(id)) return reject('duplicate_station_id', `station_id ${id} appears more than once`);
    seen.add(id);
    // v3.0 renamed bikes to vehicles.
    const bikes = count(r['num_bikes_available'] ?? r['num_vehicles_available']);
    if (bikes === undefined || bikes === null) return reject('schema.num_bikes_available', `num_bikes_available ${JSON.stringify(r['num_bikes_available'] ?? r['num_vehicles_available'])}`);
    const docks = count(r['num_docks_available']);
    if (docks === null) return reject('schema.num_docks_available', `num_docks_available ${JSON.stringify(r['num_docks_available'])}`);
    const installed = flag(r['is_installed']);
    const renting = flag(r['is_renting']);
    const returning = flag(r['is_returning']);
    if (installed === null || renting === null || returning === null || installed === undefined || renting === undefined || returning === undefined) {
      return reject('schema.flags', 'is_installed, is_renting and is_returning must be booleans');
    }
    const lastReported = r['last_reported'] === undefined ? null : parseGbfsTime(r['last_reported'], ctx.timeZone);
    if (r['last_reported'] !== undefined && lastReported === null) return reject('schema.last_reported', `last_reported ${JSON.stringify(r['last_reported'])}`);
    if (ctx.knownStations && !ctx.knownStations.has(id)) return reject('unknown_station', `station_id ${id} is not in station_information`);
    const bikesDisabled = count(r['num_bikes_disabled'] ?? r['num_vehicles_disabled']) ?? null;
    const docksDisabled = count(r['num_docks_disabled']) ?? null;
    const ebikes = ebikesOf(r);
    if (ebikes !== null && ebikes > bikes) return reject('ebikes_exceed_bikes', `num_ebikes_available ${ebikes} > num_bikes_available ${bikes}`);
    const capacity = ctx.capacities?.get(id);
    const total = bikes + (docks ?? 0) + (bikesDisabled ?? 0) + (docksDisabled ?? 0);
    if (capacity !== undefined && docks !== undefined && total > capacity) {
      warnings.push({ rule: 'counts_exceed_capacity', stationId: id, index, detail: `bikes + docks (+ disabled) = ${total} > capacity ${capacity}` });
    }
    stations.push({
      stationId: id, lastReported, bikesAvailable: bikes, ebikesAvailable: ebikes, bikesDisabled, docksAvailable: docks ?? null,
      docksDisabled, capacity: null, isInstalled: installed, isRenting: renting, isReturning: returning,
    });
  });
  const version = typeof doc.version === 'string' ? doc.version : undefined;
  return { ok: true, version, lastUpdated, ttlS, stations, rejects, warnings };
}

function ebikesOf(r: Record<string, unknown>): number | null {
  const direct = count(r['num_ebikes_available']);
  if (typeof direct === 'number') return direct;
  return null;
}
