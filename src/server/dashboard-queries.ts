// The store's reads behind the dashboard's routes (src/server/routes/dashboard.ts): boundaries for
// the base map, a station's forecast band and failure curve, the day's driver reports.
import type { Store } from '../platform/store/connection.ts';
import type { ReportRow } from './queries.ts';

export interface BoundaryFeature {
  type: 'Feature';
  properties: { code: string; name: string | null; level: string; parent_code: string | null };
  geometry: unknown;
}

/** The system's district or dong boundaries (`urbanlab import boundaries`) as GeoJSON features. */
export async function boundaryFeatures(store: Store, system: string, level: 'district' | 'dong'): Promise<BoundaryFeature[]> {
  const rows = await store.all<{ code: string; name: string | null; parent_code: string | null; geometry: string }>(
    'SELECT code, name, parent_code, CAST(geometry AS VARCHAR) AS geometry FROM boundaries WHERE system_id = $1 AND level = $2 ORDER BY code', [system, level]);
  return rows.map((r) => ({ type: 'Feature', properties: { code: r.code, name: r.name, level, parent_code: r.parent_code }, geometry: JSON.parse(r.geometry) as unknown }));
}

export interface BandHour {
  at: string;
  pickups: { mean: number; lo_80: number; hi_80: number } | null;
  returns: { mean: number; lo_80: number; hi_80: number } | null;
}

/** One station's forecast of a run, with its 80% band, from `fromMs` (an hour start) for `hours`. */
export async function forecastBand(store: Store, runId: string, station: string, fromMs: number, hours: number): Promise<BandHour[]> {
  const rows = await store.all<{ t: number; flow: string; mean: number; lo: number; hi: number }>(
    `SELECT epoch_ms(hour) AS t, flow, mean, lo_80 AS lo, hi_80 AS hi FROM forecasts
     WHERE run_id = $1 AND station_id = $2 AND hour >= to_timestamp($3) AND hour < to_timestamp($4) ORDER BY hour`,
    [runId, station, fromMs / 1000, (fromMs + hours * 3_600_000) / 1000]);
  const byHour = new Map<number, BandHour>();
  for (const r of rows) {
    const t = Number(r.t);
    let h = byHour.get(t);
    if (!h) byHour.set(t, (h = { at: new Date(t).toISOString(), pickups: null, returns: null }));
    const v = { mean: r.mean, lo_80: r.lo, hi_80: r.hi };
    if (r.flow === 'pickups') h.pickups = v;
    else if (r.flow === 'returns') h.returns = v;
  }
  return [...byHour.values()];
}

export interface StationTarget {
  run_id: string; capacity: number; current: number | null; min: number; max: number; class: string | null;
  expected_failures: number | null;
  /** Expected failed rentals and returns over the horizon, by the bikes at its start (index 0..capacity). */
  failed_rentals: number[]; failed_returns: number[];
}

export async function stationTarget(store: Store, runId: string, station: string): Promise<StationTarget | null> {
  const r = await store.all<{ capacity: number; current: number | null; min: number; max: number; class: string | null; ef: number | null; fr: string; fu: string }>(
    `SELECT capacity, current, min, max, class, expected_failures AS ef, CAST(failed_rentals AS VARCHAR) AS fr, CAST(failed_returns AS VARCHAR) AS fu
     FROM targets WHERE run_id = $1 AND station_id = $2`, [runId, station]);
  const x = r[0];
  if (!x) return null;
  return { run_id: runId, capacity: x.capacity, current: x.current, min: x.min, max: x.max, class: x.class, expected_failures: x.ef, failed_rentals: JSON.parse(x.fr) as number[], failed_returns: JSON.parse(x.fu) as number[] };
}

/** Every truck's reports of a system received in [fromMs, toMs], oldest first. */
export async function systemReports(store: Store, system: string, fromMs: number, toMs: number, limit = 2000): Promise<ReportRow[]> {
  const rows = await store.all<Omit<ReportRow, 'at'> & { t: number }>(
    `SELECT report_id, truck, plan_id, station_id, status, collected, dropped, reason, epoch_ms(received_at) AS t FROM driver_reports
     WHERE system_id = $1 AND received_at >= to_timestamp($2) AND received_at <= to_timestamp($3) ORDER BY report_id LIMIT $4`,
    [system, fromMs / 1000, toMs / 1000, limit]);
  return rows.map(({ t, ...r }) => ({ ...r, at: new Date(Number(t)).toISOString() }));
}

export interface Alert { station_id: string; state: 'empty' | 'full'; since: string; minutes: number; since_window_start: boolean }

/**
 * Stations empty (no bike) or full (no free dock) now, by their last status row, for at least
 * `minMinutes`: since the first row of the current spell, looked for in the last `windowHours`
 * (a spell older than that is reported from the window's start, flagged).
 */
export async function longSpells(store: Store, system: string, nowMs: number, minMinutes: number, windowHours = 24): Promise<Alert[]> {
  const fromS = nowMs / 1000 - windowHours * 3600;
  const rows = await store.all<{ station_id: string; state: 'empty' | 'full'; t: number; first: number }>(
    `WITH s AS (SELECT station_id, observed_at AS t, bikes_available AS b, docks_available AS d FROM status
                WHERE system_id = $1 AND observed_at >= to_timestamp($2) AND observed_at <= to_timestamp($3) AND bikes_available IS NOT NULL),
     st AS (SELECT station_id, arg_max(b, t) AS b, arg_max(d, t) AS d, min(t) AS first,
                   max(t) FILTER (WHERE b > 0) AS last_not_empty, max(t) FILTER (WHERE d IS NULL OR d > 0) AS last_not_full
            FROM s GROUP BY station_id),
     spell AS (
       SELECT st.station_id, 'empty' AS state, st.first, (SELECT min(s.t) FROM s WHERE s.station_id = st.station_id AND s.b = 0 AND (st.last_not_empty IS NULL OR s.t > st.last_not_empty)) AS since
       FROM st WHERE st.b = 0
       UNION ALL
       SELECT st.station_id, 'full', st.first, (SELECT min(s.t) FROM s WHERE s.station_id = st.station_id AND s.d = 0 AND (st.last_not_full IS NULL OR s.t > st.last_not_full))
       FROM st WHERE st.d = 0)
     SELECT station_id, state, epoch_ms(since) AS t, epoch_ms(first) AS first FROM spell WHERE since IS NOT NULL`,
    [system, fromS, nowMs / 1000]);
  return rows
    .map((r) => ({ station_id: r.station_id, state: r.state, since: new Date(Number(r.t)).toISOString(), minutes: Math.floor((nowMs - Number(r.t)) / 60_000), since_window_start: Number(r.t) === Number(r.first) }))
    .filter((a) => a.minutes >= minMinutes)
    .sort((a, b) => b.minutes - a.minutes);
}
