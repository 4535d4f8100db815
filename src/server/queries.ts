// The service's reads of the store that the live state does not hold: a station's history, the
// day's KPIs, the day's reports; and what the live state is loaded from at start.
import type { Store } from '../platform/store/connection.ts';
import type { Plan } from '../rebalancing/planning/plan.ts';
import type { LiveForecast, LivePlan, LiveStation, LiveStatus, LiveTargets, PlanState } from './live-state.ts';

export async function loadLiveStations(store: Store, system: string): Promise<LiveStation[]> {
  return (await store.all<{ station_id: string; name: string | null; short_name: string | null; lat: number | null; lon: number | null; capacity: number | null }>(
    'SELECT station_id, name, short_name, lat, lon, capacity FROM stations WHERE system_id = $1 AND valid_to IS NULL ORDER BY station_id', [system],
  )).map((r) => ({ stationId: r.station_id, name: r.name, number: r.short_name, lat: r.lat, lon: r.lon, capacity: r.capacity }));
}

/** Each station's last status row (the live state after a restart, before the first poll). */
export async function loadLastStatus(store: Store, system: string): Promise<Map<string, LiveStatus>> {
  const rows = await store.all<{ station_id: string; bikes: number; docks: number | null; t: number; inst: boolean | null; rent: boolean | null; ret: boolean | null }>(
    `SELECT station_id, arg_max(bikes_available, observed_at) AS bikes, arg_max(docks_available, observed_at) AS docks,
            epoch_ms(max(coalesce(last_reported, observed_at))) AS t, arg_max(is_installed, observed_at) AS inst,
            arg_max(is_renting, observed_at) AS rent, arg_max(is_returning, observed_at) AS ret
     FROM status WHERE system_id = $1 AND bikes_available IS NOT NULL GROUP BY station_id`, [system]);
  return new Map(rows.map((r) => [r.station_id, { bikes: r.bikes, docks: r.docks, updatedAtMs: Number(r.t), installed: r.inst ?? true, renting: r.rent ?? true, returning: r.ret ?? true }]));
}

export async function lastSnapshotMs(store: Store, system: string): Promise<number | null> {
  const r = await store.all<{ t: number | null }>('SELECT epoch_ms(max(observed_at)) AS t FROM snapshots WHERE system_id = $1', [system]);
  return r[0]?.t === null || r[0]?.t === undefined ? null : Number(r[0].t);
}

export async function loadLatestTargets(store: Store, system: string): Promise<LiveTargets | null> {
  const run = await store.all<{ run_id: string; t: number; h: number }>(
    'SELECT run_id, epoch_ms(at_time) AS t, horizon_minutes AS h FROM target_runs WHERE system_id = $1 ORDER BY at_time DESC, created_at DESC LIMIT 1', [system]);
  const r = run[0];
  if (!r) return null;
  const rows = await store.all<{ station_id: string; min: number; max: number; class: string | null; ef: number | null }>(
    'SELECT station_id, min, max, class, expected_failures AS ef FROM targets WHERE run_id = $1', [r.run_id]);
  return {
    runId: r.run_id, atMs: Number(r.t), horizonMinutes: r.h,
    stations: new Map(rows.map((x) => [x.station_id, { min: x.min, max: x.max, class: x.class, expectedFailures: x.ef }])),
  };
}

/** The newest forecast run whose hours include `atMs`, from the hour of `atMs` on. */
export async function loadCurrentForecast(store: Store, system: string, atMs: number): Promise<LiveForecast | null> {
  const hourMs = Math.floor(atMs / 3_600_000) * 3_600_000;
  const run = await store.all<{ run_id: string; end: number }>(
    `SELECT run_id, epoch_ms(origin + hours * INTERVAL 1 HOUR) AS "end" FROM forecast_runs
     WHERE system_id = $1 AND origin <= to_timestamp($2) AND origin + hours * INTERVAL 1 HOUR > to_timestamp($2)
     ORDER BY created_at DESC LIMIT 1`, [system, hourMs / 1000]);
  const r = run[0];
  if (!r) return null;
  const hours = Math.round((Number(r.end) - hourMs) / 3_600_000);
  const rows = await store.all<{ station_id: string; k: number; flow: string; mean: number }>(
    `SELECT station_id, CAST((epoch_ms(hour) - $2) / 3600000 AS INTEGER) AS k, flow, mean FROM forecasts
     WHERE run_id = $1 AND hour >= to_timestamp($3)`, [r.run_id, hourMs, hourMs / 1000]);
  const stations: LiveForecast['stations'] = new Map();
  for (const x of rows) {
    let s = stations.get(x.station_id);
    if (!s) stations.set(x.station_id, (s = { pickups: new Array<number>(hours).fill(0), returns: new Array<number>(hours).fill(0) }));
    if (x.k < 0 || x.k >= hours) continue;
    (x.flow === 'pickups' ? s.pickups : s.returns)[x.k] = x.mean;
  }
  return { runId: r.run_id, startMs: hourMs, hours, stations };
}

/** The issued plan and the one proposed after it (waiting for approval), as recorded. */
export async function loadPlans(store: Store, system: string): Promise<{ issued: LivePlan | null; proposed: LivePlan | null }> {
  const rows = await store.all<{ plan_id: string; state: PlanState; p: number; i: number | null; plan: string }>(
    `SELECT i.plan_id, i.state, epoch_ms(i.proposed_at) AS p, epoch_ms(i.issued_at) AS i, pl.plan::VARCHAR AS plan
     FROM plan_issues i JOIN plans pl USING (plan_id)
     WHERE i.system_id = $1 AND i.state IN ('issued', 'proposed') ORDER BY i.proposed_at DESC`, [system]);
  const of = (r: (typeof rows)[number]): LivePlan => ({ planId: r.plan_id, state: r.state, proposedAtMs: Number(r.p), issuedAtMs: r.i === null ? null : Number(r.i), plan: JSON.parse(r.plan) as Plan });
  const issued = rows.find((r) => r.state === 'issued');
  const proposed = rows.find((r) => r.state === 'proposed' && (!issued || Number(r.p) > Number(issued.p)));
  return { issued: issued ? of(issued) : null, proposed: proposed ? of(proposed) : null };
}

export interface HistoryPoint { at: string; bikes: number | null; docks: number | null }

/** A station's status changes in [fromMs, toMs], with the state it had at fromMs first. */
export async function stationHistory(store: Store, system: string, station: string, fromMs: number, toMs: number): Promise<HistoryPoint[]> {
  const rows = await store.all<{ t: number; bikes: number | null; docks: number | null }>(
    `(SELECT epoch_ms(observed_at) AS t, bikes_available AS bikes, docks_available AS docks FROM status
       WHERE system_id = $1 AND station_id = $2 AND observed_at < to_timestamp($3) ORDER BY observed_at DESC LIMIT 1)
     UNION ALL
     (SELECT epoch_ms(observed_at), bikes_available, docks_available FROM status
       WHERE system_id = $1 AND station_id = $2 AND observed_at >= to_timestamp($3) AND observed_at <= to_timestamp($4))
     ORDER BY 1`, [system, station, fromMs / 1000, toMs / 1000]);
  return rows.map((r) => ({ at: new Date(Math.max(Number(r.t), fromMs)).toISOString(), bikes: r.bikes, docks: r.docks }));
}

export interface DayKpis {
  day_start: string;
  /** The day so far that the feed covered: from local midnight to the last good snapshot, less its outages. */
  observed_minutes: number;
  empty_station_minutes: number;
  full_station_minutes: number;
  bikes_collected: number;
  bikes_dropped: number;
  stops_done: number;
  stops_skipped: number;
}

/**
 * The local day so far (the system's zone): station-minutes spent empty (no bike) and full (no free
 * dock), counting observed time only, by the flows' rule (src/platform/flows/derive-sql.ts): each
 * state holds until the station's next row, but not through the feed's outages (the `gaps` table)
 * nor past the last good snapshot (time after it is not observed yet); and what drivers reported.
 * A state older than a day before midnight is not looked for (such a station counts from its first
 * row of the window).
 */
export async function dayKpis(store: Store, system: string, timezone: string, nowMs: number): Promise<DayKpis> {
  const start = await store.all<{ t: number }>('SELECT epoch_ms(timezone($1, date_trunc(\'day\', timezone($1, to_timestamp($2))))) AS t', [timezone, nowMs / 1000]);
  const dayMs = Number(start[0]!.t);
  const last = await lastSnapshotMs(store, system);
  const endMs = Math.max(dayMs, Math.min(nowMs, last ?? dayMs));
  const m = await store.all<{ empty: number | null; full: number | null; observed: number | null }>(
    `WITH s AS (
       SELECT bikes_available AS b, docks_available AS d, epoch_ms(observed_at) AS t0,
              coalesce(epoch_ms(lead(observed_at) OVER (PARTITION BY station_id ORDER BY observed_at)), $3) AS t1
       FROM status WHERE system_id = $1 AND observed_at >= to_timestamp($2 / 1000 - 86400) AND observed_at <= to_timestamp($3 / 1000)),
     seg AS (SELECT row_number() OVER () AS id, b, d, greatest(t0, $2) AS a, least(t1, $3) AS z FROM s WHERE least(t1, $3) > greatest(t0, $2)),
     g AS (SELECT epoch_ms(gap_start) AS gs, epoch_ms(gap_end) AS ge FROM gaps
           WHERE system_id = $1 AND gap_end > to_timestamp($2 / 1000) AND gap_start < to_timestamp($3 / 1000)),
     cut AS (SELECT seg.b, seg.d, greatest(0, (seg.z - seg.a) - coalesce(sum(greatest(0, least(seg.z, g.ge) - greatest(seg.a, g.gs))), 0)) AS ms
             FROM seg LEFT JOIN g ON g.gs < seg.z AND g.ge > seg.a GROUP BY seg.id, seg.b, seg.d, seg.a, seg.z)
     SELECT sum(CASE WHEN b = 0 THEN ms END) / 60000 AS empty, sum(CASE WHEN d = 0 THEN ms END) / 60000 AS full,
            ($3 - $2 - (SELECT coalesce(sum(greatest(0, least($3, ge) - greatest($2, gs))), 0) FROM g)) / 60000 AS observed
     FROM cut`, [system, dayMs, endMs]);
  const r = await store.all<{ c: number | null; d: number | null; done: number; skipped: number }>(
    `SELECT sum(collected) AS c, sum(dropped) AS d, count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'skipped') AS skipped
     FROM driver_reports WHERE system_id = $1 AND received_at >= to_timestamp($2 / 1000) AND received_at <= to_timestamp($3 / 1000)`, [system, dayMs, nowMs]);
  return {
    day_start: new Date(dayMs).toISOString(),
    observed_minutes: Math.round(Math.max(0, m[0]?.observed ?? 0)),
    empty_station_minutes: Math.round(m[0]?.empty ?? 0), full_station_minutes: Math.round(m[0]?.full ?? 0),
    bikes_collected: r[0]?.c ?? 0, bikes_dropped: r[0]?.d ?? 0, stops_done: r[0]?.done ?? 0, stops_skipped: r[0]?.skipped ?? 0,
  };
}

export interface ReportRow {
  report_id: number; truck: string; plan_id: string | null; station_id: string; status: 'done' | 'skipped';
  collected: number | null; dropped: number | null; reason: string | null; at: string;
}

export async function truckReports(store: Store, system: string, truck: string, limit = 500): Promise<ReportRow[]> {
  const rows = await store.all<Omit<ReportRow, 'at'> & { t: number }>(
    `SELECT report_id, truck, plan_id, station_id, status, collected, dropped, reason, epoch_ms(received_at) AS t FROM driver_reports
     WHERE system_id = $1 AND truck = $2 ORDER BY report_id DESC LIMIT $3`, [system, truck, limit]);
  return rows.reverse().map(({ t, ...r }) => ({ ...r, at: new Date(Number(t)).toISOString() }));
}
