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
  const cols = TRIP_COLUMNS.join(', ');
  const n = tupleIdentity('n');
  const t = tupleIdentity('t');
  const same = n.map((e, i) => `${t[i]} IS NOT DISTINCT FROM ${e}`).join(' AND ');
  // Stored trips without a ride id are compared only around the new rows' time span (a trip's
  // start is part of its identity): the comparison stays proportional to the file, not the store.
  await store.run(
    `INSERT INTO trips (${cols})
     WITH n AS MATERIALIZED (SELECT * REPLACE (trip_id::VARCHAR AS trip_id, bike_id::VARCHAR AS bike_id, user_type::VARCHAR AS user_type) FROM (${o.source})),
     span AS (SELECT min(started_at) AS lo, max(started_at) AS hi FROM n),
     stored_ids AS (SELECT trip_id FROM trips WHERE system_id = ${sys} AND trip_id IS NOT NULL),
     stored AS (SELECT * FROM trips t WHERE t.system_id = ${sys} AND t.trip_id IS NULL
                  AND t.started_at BETWEEN (SELECT lo FROM span) AND (SELECT hi FROM span))
     SELECT ${cols} FROM n
     WHERE (n.trip_id IS NULL OR n.trip_id NOT IN (SELECT trip_id FROM stored_ids))
       AND (n.trip_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM stored t WHERE ${same}))
     QUALIFY row_number() OVER (PARTITION BY n.trip_id, ${n.map((e) => `CASE WHEN n.trip_id IS NULL THEN ${e} END`).join(', ')} ORDER BY n.ord) = 1`,
    [...(o.params as never[]), o.systemId],
  );
  const [row] = await store.all<{ n: number }>('SELECT count(*) AS n FROM trips WHERE import_id = $1', [o.importId]);
  const inserted = row?.n ?? 0;
  return { inserted, duplicates: o.candidates - inserted };
}
