// The zones' edge to DuckDB: stations with their work from a target run, district shapes, and
// named zone sets (migration 8: zone_sets, zones, zone_stations). Everything else here is pure.
import { UserError } from '../../../platform/errors.ts';
import type { Store } from '../../../platform/store/connection.ts';
import type { DistrictShape } from '../../../platform/charts/basemap.ts';
import type { ZoneAssignment, ZoneSetReport, ZoneStation } from './types.ts';

export interface TargetRunRef {
  run_id: string;
  /** --at of the run, epoch seconds. */
  at: number;
}

/** The newest target run at or before `atS` (or the newest of all when `atS` is undefined). */
export async function latestTargetRun(store: Store, system: string, atS?: number): Promise<TargetRunRef | null> {
  const rows = await store.all<{ run_id: string; at: number }>(
    `SELECT run_id, epoch(at_time) AS at FROM target_runs WHERE system_id = $1 ${atS === undefined ? '' : 'AND at_time <= to_timestamp($2)'}
     ORDER BY at_time DESC, created_at DESC LIMIT 1`,
    atS === undefined ? [system] : [system, atS],
  );
  return rows[0] ?? null;
}

export interface LoadedStations {
  stations: ZoneStation[];
  /** Stations of the run that the station list cannot place (no coordinates): left out. */
  unplaced: number;
}

/**
 * Active stations with coordinates, with bring/take/expected failures from `runId` (0 where the run
 * has no row for a station; all 0 without a run).
 */
export async function loadZoneStations(store: Store, system: string, runId: string | null): Promise<LoadedStations> {
  const rows = await store.all<{ station_id: string; lat: number | null; lon: number | null; district: string | null; bring: number | null; take: number | null; failures: number | null }>(
    `WITH s AS (SELECT station_id, lat, lon, district FROM stations WHERE system_id = $1 AND valid_to IS NULL),
          t AS (SELECT station_id, bring, take, expected_failures FROM targets WHERE run_id = $2)
     SELECT coalesce(s.station_id, t.station_id) AS station_id, s.lat, s.lon, s.district,
            t.bring, t.take, t.expected_failures AS failures
     FROM s FULL OUTER JOIN t ON s.station_id = t.station_id ORDER BY 1`,
    [system, runId ?? ''],
  );
  let unplaced = 0;
  const stations: ZoneStation[] = [];
  for (const r of rows) {
    if (r.lat === null || r.lon === null || (r.lat === 0 && r.lon === 0)) {
      if (r.bring !== null) unplaced++;
      continue;
    }
    stations.push({ station_id: r.station_id, lat: r.lat, lon: r.lon, district: r.district, bring: r.bring ?? 0, take: r.take ?? 0, failures: r.failures ?? 0 });
  }
  return { stations, unplaced };
}

export async function loadDistrictShapes(store: Store, system: string): Promise<(DistrictShape & { code: string })[]> {
  const rows = await store.all<{ code: string; name: string | null; geometry: string }>(
    `SELECT code, name, CAST(geometry AS VARCHAR) AS geometry FROM boundaries WHERE system_id = $1 AND level = 'district' ORDER BY code`,
    [system],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, geometry: JSON.parse(r.geometry) as unknown }));
}

/** Stores a zone set under its name, replacing one of the same name, in one transaction. */
export async function saveZoneSet(
  store: Store,
  meta: { system: string; name: string; targetRun: string | null },
  stations: readonly ZoneStation[],
  a: ZoneAssignment,
  report: ZoneSetReport,
): Promise<void> {
  await store.transaction(async (tx) => {
    for (const t of ['zone_stations', 'zones', 'zone_sets']) await tx.run(`DELETE FROM ${t} WHERE system_id = $1 AND zone_set = $2`, [meta.system, meta.name]);
    await tx.run('INSERT INTO zone_sets VALUES ($1, $2, now(), $3, $4, $5, $6)', [meta.system, meta.name, a.method, report.trucks, meta.targetRun, JSON.stringify(report)]);
    const zapp = await tx.connection.createAppender('zones');
    a.zones.forEach((z, k) => {
      zapp.appendVarchar(meta.system); zapp.appendVarchar(meta.name); zapp.appendVarchar(z); zapp.appendInteger(a.trucks[k]!); zapp.endRow();
    });
    zapp.closeSync();
    const sapp = await tx.connection.createAppender('zone_stations');
    stations.forEach((s, i) => {
      sapp.appendVarchar(meta.system); sapp.appendVarchar(meta.name); sapp.appendVarchar(s.station_id); sapp.appendVarchar(a.zones[a.zoneOf[i]!]!); sapp.endRow();
    });
    sapp.closeSync();
  });
}

export interface StoredZoneSet {
  system: string;
  name: string;
  method: string;
  trucks: number;
  target_run: string | null;
  zones: { zone: string; trucks: number; stations: string[] }[];
  report: ZoneSetReport;
}

/** A stored zone set, for the planner (`route plan --zones <name>`); a clear error when unknown. */
export async function loadZoneSet(store: Store, system: string, name: string): Promise<StoredZoneSet> {
  const sets = await store.all<{ method: string; trucks: number; target_run: string | null; report: string }>(
    'SELECT method, trucks, target_run, CAST(report AS VARCHAR) AS report FROM zone_sets WHERE system_id = $1 AND zone_set = $2',
    [system, name],
  );
  const set = sets[0];
  if (!set) {
    const known = (await store.all<{ zone_set: string }>('SELECT zone_set FROM zone_sets WHERE system_id = $1 ORDER BY 1', [system])).map((r) => r.zone_set);
    throw new UserError(`no zone set '${name}' for system '${system}' (the store has: ${known.join(', ') || 'none'}; make one with \`urbanlab zones\`)`);
  }
  const zones = await store.all<{ zone: string; trucks: number }>('SELECT zone, trucks FROM zones WHERE system_id = $1 AND zone_set = $2', [system, name]);
  const members = await store.all<{ zone: string; station_id: string }>('SELECT zone, station_id FROM zone_stations WHERE system_id = $1 AND zone_set = $2 ORDER BY station_id', [system, name]);
  const byZone = new Map<string, string[]>(zones.map((z) => [z.zone, []]));
  for (const m of members) byZone.get(m.zone)?.push(m.station_id);
  const report = JSON.parse(set.report) as ZoneSetReport;
  const order = new Map(report.zones.map((z, i) => [z.zone, i]));
  return {
    system,
    name,
    method: set.method,
    trucks: set.trucks,
    target_run: set.target_run,
    zones: zones.map((z) => ({ zone: z.zone, trucks: z.trucks, stations: byZone.get(z.zone)! })).sort((a, b) => (order.get(a.zone) ?? 0) - (order.get(b.zone) ?? 0)),
    report,
  };
}
