// Hourly flows and feed gaps in the store: the SQL form of hourly.ts (same rules, checked against it
// in tests), run after each status import for the hours that the new data can change.
import type { Store } from '../store/connection.ts';
import { findGaps, type Gap } from './gaps.ts';
import { floorHour } from './hourly.ts';
import { bumpFlowVersion } from './version.ts';

const REASON_PREFIX = 'feed outage: no snapshot';

/**
 * Recompute the system's `gaps` from all its snapshot times (the median interval moves as data
 * arrives, so the whole set is re-judged; it is small). Returns the epoch seconds of the earliest
 * gap that appeared or disappeared, undefined when the set is unchanged.
 */
export async function refreshGaps(store: Store, systemId: string, gapFactor: number): Promise<number | undefined> {
  const times = (await store.all<{ t: number }>('SELECT epoch(observed_at) AS t FROM snapshots WHERE system_id = $1 ORDER BY observed_at', [systemId])).map((r) => r.t);
  const { gaps, medianInterval, threshold } = findGaps(times, gapFactor);
  // Only the gaps judged here: the live poller records its own (failed fetches), which stay.
  const stored = await store.all<{ s: number; e: number }>(`SELECT epoch(gap_start) AS s, epoch(gap_end) AS e FROM gaps WHERE system_id = $1 AND reason LIKE '${REASON_PREFIX}%'`, [systemId]);
  const key = (g: Gap) => `${g.start}-${g.end}`;
  const now = new Set(gaps.map(key));
  const before = new Set(stored.map((g) => key({ start: g.s, end: g.e })));
  let earliest: number | undefined;
  for (const g of gaps) if (!before.has(key(g))) earliest = Math.min(earliest ?? Infinity, g.start);
  for (const g of stored) if (!now.has(key({ start: g.s, end: g.e }))) earliest = Math.min(earliest ?? Infinity, g.s);
  // Rewritten even when the set is the same: the reason states the current median and threshold.
  await store.run(`DELETE FROM gaps WHERE system_id = $1 AND reason LIKE '${REASON_PREFIX}%'`, [systemId]);
  const reason = `${REASON_PREFIX} for more than ${gapFactor} x the median interval (${medianInterval} s), i.e. > ${threshold} s`;
  for (let i = 0; i < gaps.length; i += 500) {
    const chunk = gaps.slice(i, i + 500);
    const values = chunk.map((_, j) => `($1, to_timestamp($${3 + 2 * j}), to_timestamp($${4 + 2 * j}), $2)`).join(', ');
    await store.run(`INSERT INTO gaps (system_id, gap_start, gap_end, reason) VALUES ${values} ON CONFLICT DO NOTHING`, [systemId, reason, ...chunk.flatMap((g) => [g.start, g.end])]);
  }
  return earliest;
}

/**
 * Replace the system's status-derived hourly flows from the hour of `from` (epoch seconds) on;
 * everything when `from` is undefined. Hours before it are left as they are: they depend only on
 * rows before `from`, which is the caller's promise (see the importers' affected ranges).
 */
export async function recomputeHourlyFlows(store: Store, systemId: string, from: number | undefined, truckThreshold: number): Promise<number> {
  const h0 = from === undefined ? -1e12 : floorHour(from);
  await store.run("DELETE FROM hourly_flows WHERE system_id = $1 AND source = 'status' AND hour >= to_timestamp($2)", [systemId, h0]);
  await bumpFlowVersion(store, systemId, 'hourly_flows');
  // Steps as temp tables: each is scanned more than once, and DuckDB then need not recompute them.
  const params = [systemId, h0];
  // Each station's rows from h0 on, plus its state coming into h0 (its last row before).
  await store.run(`CREATE OR REPLACE TEMP TABLE _fl_rows AS
    WITH carry AS (SELECT station_id, max(observed_at) AS observed_at FROM status WHERE system_id = $1 AND observed_at < to_timestamp($2) GROUP BY station_id)
    SELECT station_id, observed_at, bikes_available, docks_available, bikes_available + coalesce(bikes_disabled, 0) AS docked, coalesce(is_installed, true) AS installed
    FROM status WHERE system_id = $1 AND observed_at >= to_timestamp($2)
    UNION ALL
    SELECT s.station_id, s.observed_at, s.bikes_available, s.docks_available, s.bikes_available + coalesce(s.bikes_disabled, 0), coalesce(s.is_installed, true)
    FROM status s JOIN carry c USING (station_id, observed_at) WHERE s.system_id = $1`, params);
  // Segments: a row's state holds until the station's next row, the last snapshot, or its removal.
  await store.run(`CREATE OR REPLACE TEMP TABLE _fl_seg AS
    WITH w AS (
      SELECT *, lead(observed_at) OVER w AS next_at, lag(docked) OVER w AS prev_docked, lag(installed) OVER w AS prev_installed
      FROM _fl_rows WINDOW w AS (PARTITION BY station_id ORDER BY observed_at))
    SELECT w.*, coalesce(st.valid_to, 'infinity'::TIMESTAMPTZ) AS removed,
      greatest(w.observed_at, to_timestamp($2)) AS seg_start,
      least(coalesce(w.next_at, (SELECT max(observed_at) FROM snapshots WHERE system_id = $1), w.observed_at), coalesce(st.valid_to, 'infinity'::TIMESTAMPTZ)) AS seg_end
    FROM w LEFT JOIN (SELECT station_id, valid_to FROM stations WHERE system_id = $1 AND valid_to IS NOT NULL) st USING (station_id)`, params);
  await store.run('DROP TABLE _fl_rows');
  // Pieces: segments cut at hour boundaries.
  await store.run(`CREATE OR REPLACE TEMP TABLE _fl_pieces AS
    -- Most segments lie within one hour: those skip the series (far cheaper than unnesting it).
    SELECT station_id, date_trunc('hour', seg_start) AS hour, seg_start AS a, seg_end AS b, installed, bikes_available, docks_available
    FROM _fl_seg WHERE seg_end > seg_start AND seg_end <= date_trunc('hour', seg_start) + INTERVAL 1 HOUR
    UNION ALL
    SELECT station_id, hour, greatest(seg_start, hour) AS a, least(seg_end, hour + INTERVAL 1 HOUR) AS b, installed, bikes_available, docks_available
    FROM (SELECT *, unnest(generate_series(date_trunc('hour', seg_start), seg_end, INTERVAL 1 HOUR)) AS hour
          FROM _fl_seg WHERE seg_end > date_trunc('hour', seg_start) + INTERVAL 1 HOUR)
    WHERE least(seg_end, hour + INTERVAL 1 HOUR) > greatest(seg_start, hour)`);
  // Outage seconds inside each piece (gaps are few: join on the hour, then clip).
  await store.run(`CREATE OR REPLACE TEMP TABLE _fl_gapsecs AS
    WITH gap_hours AS (
      SELECT hour, greatest(gap_start, hour) AS ga, least(gap_end, hour + INTERVAL 1 HOUR) AS gb
      FROM (SELECT gap_start, gap_end, unnest(generate_series(date_trunc('hour', gap_start), gap_end, INTERVAL 1 HOUR)) AS hour
            FROM gaps WHERE system_id = $1 AND gap_end > to_timestamp($2))
      WHERE least(gap_end, hour + INTERVAL 1 HOUR) > greatest(gap_start, hour))
    SELECT p.rowid AS pid, sum(epoch(least(p.b, g.gb)) - epoch(greatest(p.a, g.ga))) AS secs
    FROM _fl_pieces p JOIN gap_hours g ON g.hour = p.hour
    WHERE g.ga < p.b AND g.gb > p.a GROUP BY p.rowid`, params);
  await store.run(`INSERT INTO hourly_flows
      (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source, truck_in, truck_out)
    WITH observed AS (
      SELECT station_id, hour,
        sum(CASE WHEN installed THEN secs ELSE 0 END) / 60 AS mo,
        sum(CASE WHEN installed AND bikes_available = 0 THEN secs ELSE 0 END) / 60 AS me,
        sum(CASE WHEN installed AND docks_available = 0 THEN secs ELSE 0 END) / 60 AS mf
      FROM (SELECT p.*, epoch(p.b) - epoch(p.a) - coalesce(g.secs, 0) AS secs FROM _fl_pieces p LEFT JOIN _fl_gapsecs g ON g.pid = p.rowid)
      GROUP BY station_id, hour),
    moves AS (
      SELECT station_id, date_trunc('hour', observed_at) AS hour, docked - prev_docked AS d
      FROM _fl_seg
      WHERE observed_at >= to_timestamp($2) AND prev_docked IS NOT NULL AND prev_installed AND installed AND observed_at < removed
        AND docked <> prev_docked
        AND observed_at NOT IN (SELECT gap_end FROM gaps WHERE system_id = $1)),
    flow AS (
      SELECT station_id, hour,
        sum(CASE WHEN d < 0 AND -d < $3 THEN -d ELSE 0 END) AS pickups,
        sum(CASE WHEN d > 0 AND d < $3 THEN d ELSE 0 END) AS returns,
        sum(CASE WHEN d >= $3 THEN d ELSE 0 END) AS truck_in,
        sum(CASE WHEN -d >= $3 THEN -d ELSE 0 END) AS truck_out
      FROM moves GROUP BY station_id, hour)
    SELECT $1, station_id, hour, coalesce(f.pickups, 0), coalesce(f.returns, 0), coalesce(o.mo, 0), coalesce(o.me, 0), coalesce(o.mf, 0),
      'status', coalesce(f.truck_in, 0), coalesce(f.truck_out, 0)
    FROM observed o FULL OUTER JOIN flow f USING (station_id, hour)`, [systemId, h0, truckThreshold]);
  for (const t of ['_fl_seg', '_fl_pieces', '_fl_gapsecs']) await store.run(`DROP TABLE ${t}`);
  const n = await store.all<{ n: number }>("SELECT count(*) AS n FROM hourly_flows WHERE system_id = $1 AND source = 'status' AND hour >= to_timestamp($2)", [systemId, h0]);
  return n[0]?.n ?? 0;
}
