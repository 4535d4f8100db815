// `gbfs-history <dir>`: a GBFS status archive laid out like ../shared/data/gbfs/baywheels/ —
//   station_status_changes_*.csv.gz      one row each time a station's counts or flags changed
//   snapshot_times_*.csv.gz              every time the feed was read, with its station count
//   station_information_history*.jsonl.gz  station_information each time it changed
// A later period in the same layout continues the stored change log (rows equal to a station's
// stored state are not added again). After the files, gaps and hourly flows are recomputed for the
// hours the new rows can change.
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { GbfsFormatError, parseStationInformation, type GbfsStation } from '../gbfs/feeds.ts';
import { STAGING_COLUMNS, appendStatusChanges, recordSnapshots } from '../status/status-log.ts';
import { applyStationDocuments } from '../gbfs/station-versions.ts';
import { flowOptionsFrom } from '../flows/options.ts';
import { markAffected, refreshDerived } from '../flows/refresh.ts';
import type { Store } from '../store/connection.ts';
import { parseCsvLine } from './csv-records.ts';
import { assertQuotesClosed } from './csv-scan.ts';
import { ImportError } from './errors.ts';
import { readHead, sqlString } from './file-input.ts';
import type { ImportContext, Importer, LoadResult } from './importer.ts';

const CHANGES = /^station_status_changes.*\.csv(\.gz)?$/;
const SNAPSHOTS = /^snapshot_times.*\.csv(\.gz)?$/;
const INFO = /^station_information_history.*\.jsonl(\.gz)?$/;

const CHANGE_COLUMNS = ['snapshot_time', 'station_id', 'num_bikes_available', 'num_ebikes_available', 'num_bikes_disabled', 'num_docks_available',
  'num_docks_disabled', 'is_installed', 'is_renting', 'is_returning', 'last_reported'] as const;
const REQUIRED_CHANGE_COLUMNS = ['snapshot_time', 'station_id', 'num_bikes_available'];

export const importer: Importer = {
  kind: 'gbfs-history',
  description: 'GBFS status change log folder (status changes, snapshot times, station_information history)',
  acceptsDirectory: true,
  async expandDirectory(dir) {
    const names = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
    // Stations first (their removal dates clip the flows), then the snapshot times (the coverage),
    // then the change rows.
    return [INFO, SNAPSHOTS, CHANGES].flatMap((re) => names.filter((n) => re.test(n))).map((n) => join(dir, n));
  },
  async load(ctx) {
    const name = ctx.file.name;
    const options = flowOptionsFrom(ctx.options);
    let result: LoadResult & { affectedFrom: number | undefined };
    if (CHANGES.test(name)) result = await loadChanges(ctx);
    else if (SNAPSHOTS.test(name)) result = await loadSnapshotTimes(ctx);
    else if (INFO.test(name)) result = await loadInformationHistory(ctx);
    else throw new ImportError(ctx.file.path, 'not a gbfs-history file: expected station_status_changes_*.csv(.gz), snapshot_times_*.csv(.gz) or station_information_history*.jsonl(.gz)');
    markAffected(ctx.store, ctx.systemId, result.affectedFrom, options);
    return { imported: result.imported };
  },
  async afterAll(store, systemId, progress) {
    progress.start(1, `hourly flows (${systemId})`);
    await refreshDerived(store, systemId);
    progress.update(1);
    progress.stop();
  },
};

/** The header line of a (gzipped) CSV, checked for the columns this kind needs. */
async function csvHeader(path: string, required: readonly string[]): Promise<string[]> {
  const head = (await readHead(path, 64 * 1024)).toString('utf-8').replace(/^\uFEFF/, '');
  const columns = parseCsvLine(head.split(/\r?\n/, 1)[0] ?? '').map((c) => c.trim());
  for (const c of required) if (!columns.includes(c)) throw new ImportError(path, `missing column '${c}' (header: ${columns.join(',')})`, { line: 1, field: c });
  return columns;
}

/** Read a CSV into a temp table of strings, in file order (rowid - first rowid + 2 = line number: rows written
 * inside a transaction get rowids from a high base). */
async function readCsvAsText(store: Store, table: string, path: string, columns: readonly string[]): Promise<void> {
  await assertQuotesClosed(path, path, (i) => columns[i]);
  const spec = `{${columns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ')}}`;
  await store.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_csv(${sqlString(path)}, header = true, columns = ${spec}, quote = '"', escape = '"', strict_mode = false, null_padding = true)`).catch((err: Error) => {
    throw new ImportError(path, `cannot read as CSV: ${err.message.split('\n')[0]}`);
  });
}

/** Count rejected rows by reason and keep a few samples with their line, field and text. */
async function collectRejects(ctx: ImportContext, table: string, reasonSql: string, fieldSql: string): Promise<void> {
  const rows = await ctx.store.all<{ reason: string; field: string; n: number; lines: number[]; raws: string[] }>(`
    SELECT reason, any_value(field) AS field, count(*) AS n, list(line ORDER BY line)[1:5] AS lines, list(raw ORDER BY line)[1:5] AS raws FROM (
      SELECT ${reasonSql} AS reason, ${fieldSql} AS field, rowid - (SELECT min(rowid) FROM ${table}) + 2 AS line, CAST(t AS VARCHAR) AS raw FROM ${table} t)
    WHERE reason IS NOT NULL GROUP BY reason`);
  for (const r of rows) {
    r.lines.forEach((line, i) => ctx.rejects.add(r.reason, { line, field: r.field, raw: r.raws[i] }));
    if (r.n > r.lines.length) ctx.rejects.add(r.reason, {}, r.n - r.lines.length);
  }
}

const isCount = (c: string) => `(${c} IS NULL OR (TRY_CAST(${c} AS INTEGER) IS NOT NULL AND TRY_CAST(${c} AS INTEGER) >= 0))`;
const isFlag = (c: string) => `(${c} IS NULL OR lower(${c}) IN ('0', '1', 'true', 'false'))`;
const isTime = (c: string) => `coalesce(TRY_CAST(${c} AS BIGINT) BETWEEN 946684800 AND 4102444800, false)`; // 2000..2100

async function loadChanges(ctx: ImportContext): Promise<LoadResult & { affectedFrom: number | undefined }> {
  const path = ctx.file.path;
  const header = await csvHeader(path, REQUIRED_CHANGE_COLUMNS);
  const has = (c: string) => header.includes(c);
  ctx.progress.start(3, `${ctx.file.name}: read`);
  await readCsvAsText(ctx.store, '_changes_raw', path, header);
  ctx.progress.update(1);
  const checks: [string, string][] = [
    ['bad snapshot_time', `NOT ${isTime('snapshot_time')}`],
    ['missing station_id', `station_id IS NULL OR trim(station_id) = ''`],
    ['missing num_bikes_available', 'num_bikes_available IS NULL'],
    ...(['num_bikes_available', 'num_ebikes_available', 'num_bikes_disabled', 'num_docks_available', 'num_docks_disabled'].filter(has)
      .map((c): [string, string] => [`bad ${c}`, `NOT ${isCount(c)}`])),
    ...(['is_installed', 'is_renting', 'is_returning'].filter(has).map((c): [string, string] => [`bad ${c}`, `NOT ${isFlag(c)}`])),
    ...(has('last_reported') ? [['bad last_reported', `last_reported IS NOT NULL AND TRY_CAST(last_reported AS BIGINT) IS NULL`] as [string, string]] : []),
  ];
  const reasonSql = `CASE ${checks.map(([r, c]) => `WHEN ${c} THEN '${r}'`).join(' ')} END`;
  const fieldSql = `CASE ${checks.map(([r, c]) => `WHEN ${c} THEN '${r.replace(/^(bad|missing) /, '')}'`).join(' ')} END`;
  await collectRejects(ctx, '_changes_raw', reasonSql, fieldSql);
  const flag = (c: string) => (has(c) ? `CAST(lower(${c}) IN ('1', 'true') AS BOOLEAN)` : 'NULL::BOOLEAN');
  // TRY_CAST although the rows are checked: DuckDB may evaluate the projection before the filter.
  const int = (c: string) => (has(c) ? `TRY_CAST(${c} AS INTEGER)` : 'NULL::INTEGER');
  await ctx.store.run(`CREATE OR REPLACE TEMP TABLE _changes (${STAGING_COLUMNS})`);
  await ctx.store.run(`INSERT INTO _changes SELECT trim(station_id), to_timestamp(TRY_CAST(snapshot_time AS BIGINT)),
      ${has('last_reported') ? 'CASE WHEN TRY_CAST(last_reported AS BIGINT) > 0 THEN to_timestamp(TRY_CAST(last_reported AS BIGINT)) END' : 'NULL'}, NULL,
      ${int('num_bikes_available')}, ${int('num_ebikes_available')}, ${int('num_bikes_disabled')}, ${int('num_docks_available')}, ${int('num_docks_disabled')},
      NULL, ${flag('is_installed')}, ${flag('is_renting')}, ${flag('is_returning')}
    FROM _changes_raw WHERE (${reasonSql}) IS NULL`);
  await ctx.store.run('DROP TABLE _changes_raw');
  ctx.progress.update(2);
  // The change rows' times are snapshot times too (a snapshot_times file may be missing or shorter).
  const snaps = await recordSnapshots(ctx.store, ctx.systemId, ctx.importId, 'SELECT DISTINCT observed_at, NULL::INTEGER AS stations FROM _changes', 'gbfs-history');
  const r = await appendStatusChanges(ctx.store, ctx.systemId, ctx.importId, '_changes');
  await ctx.store.run('DROP TABLE _changes');
  ctx.progress.update(3);
  ctx.progress.stop();
  ctx.rejects.addCounts({
    'state unchanged from the station\'s previous row (already represented)': r.unchanged,
    'already stored (same station and snapshot time)': r.alreadyStored,
    'repeated station and snapshot time in the file': r.duplicates,
  });
  return { imported: r.inserted, affectedFrom: min(snaps.affectedFrom, r.affectedFrom) };
}

async function loadSnapshotTimes(ctx: ImportContext): Promise<LoadResult & { affectedFrom: number | undefined }> {
  const path = ctx.file.path;
  const header = await csvHeader(path, ['snapshot_time']);
  await readCsvAsText(ctx.store, '_snap_raw', path, header);
  const hasStations = header.includes('stations');
  const checks: [string, string][] = [
    ['bad snapshot_time', `NOT ${isTime('snapshot_time')}`],
    ...(hasStations ? [['bad stations', `NOT ${isCount('stations')}`] as [string, string]] : []),
  ];
  const reasonSql = `CASE ${checks.map(([r, c]) => `WHEN ${c} THEN '${r}'`).join(' ')} END`;
  await collectRejects(ctx, '_snap_raw', reasonSql, `CASE WHEN NOT ${isTime('snapshot_time')} THEN 'snapshot_time' ELSE 'stations' END`);
  const counted = await ctx.store.all<{ n: number; distinct_n: number }>(`SELECT count(*) AS n, count(DISTINCT snapshot_time) AS distinct_n FROM _snap_raw WHERE (${reasonSql}) IS NULL`);
  const r = await recordSnapshots(ctx.store, ctx.systemId, ctx.importId,
    `SELECT to_timestamp(TRY_CAST(snapshot_time AS BIGINT)) AS observed_at, ${hasStations ? 'TRY_CAST(stations AS INTEGER)' : 'NULL::INTEGER'} AS stations FROM _snap_raw WHERE (${reasonSql}) IS NULL`,
    'gbfs-history');
  await ctx.store.run('DROP TABLE _snap_raw');
  const valid = counted[0]?.n ?? 0;
  const distinct = counted[0]?.distinct_n ?? 0;
  ctx.rejects.addCounts({ 'repeated snapshot time in the file': valid - distinct, 'snapshot time already stored': distinct - r.added });
  return { imported: r.added, affectedFrom: r.affectedFrom };
}

async function loadInformationHistory(ctx: ImportContext): Promise<LoadResult & { affectedFrom: number | undefined }> {
  const path = ctx.file.path;
  const docs: { t: number; stations: GbfsStation[] }[] = [];
  let line = 0;
  let entries = 0;
  const input = path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      let obj: { snapshot_time?: unknown; feed?: unknown };
      try {
        obj = JSON.parse(text) as typeof obj;
      } catch (err) {
        throw new ImportError(path, `not valid JSON: ${(err as Error).message}`, { line });
      }
      const t = Number(obj.snapshot_time);
      if (!Number.isInteger(t) || t < 946684800) throw new ImportError(path, `bad snapshot_time ${JSON.stringify(obj.snapshot_time)}`, { line, field: 'snapshot_time' });
      try {
        const doc = parseStationInformation(obj.feed);
        for (const r of doc.rejects) ctx.rejects.add(r.reason, { line, field: `feed.${r.field}`, raw: r.raw });
        docs.push({ t, stations: doc.items });
        entries += doc.items.length;
      } catch (err) {
        if (err instanceof GbfsFormatError) throw new ImportError(path, err.message, { line, field: `feed.${err.field ?? ''}` });
        throw err;
      }
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(path, `cannot read: ${(err as Error).message}`, { line });
  }
  const r = await applyStationDocuments(ctx.store, ctx.systemId, ctx.importId, docs, 'gbfs-history');
  if (r.stale) ctx.rejects.add('station_information not newer than the stored history', {}, r.stale);
  return { imported: entries, affectedFrom: r.affectedFrom };
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
