// The one writer of trips. A trip is stored once, whatever file brings it: idempotency by file hash
// misses a partial re-download, the same month re-encoded (gzip, BOM, CP949 or UTF-8) or an
// overlapping export, and every trip counted twice skews the statistics and the forecast.
// A trip's identity: its ride id where the format has one (`trip_id`); otherwise the bike, the two
// times and the two stations (one bike cannot make two trips with the same times), with the
// duration and the rider type added when the file names no bike (Bixi). The first version stored
// is kept: a trip already in the store, or met earlier in the same file, is counted as a duplicate.
import type { Store } from './connection.ts';

/** The columns a source SELECT gives, in this order, plus `ord` (the row's place in its file). */
export const TRIP_COLUMNS = [
  'system_id', 'trip_id', 'bike_id', 'started_at', 'ended_at', 'start_station_id', 'end_station_id', 'duration_s',
  'distance_m', 'user_type', 'birth_year', 'gender', 'rideable_type', 'import_id',
] as const;

/** The identity of a trip with no ride id, as SQL expressions over a row alias. */
function tupleIdentity(a: string): string[] {
  return [
    `${a}.bike_id`, `${a}.started_at`, `${a}.ended_at`, `${a}.start_station_id`, `${a}.end_station_id`,
    `CASE WHEN ${a}.bike_id IS NULL THEN ${a}.duration_s END`, `CASE WHEN ${a}.bike_id IS NULL THEN ${a}.user_type END`,
  ];
}

export interface TripInsert {
  /** Rows stored. */
  inserted: number;
  /** Rows not stored because the store (or an earlier row of the same source) already holds the trip. */
  duplicates: number;
}

/**
 * Inserts the trips of `source` (a SELECT giving TRIP_COLUMNS and `ord`, all of one system and one
 * import) that the store does not hold yet. `candidates`: how many rows the source gives (the
 * importer counted them already); the difference from what was stored is the duplicates.
 */
export async function insertNewTrips(
  store: Store, o: { systemId: string; importId: number; source: string; params: unknown[]; candidates: number },
): Promise<TripInsert> {
  if (o.candidates === 0) return { inserted: 0, duplicates: 0 };
  const p = o.params.length;
  const sys = `$${p + 1}`;
  const params = [...(o.params as never[])];
  const cols = TRIP_COLUMNS.join(', ');
  // Text types fixed here: a layout without a ride id or bike gives NULL, typed INTEGER by DuckDB.
  const source = `(SELECT * REPLACE (trip_id::VARCHAR AS trip_id, bike_id::VARCHAR AS bike_id, user_type::VARCHAR AS user_type) FROM (${o.source}))`;
  // A month is millions of rows: the comparison with the store is made only where the store holds
  // trips that could match (a ride id, or a trip without one in the new rows' time span), so a new
  // month into a store without it costs one streaming insert.
  const [span] = await store.all<{ lo: string | null; hi: string | null; ids: number }>(
    `SELECT min(started_at)::VARCHAR AS lo, max(started_at)::VARCHAR AS hi, count(trip_id) AS ids FROM ${source}`, params);
  const [stored] = await store.all<{ ids: number; tuples: number }>(
    `SELECT count(*) FILTER (WHERE trip_id IS NOT NULL) AS ids, count(*) FILTER (WHERE trip_id IS NULL AND started_at BETWEEN $2::TIMESTAMPTZ AND $3::TIMESTAMPTZ) AS tuples
     FROM trips WHERE system_id = $1`, [o.systemId, span?.lo ?? null, span?.hi ?? null]);
  const n = tupleIdentity('n');
  const t = tupleIdentity('t');
  const same = n.map((e, i) => `${t[i]} IS NOT DISTINCT FROM ${e}`).join(' AND ');
  const conditions: string[] = [];
  const matchable = (span?.ids ?? 0) > 0 && (stored?.ids ?? 0) > 0;
  if (matchable || (stored?.tuples ?? 0) > 0) params.push(o.systemId as never);
  if (matchable) {
    conditions.push(`(n.trip_id IS NULL OR NOT EXISTS (SELECT 1 FROM trips t WHERE t.system_id = ${sys} AND t.trip_id = n.trip_id))`);
  }
  if ((stored?.tuples ?? 0) > 0) {
    conditions.push(`(n.trip_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM trips t WHERE t.system_id = ${sys} AND t.trip_id IS NULL
       AND t.started_at BETWEEN $${p + 2}::TIMESTAMPTZ AND $${p + 3}::TIMESTAMPTZ AND ${same}))`);
    params.push(span!.lo as never, span!.hi as never);
  }
  await store.run(
    `INSERT INTO trips (${cols}) SELECT ${cols} FROM ${source} n ${conditions.length ? `WHERE ${conditions.join(' AND ')} ORDER BY n.ord` : ''}`,
    params,
  );
  // The same trip twice in one file (two exports joined): the first row is kept. Rows are inserted
  // in file order (a plain scan keeps the staging table's order; after a join, ORDER BY restores
  // it), so the first is the lowest rowid. A grouping over the identity finds any; the
  // delete runs only when there are.
  const key = `trip_id, ${tupleIdentity('trips').map((e) => `CASE WHEN trips.trip_id IS NULL THEN ${e} END`).join(', ')}`;
  const [again] = await store.all<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM trips WHERE import_id = $1 GROUP BY ${key} HAVING count(*) > 1)`, [o.importId]);
  if ((again?.n ?? 0) > 0) {
    await store.run(
      `DELETE FROM trips WHERE import_id = $1 AND rowid IN (
         SELECT rowid FROM trips WHERE import_id = $1 QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY rowid) > 1)`, [o.importId]);
  }
  const [row] = await store.all<{ n: number }>('SELECT count(*) AS n FROM trips WHERE import_id = $1', [o.importId]);
  const inserted = row?.n ?? 0;
  return { inserted, duplicates: o.candidates - inserted };
}
