// Reader for the SLR real-city instances of Parada et al. (2025, brp_heur): a city file (n; a round
// fleet figure; the depot line "cap lat lon"; then "station_id capacity lat lon"), a targets file
// (one target per station, in file order) and a GBFS station_status. Modelled as the published
// solver does: demand = target - num_bikes_available (a station missing from the status counts as
// empty), trucks of 40 bikes, routes of at most 160 km, haversine km on a 6,371 km Earth, an
// unlimited fleet leaving the depot with any load; stations may be visited more than once.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ImportError } from '../../../platform/import/errors.ts';
import { makeInstance, type Instance } from '../instance.ts';

export const SLR_TRUCK_CAPACITY = 40;
export const SLR_ROUTE_LIMIT_KM = 160;
const EARTH_RADIUS_KM = 6371;

export interface SlrFiles {
  targets?: string;
  status?: string;
}

/** `boston424.txt` -> `boston`. */
export function slrCity(file: string): string {
  return basename(file).replace(/\.txt$/i, '').replace(/\d+$/, '');
}

export function slrCompanionFiles(file: string, given: SlrFiles = {}): Required<SlrFiles> {
  const city = slrCity(file);
  return {
    targets: given.targets ?? join(dirname(file), 'targets', `targets_${city}.txt`),
    status: given.status ?? join(dirname(file), 'status', `${city}_station_status.json`),
  };
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const dlat = (lat2 - lat1) * r;
  const dlon = (lon2 - lon1) * r;
  const a = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dlon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

export function readSlr(file: string, given: SlrFiles = {}): Instance {
  const { targets: targetsFile, status: statusFile } = slrCompanionFiles(file, given);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const fields = (i: number) => (lines[i] ?? '').trim().split(/\s+/).filter((f) => f.length > 0);
  const n = Number(fields(0)[0]);
  if (!Number.isInteger(n) || n < 2) throw new ImportError(file, `expected the node count, got '${lines[0] ?? ''}'`, { line: 1, field: 'n' });
  const num = (s: string | undefined, line: number, field: string): number => {
    const x = Number(s);
    if (s === undefined || !Number.isFinite(x)) throw new ImportError(file, `expected a number, got '${s ?? ''}'`, { line, field });
    return x;
  };
  const dep = fields(2);
  const lat = [num(dep[1], 3, 'lat')];
  const lon = [num(dep[2], 3, 'lon')];
  const ids = ['depot'];
  const cap = [0];
  for (let i = 1; i < n; i++) {
    const f = fields(2 + i);
    const line = 3 + i;
    if (f.length < 4) throw new ImportError(file, `expected 'station_id capacity lat lon', got '${lines[2 + i] ?? ''}'`, { line });
    ids.push(f[0]!); // kept as a string: some ids are 19-digit integers
    cap.push(num(f[1], line, 'capacity'));
    lat.push(num(f[2], line, 'lat'));
    lon.push(num(f[3], line, 'lon'));
  }

  const targetLines = readFileSync(targetsFile, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (targetLines.length !== n - 1) throw new ImportError(targetsFile, `${targetLines.length} targets for ${n - 1} stations in ${file}`);
  const target = [0];
  targetLines.forEach((t, i) => {
    const x = Number(t);
    if (!Number.isInteger(x) || x < 0) throw new ImportError(targetsFile, `target must be a non-negative integer, got '${t}'`, { line: i + 1 });
    target.push(x);
  });

  let status: unknown;
  try {
    status = JSON.parse(readFileSync(statusFile, 'utf8'));
  } catch (e) {
    throw new ImportError(statusFile, `not a readable station_status JSON: ${(e as Error).message}`);
  }
  const stations = (status as { data?: { stations?: unknown } }).data?.stations;
  if (!Array.isArray(stations)) throw new ImportError(statusFile, 'expected data.stations to be an array', { field: 'data.stations' });
  const bikes = new Map<string, number>();
  for (const s of stations as Record<string, unknown>[]) {
    if (s.num_bikes_available === undefined) continue;
    bikes.set(String(s.station_id), Number(s.num_bikes_available));
  }

  const demand = [0];
  for (let i = 1; i < n; i++) {
    const present = bikes.get(ids[i]!) ?? 0; // missing from the status: counted as empty, as published
    const capacity = Math.max(cap[i]!, present); // a status above capacity raises the capacity
    if (target[i]! > capacity) throw new ImportError(targetsFile, `target ${target[i]} above station '${ids[i]}' capacity ${capacity}`, { line: i });
    demand.push(present - target[i]!); // > 0: bikes to collect
  }

  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) cost[i * n + j] = cost[j * n + i] = haversineKm(lat[i]!, lon[i]!, lat[j]!, lon[j]!);
  return makeInstance(
    { name: basename(file).replace(/\.txt$/i, ''), ids, demand, cost, capacity: SLR_TRUCK_CAPACITY, startLoad: 'free', visitAll: false, maxRouteCost: SLR_ROUTE_LIMIT_KM },
    file,
  );
}
