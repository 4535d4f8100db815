// The statistics' roll-ups: station-hours summed to station x local day (with the day's station-hours
// by local hour as a list) and to system x hour, so that a report reads ~24x fewer rows than the station-hours
// (Seoul: 1 M station-days instead of 24 M station-hours a year). Built once per change of the
// flows: every writer of a flow table bumps its version (platform/flows/version.ts), and a roll-up
// is rebuilt when the version it was built from, or the system's time zone, differs.
import { flowVersion, type FlowTable } from '../../platform/flows/version.ts';
import type { Store } from '../../platform/store/connection.ts';

/** The flow tables a report reads, by the source name the report uses. */
export const FLOW_SOURCES: ReadonlyArray<{ source: string; table: FlowTable; where: string; minutes: boolean }> = [
  { source: 'trips', table: 'trip_hourly_flows', where: 'TRUE', minutes: false },
  { source: 'status', table: 'hourly_flows', where: "source <> 'trips'", minutes: true },
];

export interface RollupRefresh {
  source: string;
  rebuilt: boolean;
  stationDays: number;
  ms: number;
}

export async function refreshRollups(store: Store, systemId: string, timezone: string): Promise<RollupRefresh[]> {
  const out: RollupRefresh[] = [];
  for (const f of FLOW_SOURCES) {
    const t0 = performance.now();
    const version = await flowVersion(store, systemId, f.table);
    const [state] = await store.all<{ v: number; tz: string }>(
      'SELECT flow_version AS v, timezone AS tz FROM stats_rollup_state WHERE system_id = $1 AND source = $2',
      [systemId, f.source],
    );
    if (state && state.v === version && state.tz === timezone) {
      out.push({ source: f.source, rebuilt: false, stationDays: -1, ms: performance.now() - t0 });
      continue;
    }
    const minutes = f.minutes ? 'sum(minutes_observed), sum(minutes_empty), sum(minutes_full)' : 'NULL, NULL, NULL';
    await store.transaction(async (s) => {
      for (const t of ['stats_station_days', 'stats_system_hours', 'stats_rollup_state']) {
        await s.run(`DELETE FROM ${t} WHERE system_id = $1 AND source = $2`, [systemId, f.source]);
      }
      await s.run(
        `INSERT INTO stats_station_days
         SELECT $1, $2, station_id, CAST(lt AS DATE), sum(pickups), sum(returns), ${minutes},
                list({'h': hour(lt)::TINYINT, 'p': pickups, 'r': returns})
         FROM (SELECT *, timezone($3, hour) AS lt FROM ${f.table} WHERE system_id = $1 AND ${f.where})
         GROUP BY station_id, CAST(lt AS DATE)`,
        [systemId, f.source, timezone],
      );
      await s.run(
        `INSERT INTO stats_system_hours SELECT $1, $2, hour, sum(pickups), sum(returns)
         FROM ${f.table} WHERE system_id = $1 AND ${f.where} GROUP BY hour`,
        [systemId, f.source],
      );
      await s.run('INSERT INTO stats_rollup_state VALUES ($1, $2, $3, $4, now())', [systemId, f.source, version, timezone]);
    });
    const [n] = await store.all<{ n: number }>('SELECT count(*) AS n FROM stats_station_days WHERE system_id = $1 AND source = $2', [systemId, f.source]);
    out.push({ source: f.source, rebuilt: true, stationDays: n?.n ?? 0, ms: performance.now() - t0 });
  }
  return out;
}
