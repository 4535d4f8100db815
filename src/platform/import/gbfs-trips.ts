// `gbfs-trips`: trip CSVs as GBFS systems publish them (Citi Bike, Divvy, Bixi, Bay Wheels), in
// their successive layouts, told apart by the header:
//   current (2020-):   ride_id, rideable_type, started_at, ended_at, start_station_id, end_station_id, ..., member_casual
//   Citi Bike (-2021): tripduration, starttime, stoptime, start station id, ..., bikeid, usertype, birth year, gender
//   Ford GoBike / Bay Wheels (-2020): duration_sec, start_time, end_time, start_station_id, ..., bike_id, user_type, member_birth_year, member_gender
//   Bixi (-2021):      start_date, start_station_code, end_date, end_station_code, duration_sec, is_member
// Times are local to the system (its zone in `systems`) and stored in UTC. DuckDB reads the file into
// a staging table of strings; rows that cannot be used are counted by reason in SQL.
import { upsertStations, type StationRow } from '../store/stations.ts';
import { systemTimezone } from '../store/systems.ts';
import { insertNewTrips } from '../store/trips.ts';
import { parseCsvLine } from './csv-records.ts';
import { assertQuotesClosed } from './csv-scan.ts';
import { ImportError } from './errors.ts';
import { asUtf8File, detectFileEncoding, readHead, sqlString } from './file-input.ts';
import type { ImportContext, Importer } from './importer.ts';

/** Each trips column and the header names (lower case, spaces as underscores) that carry it. */
const FIELDS = {
  trip_id: ['ride_id', 'trip_id', 'rental_id'],
  started_at: ['started_at', 'starttime', 'start_time', 'start_date'],
  ended_at: ['ended_at', 'stoptime', 'end_time', 'end_date'],
  start_station_id: ['start_station_id', 'start_station_code'],
  end_station_id: ['end_station_id', 'end_station_code'],
  bike_id: ['bike_id', 'bikeid'],
  duration_s: ['duration_sec', 'tripduration'],
  user_type: ['member_casual', 'usertype', 'user_type', 'is_member'],
  birth_year: ['member_birth_year', 'birth_year'],
  gender: ['member_gender', 'gender'],
  rideable_type: ['rideable_type'],
  start_station_name: ['start_station_name'],
  end_station_name: ['end_station_name'],
  start_lat: ['start_lat', 'start_station_latitude'],
  start_lon: ['start_lng', 'start_lon', 'start_station_longitude'],
  end_lat: ['end_lat', 'end_station_latitude'],
  end_lon: ['end_lng', 'end_lon', 'end_station_longitude'],
} as const;
type Field = keyof typeof FIELDS;
const REQUIRED: Field[] = ['started_at', 'ended_at', 'start_station_id', 'end_station_id'];

/** Timestamp layouts seen in the published files (Divvy re-saved: M/D/YYYY H:MM). */
const TIME_FORMATS = ['%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%Y-%m-%dT%H:%M:%S'];

const norm = (h: string) => h.trim().replace(/^\uFEFF/, '').replace(/^"|"$/g, '').toLowerCase().replace(/\s+/g, '_');

/** Which header column carries each field; throws when a required one is missing. */
export function mapHeader(path: string, header: readonly string[]): Partial<Record<Field, string>> {
  const byNorm = new Map(header.map((h) => [norm(h), h]));
  const out: Partial<Record<Field, string>> = {};
  for (const [field, names] of Object.entries(FIELDS) as [Field, readonly string[]][]) {
    const hit = names.find((n) => byNorm.has(n));
    if (hit) out[field] = byNorm.get(hit)!;
  }
  for (const f of REQUIRED) {
    if (!out[f]) throw new ImportError(path, `not a known trip layout: no column for ${f} (expected one of ${FIELDS[f].join(', ')}; header: ${header.join(',')})`, { line: 1, field: f });
  }
  return out;
}

export const importer: Importer = {
  kind: 'gbfs-trips',
  description: 'GBFS-style trip CSVs (Citi Bike, Divvy, Bixi, Bay Wheels; current and older layouts)',
  async load(ctx) {
    const encoding = await detectFileEncoding(ctx.file.path);
    const utf8 = await asUtf8File(ctx.file.path, encoding);
    try {
      return { ...(await loadTrips(ctx, utf8.path)), encoding };
    } finally {
      await utf8.cleanup();
    }
  },
};

async function loadTrips(ctx: ImportContext, path: string): Promise<{ imported: number; duplicates: number }> {
  const { store } = ctx;
  const firstLine = (await readHead(path, 64 * 1024)).toString('utf-8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const header = parseCsvLine(firstLine).map((h) => h.trim());
  const cols = mapHeader(ctx.file.path, header);
  const zone = await systemTimezone(store, ctx.systemId);
  await assertQuotesClosed(path, ctx.file.path, (i) => header[i]);

  // Rows with too few or too many fields (a file cut short) go to DuckDB's rejects table, with their line.
  for (const t of ['_trips_raw', '_trips_rej', '_trips_rejscan']) await store.run(`DROP TABLE IF EXISTS ${t}`);
  // The dialect is given, not sniffed: a sniffer that met a stray quote read the file without
  // quoting (the quote stored as data) or without a header (columns named column00...).
  await store.run(`CREATE TEMP TABLE _trips_raw AS SELECT * FROM read_csv(${sqlString(path)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
      normalize_names = false, store_rejects = true, ignore_errors = true, rejects_table = '_trips_rej', rejects_scan = '_trips_rejscan')`)
    .catch((err: Error) => { throw new ImportError(ctx.file.path, `cannot read as CSV: ${err.message.split('\n')[0]}`); });
  const read = new Set((await store.all<{ column_name: string }>("SELECT column_name FROM (DESCRIBE _trips_raw)")).map((r) => r.column_name));
  for (const [field, column] of Object.entries(cols)) {
    if (!read.has(column)) throw new ImportError(ctx.file.path, `the header names column '${column}' (${field}) but it could not be read as one (header: ${header.join(',')})`, { line: 1, field: column });
  }
  // DuckDB writes one reject row per missing column of a cut row: one record, one reject.
  const structural = await store.all<{ line: number; error_type: string; column_name: string | null; csv_line: string | null }>(
    'SELECT line, any_value(error_type ORDER BY column_idx) AS error_type, any_value(column_name ORDER BY column_idx) AS column_name, any_value(csv_line) AS csv_line FROM _trips_rej GROUP BY line ORDER BY line');
  for (const r of structural) {
    const reason = r.error_type === 'MISSING COLUMNS' ? 'row cut short (fewer fields than the header)' : r.error_type === 'TOO MANY COLUMNS' ? 'more fields than the header' : `unreadable row (${r.error_type.toLowerCase()})`;
    ctx.rejects.add(reason, { line: r.line, field: r.column_name ?? undefined, raw: r.csv_line ?? undefined });
  }

  const c = (f: Field) => (cols[f] ? `nullif(trim(${ident(cols[f]!)}), '')` : 'NULL');
  const time = (f: Field) => `try_strptime(${c(f)}, [${TIME_FORMATS.map(sqlString).join(', ')}])`;
  await store.run(`CREATE OR REPLACE TEMP TABLE _trips AS
    SELECT rowid - (SELECT min(rowid) FROM _trips_raw) AS rid, ${c('trip_id')} AS trip_id, ${c('bike_id')} AS bike_id,
      ${time('started_at')} AS started_local, ${time('ended_at')} AS ended_local,
      ${c('start_station_id')} AS start_station_id, ${c('end_station_id')} AS end_station_id,
      TRY_CAST(${c('duration_s')} AS DOUBLE) AS duration_s, ${c('user_type')} AS user_type,
      TRY_CAST(TRY_CAST(${c('birth_year')} AS DOUBLE) AS INTEGER) AS birth_year, ${c('gender')} AS gender, ${c('rideable_type')} AS rideable_type,
      ${c('started_at')} AS started_raw, ${c('ended_at')} AS ended_raw,
      ${c('start_station_name')} AS start_name, ${c('end_station_name')} AS end_name,
      TRY_CAST(${c('start_lat')} AS DOUBLE) AS start_lat, TRY_CAST(${c('start_lon')} AS DOUBLE) AS start_lon,
      TRY_CAST(${c('end_lat')} AS DOUBLE) AS end_lat, TRY_CAST(${c('end_lon')} AS DOUBLE) AS end_lon
    FROM _trips_raw`);
  // rid: the row's index among the rows read (rowids inside a transaction start from a base above
  // 2^53, so the difference is taken in SQL). DuckDB skipped the structural rejects: lineOf counts them back in.
  const reasons: [string, string, string][] = [
    ['unparseable started_at', 'started_local IS NULL', cols.started_at!],
    ['unparseable ended_at', 'ended_local IS NULL', cols.ended_at!],
    ['missing start station', 'start_station_id IS NULL', cols.start_station_id!],
    ['missing end station', 'end_station_id IS NULL', cols.end_station_id!],
    ['return before rental', 'ended_local < started_local', cols.ended_at!],
    // A duration the file writes itself (duration_sec, tripduration) that cannot be: the store would keep it as given.
    ...(cols.duration_s ? [['negative duration', 'duration_s < 0', cols.duration_s] as [string, string, string]] : []),
    ...(['start', 'end'] as const).flatMap((end) => (cols[`${end}_lat`] ? [[
      `${end} coordinates outside the earth`, `abs(${end}_lat) > 90 OR abs(${end}_lon) > 180 OR (${end}_lat = 0 AND ${end}_lon = 0)`, cols[`${end}_lat`]!,
    ] as [string, string, string]] : [])),
  ];
  const reasonSql = `CASE ${reasons.map(([r, cond]) => `WHEN ${cond} THEN ${sqlString(r)}`).join(' ')} END`;
  const fieldSql = `CASE ${reasons.map(([, cond, f]) => `WHEN ${cond} THEN ${sqlString(f)}`).join(' ')} END`;
  const bad = await store.all<{ reason: string; field: string; n: number; rids: number[]; raws: string[] }>(`
    SELECT reason, any_value(field) AS field, count(*) AS n, list(rid ORDER BY rid)[1:5] AS rids,
      list(coalesce(started_raw, '') || ' -> ' || coalesce(ended_raw, '') ORDER BY rid)[1:5] AS raws
    FROM (SELECT ${reasonSql} AS reason, ${fieldSql} AS field, rid, started_raw, ended_raw FROM _trips) WHERE reason IS NOT NULL GROUP BY reason`);
  if (bad.length > 0) {
    // Line of the idx-th row read: header, the rows before it, and the skipped structural lines before it.
    const lineOf = (idx: number) => { let line = idx + 2; for (const s of structural) if (s.line <= line) line++; return line; };
    for (const r of bad) {
      r.rids.forEach((rid, i) => {
        ctx.rejects.add(r.reason, { line: lineOf(rid), field: r.field, raw: r.raws[i] });
      });
      if (r.n > r.rids.length) ctx.rejects.add(r.reason, {}, r.n - r.rids.length);
    }
  }
  const valid = (await store.all<{ n: number }>(`SELECT count(*) AS n FROM _trips WHERE (${reasonSql}) IS NULL`))[0]!.n;
  // A trip the store already holds (same ride_id; or same bike, times and stations) is not stored again.
  const stored = await insertNewTrips(store, {
    systemId: ctx.systemId, importId: ctx.importId, candidates: valid, params: [ctx.systemId, zone, ctx.importId],
    source: `SELECT $1 AS system_id, trip_id, bike_id, timezone($2, started_local) AS started_at, timezone($2, ended_local) AS ended_at,
      start_station_id, end_station_id, coalesce(duration_s, epoch(ended_local) - epoch(started_local)) AS duration_s, NULL::DOUBLE AS distance_m,
      user_type, birth_year, gender, rideable_type, $3::BIGINT AS import_id, rid AS ord
    FROM _trips WHERE (${reasonSql}) IS NULL`,
  });
  await stationsFromTrips(ctx, `(${reasonSql}) IS NULL`);
  for (const t of ['_trips_raw', '_trips', '_trips_rej', '_trips_rejscan']) await store.run(`DROP TABLE IF EXISTS ${t}`);
  return { imported: stored.inserted, duplicates: stored.duplicates };
}

/**
 * The stations the trips name that the store does not know yet, where the file places them (its
 * start/end latitude and longitude columns): the median position over the trips, the name most
 * used, first and last seen. The simulator's trip demand needs where each station is (a rider
 * who finds one full rides to the nearest with a free dock); capacity is not in trip files and is
 * left empty. Written as a source that knows presence: valid_to is the last trip seen there, so a
 * station from an old trip file is not read as in service today. Stations the store already has
 * (a station list, a GBFS feed) are left as they are.
 */
async function stationsFromTrips(ctx: ImportContext, keep: string): Promise<void> {
  const { store } = ctx;
  const rows = await store.all<{ id: string; name: string | null; lat: number | null; lon: number | null; first: number; last: number }>(`
    WITH ends AS (
      SELECT start_station_id AS id, start_name AS name, start_lat AS lat, start_lon AS lon, epoch(timezone($2, started_local)) AS t FROM _trips WHERE ${keep}
      UNION ALL
      SELECT end_station_id, end_name, end_lat, end_lon, epoch(timezone($2, ended_local)) FROM _trips WHERE ${keep})
    SELECT e.id, mode(e.name) AS name,
      median(e.lat) FILTER (WHERE e.lat BETWEEN -90 AND 90 AND e.lat <> 0) AS lat,
      median(e.lon) FILTER (WHERE e.lon BETWEEN -180 AND 180 AND e.lon <> 0) AS lon, min(e.t) AS first, max(e.t) AS last
    FROM ends e WHERE NOT EXISTS (SELECT 1 FROM stations s WHERE s.system_id = $1 AND s.station_id = e.id)
    GROUP BY e.id`, [ctx.systemId, await systemTimezone(store, ctx.systemId)]);
  const placed: StationRow[] = rows.filter((r) => r.lat != null && r.lon != null)
    .map((r) => ({ stationId: r.id, name: r.name, lat: r.lat, lon: r.lon, validFrom: r.first, validTo: r.last }));
  await upsertStations(store, ctx.systemId, placed, { source: 'gbfs-trips', importId: ctx.importId, presence: true });
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
