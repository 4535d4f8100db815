// Seoul trip history (공공자전거 대여이력 정보): every header vintage, CP949 or UTF-8 (with or
// without BOM). DuckDB parses the file into a TEMP staging table; validation, conversion to UTC
// and the reject counts are SQL over that table, so a 3.5 M-row month stays close to the cost of
// DuckDB reading it (see bench/seoul-trips-import.ts).
import { SEOUL_SYSTEM } from '../ids.ts';
import iconv from 'iconv-lite';
import type { Store } from '../store/connection.ts';
import { systemTimezone } from '../store/systems.ts';
import { insertNewTrips } from '../store/trips.ts';
import { stageCsv, recordLine, type CsvColumn, type CsvError, type StagedCsv } from './duckdb-csv.ts';
import { ImportError } from './errors.ts';
import { detectFileEncoding, readHead, sqlString } from './file-input.ts';
import type { ImportContext, Importer, LoadResult } from './importer.ts';
import { latin1ToCp949 } from './seoul/cp949.ts';
import { REASON_MISSING_STATION, REASON_NOT_NUMBERED, stationNumberSql } from './seoul/station-number.ts';
import { firstLine, matchTripHeader, type TripField, type TripVintage } from './seoul/trip-vintages.ts';

export const TRIP_REASONS = {
  missingDate: 'missing date',
  unparseableDate: 'unparseable date',
  missingStation: REASON_MISSING_STATION,
  notNumbered: REASON_NOT_NUMBERED,
  returnBeforeRental: 'return before rental',
  dateOutOfRange: 'date out of range (before 2015 or in the future)',
  badQuoting: 'malformed CSV record (unbalanced quotes)',
  wrongFieldCount: 'malformed CSV record (wrong number of fields)',
  badEncoding: 'malformed CSV record (invalid text encoding)',
  otherCsv: 'malformed CSV record',
} as const;

const TYPES: Partial<Record<TripField, CsvColumn['type']>> = { started: 'TIMESTAMP', ended: 'TIMESTAMP' };

export const importer: Importer = {
  kind: 'seoul-trips',
  timeZone: 'Asia/Seoul',
  description: 'Seoul trip history (대여이력), every header vintage, CP949 or UTF-8',
  defaultSystem: SEOUL_SYSTEM,
  load: loadTrips,
};

async function loadTrips(ctx: ImportContext): Promise<LoadResult> {
  const { store, file } = ctx;
  const encoding = await detectFileEncoding(file.path);
  const head = await readHead(file.path, 64 * 1024);
  const headText = encoding === 'cp949' ? iconv.decode(head, 'cp949') : head.toString('utf-8');
  const match = matchTripHeader(firstLine(headText));
  if (match.kind === 'unknown') {
    throw new ImportError(file.path, `the header matches no known trip-history vintage (11, 16 or 17 columns); it has ${match.cells.length} columns: ${match.cells.slice(0, 17).join(', ')}`, { line: 1 });
  }
  const vintage = match.vintage;
  const latin1 = encoding === 'cp949';
  ctx.progress.start(4, `seoul-trips ${file.name}`);

  const stage = `trips_stage_${ctx.importId}`;
  const columns: CsvColumn[] = vintage.fields.map((f, i) => ({ name: f, type: TYPES[f] ?? 'VARCHAR', label: vintage.header[i]! }));
  const has = (f: TripField) => vintage.fields.includes(f);
  // Only what the store keeps is materialised: names and docks are parsed but not held.
  const keep: TripField[] = ['bike_id', 'started', 'ended', 'start_no', 'end_no', 'meters', 'birth', 'gender', 'user_type', 'start_st', 'end_st', 'bike_type'];
  const raw = keep.map((f) => (has(f) ? f : `NULL::VARCHAR AS ${f}`)).join(', ');
  const s = stationNumberSql('start_no');
  const e = stationNumberSql('end_no');
  // Everything the checks need is computed once, while DuckDB parses (in parallel): station ids,
  // their status, and the reason a record cannot be used (NULL when it can).
  const select = `${raw}, ${s.id} AS start_id, ${s.status} AS start_status, ${e.id} AS end_id, ${e.status} AS end_status`;
  const outer = `*, CASE
        WHEN started IS NULL OR ended IS NULL THEN ${sqlString(TRIP_REASONS.missingDate)}
        WHEN start_status = 'missing' OR end_status = 'missing' THEN ${sqlString(TRIP_REASONS.missingStation)}
        WHEN start_status = 'not-numbered' OR end_status = 'not-numbered' THEN ${sqlString(TRIP_REASONS.notNumbered)}
        WHEN ended < started THEN ${sqlString(TRIP_REASONS.returnBeforeRental)}
        WHEN started < TIMESTAMP '2015-01-01' OR ended > now()::TIMESTAMP + INTERVAL 1 DAY THEN ${sqlString(TRIP_REASONS.dateOutOfRange)}
      END AS reason`;
  const staged = await stageCsv(store, {
    path: file.path, displayPath: file.path, table: stage, columns, header: match.kind === 'header',
    encoding: latin1 ? 'latin-1' : 'utf-8', select, outer,
  });
  ctx.progress.update(1);

  addCsvErrors(ctx, staged.errors, latin1);

  const tz = await systemTimezone(store, ctx.systemId);
  const view = stage;

  // Text columns of a CP949 file are still latin-1 here: decode each distinct value once (there are
  // a handful: 내국인/외국인/비회원, LCD자전거/새싹자전거...) into a CASE, cheaper than a join.
  const text = async (col: 'user_type' | 'bike_type') => (latin1 ? decodeCase(store, view, col) : col);
  const userType = await text('user_type');
  const bikeType = await text('bike_type');

  const counts = await store.all<{ reason: string | null; n: number }>(`SELECT reason, count(*) AS n FROM ${view} GROUP BY reason`);
  ctx.progress.update(2);
  await addSqlRejects(ctx, view, staged, match.kind === 'header' ? 1 : 0, counts, latin1);

  const valid = counts.find((c) => c.reason === null)?.n ?? 0;
  // A trip the store already holds (the same month re-encoded, an overlapping file) is not stored again.
  const stored = await insertNewTrips(store, {
    systemId: ctx.systemId, importId: ctx.importId, candidates: valid, params: [ctx.systemId, tz, ctx.importId],
    source: `SELECT $1 AS system_id, NULL::VARCHAR AS trip_id, nullif(trim(v.bike_id), '') AS bike_id, v.started AT TIME ZONE $2 AS started_at,
       v.ended AT TIME ZONE $2 AS ended_at, v.start_id AS start_station_id, v.end_id AS end_station_id,
       date_diff('second', v.started, v.ended)::DOUBLE AS duration_s, TRY_CAST(v.meters AS DOUBLE) AS distance_m,
       nullif(trim(${userType}), '') AS user_type, TRY_CAST(v.birth AS INTEGER) AS birth_year,
       CASE upper(trim(v.gender)) WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' END AS gender,
       nullif(trim(${bikeType}), '') AS rideable_type, $3::BIGINT AS import_id, v.rowid AS ord
     FROM ${view} AS v
     WHERE v.reason IS NULL`,
  });
  ctx.progress.update(3);

  // 16/17-column files name each station both ways (number and the API's ST- id): record the pairs
  // so live-status snapshots, keyed by ST- id, join to trips. A station list import, when present,
  // is the authority and is not overwritten here.
  if (has('start_st')) {
    await store.run(
      `INSERT INTO station_ids (system_id, source, source_id, station_id)
       SELECT $1, 'seoul-api', st, min(id) FROM (
         SELECT DISTINCT trim(start_st) AS st, start_id AS id FROM ${view} WHERE reason IS NULL
         UNION SELECT DISTINCT trim(end_st), end_id FROM ${view} WHERE reason IS NULL)
       WHERE st LIKE 'ST-%' GROUP BY st
       ON CONFLICT DO NOTHING`,
      [ctx.systemId],
    );
  }
  await store.run(`DROP TABLE ${stage}`);
  ctx.progress.update(4);
  ctx.progress.stop();
  return { imported: stored.inserted, duplicates: stored.duplicates, encoding: `${encoding}; ${vintage.name}${match.kind === 'headerless' ? ' (no header row)' : ''}` };
}

function addCsvErrors(ctx: ImportContext, errors: readonly CsvError[], latin1: boolean): void {
  for (const e of errors) {
    const reason =
      e.type === 'CAST' ? TRIP_REASONS.unparseableDate
        : e.type === 'UNQUOTED VALUE' ? TRIP_REASONS.badQuoting
          : e.type === 'MISSING COLUMNS' || e.type === 'TOO MANY COLUMNS' ? TRIP_REASONS.wrongFieldCount
            : e.type === 'INVALID ENCODING' || e.type === 'INVALID UNICODE' ? TRIP_REASONS.badEncoding
              : TRIP_REASONS.otherCsv;
    const raw = latin1 ? latin1ToCp949(e.raw) : e.raw;
    ctx.rejects.add(reason, { line: e.line, ...(e.column ? { field: e.column } : {}), raw }, e.lines);
  }
}

async function decodeCase(store: Store, table: string, col: string): Promise<string> {
  const values = await store.all<{ raw: string }>(`SELECT DISTINCT ${col} AS raw FROM ${table} WHERE ${col} IS NOT NULL`);
  if (values.length === 0) return 'NULL::VARCHAR';
  return `CASE v.${col} ${values.map(({ raw }) => `WHEN ${sqlString(raw)} THEN ${sqlString(latin1ToCp949(raw))}`).join(' ')} END`;
}

/** Count SQL-level rejects by reason, with a few sample rows (and their file line) per reason. */
async function addSqlRejects(
  ctx: ImportContext, view: string, staged: StagedCsv, headerLines: number,
  counts: readonly { reason: string | null; n: number }[], latin1: boolean,
): Promise<void> {
  const samples = await ctx.store.all<{ reason: string; rec: number; bike_id: string | null; started: Date | null; ended: Date | null; start_no: string | null; end_no: string | null }>(
    `SELECT * FROM (SELECT reason, rowid - (SELECT min(rowid) FROM ${view}) + 1 AS rec, bike_id, started, ended, start_no, end_no FROM ${view} WHERE reason IS NOT NULL)
     QUALIFY row_number() OVER (PARTITION BY reason ORDER BY rec) <= 5 ORDER BY reason, rec`,
  );
  const fieldFor: Record<string, string> = {
    [TRIP_REASONS.missingStation]: '대여 대여소번호 / 반납대여소번호',
    [TRIP_REASONS.notNumbered]: '대여 대여소번호 / 반납대여소번호',
    [TRIP_REASONS.returnBeforeRental]: '반납일시',
    [TRIP_REASONS.missingDate]: '대여일시 / 반납일시',
    [TRIP_REASONS.dateOutOfRange]: '대여일시 / 반납일시',
  };
  const sampled = new Map<string, number>();
  for (const r of samples) {
    const fmt = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : '');
    const txt = (v: string | null) => (v === null ? '' : latin1 ? latin1ToCp949(v) : v);
    const raw = [txt(r.bike_id), fmt(r.started), txt(r.start_no), fmt(r.ended), txt(r.end_no)].join(',');
    const field = fieldFor[r.reason];
    ctx.rejects.add(r.reason, { line: recordLine(r.rec, headerLines, staged.errors, staged.multiline), ...(field ? { field } : {}), raw });
    sampled.set(r.reason, (sampled.get(r.reason) ?? 0) + 1);
  }
  for (const c of counts) {
    if (c.reason === null) continue;
    const rest = c.n - (sampled.get(c.reason) ?? 0);
    if (rest > 0) ctx.rejects.add(c.reason, {}, rest);
  }
}
