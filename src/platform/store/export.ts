// Tables out of the store as Hive-partitioned Parquet (`system=<id>/date=<yyyy-mm-dd>/...`), the
// layout DuckDB, Spark, Trino and ClickHouse all read as one dataset. DuckDB writes the files
// (COPY ... PARTITION_BY); this module picks the rows, names the partition keys and reports what
// was written. Also the archive: every imported file's rows, in the same layout, one file name
// per import so an archive can be rebuilt or extended without touching other imports' files.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { sqlString } from '../import/file-input.ts';
import type { Store } from './connection.ts';

/**
 * The tables that may be exported (a whitelist: table names are spliced into SQL) and the column
 * that places each row in time. `date` is that instant's day in UTC; tables without one
 * (descriptions of stations, boundaries) are partitioned by system only.
 */
export const EXPORTABLE: Readonly<Record<string, string | null>> = {
  trips: 'started_at',
  status: 'observed_at',
  snapshots: 'observed_at',
  gaps: 'gap_start',
  hourly_flows: 'hour',
  station_monthly: 'month',
  system_hourly: 'hour',
  weather_hourly: 'hour',
  air_quality_hourly: 'hour',
  population_hourly: 'hour',
  station_versions: 'valid_from',
  stations: null,
  station_ids: null,
  boundaries: null,
  systems: null,
};

export interface WrittenFile {
  path: string;
  rows: number;
  bytes: number;
}

export interface ExportResult {
  table: string;
  dir: string;
  partitionBy: string[];
  files: WrittenFile[];
  rows: number;
  bytes: number;
}

export interface ExportOptions {
  /** Only rows brought in by these imports (the archive). */
  importIds?: readonly number[];
  /** File name inside each partition, without extension; `{i}` is DuckDB's file counter. */
  filenamePattern?: string;
  /**
   * 'error': refuse a folder that already holds files (default for `export`);
   * 'replace': empty the folder first; 'add': keep other files, overwrite same-named ones (archive).
   */
  existing?: 'error' | 'replace' | 'add';
}

export function checkTable(table: string): string | null {
  if (!Object.hasOwn(EXPORTABLE, table)) {
    throw new UserError(`cannot export '${table}': one of ${Object.keys(EXPORTABLE).join(', ')}`);
  }
  return EXPORTABLE[table]!;
}

/** The SELECT that renames the partition keys: system_id -> system, the row's UTC day -> date. */
export function exportQuery(table: string, timeColumn: string | null, importIds?: readonly number[]): string {
  // Session TimeZone is UTC (connection.ts), so CAST(TIMESTAMPTZ AS DATE) is the UTC day.
  const date = timeColumn ? `, CAST(${timeColumn} AS DATE) AS date` : '';
  const where = importIds ? `WHERE import_id IN (${importIds.map((id) => String(Math.trunc(id))).join(', ') || 'NULL'})` : '';
  // Time order: each partition is then written in one go (DuckDB otherwise splits a partition
  // into several files when more than its open-file limit are in flight), and row groups get
  // tight min/max statistics on the time column, which every engine uses to skip them.
  const order = timeColumn ? ` ORDER BY system_id, ${timeColumn}` : '';
  return `SELECT * EXCLUDE (system_id), system_id AS system${date} FROM ${table} ${where}${order}`;
}

export async function exportTable(store: Store, table: string, dir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const timeColumn = checkTable(table);
  const out = resolve(dir);
  const existing = opts.existing ?? 'error';
  const entries = await fs.readdir(out).catch(() => [] as string[]);
  if (entries.length > 0 && existing === 'error') {
    throw new UserError(`${out} is not empty: give --overwrite to replace what is there, or another folder`);
  }
  if (entries.length > 0 && existing === 'replace') await fs.rm(out, { recursive: true, force: true });
  await fs.mkdir(out, { recursive: true });
  const partitionBy = timeColumn ? ['system', 'date'] : ['system'];
  const options = [
    'FORMAT parquet',
    `PARTITION_BY (${partitionBy.join(', ')})`,
    'RETURN_FILES true',
    // Keeps other files in the folder (other imports' archive files); same names are rewritten.
    'OVERWRITE_OR_IGNORE true',
    `FILENAME_PATTERN ${sqlString(opts.filenamePattern ?? 'part-{i}')}`,
  ];
  const result = await store.all<{ Count: number; Files: string[] | null }>(
    `COPY (${exportQuery(table, timeColumn, opts.importIds)}) TO ${sqlString(out)} (${options.join(', ')})`,
  );
  const paths = result[0]?.Files ?? [];
  const files = await describeFiles(store, paths);
  return {
    table,
    dir: out,
    partitionBy,
    files,
    rows: files.reduce((a, f) => a + f.rows, 0),
    bytes: files.reduce((a, f) => a + f.bytes, 0),
  };
}

async function describeFiles(store: Store, paths: readonly string[]): Promise<WrittenFile[]> {
  if (paths.length === 0) return [];
  const meta = await store.all<{ file_name: string; num_rows: number }>(
    `SELECT file_name, num_rows FROM parquet_file_metadata([${paths.map(sqlString).join(', ')}])`,
  );
  const rows = new Map(meta.map((m) => [m.file_name, Number(m.num_rows)]));
  const files: WrittenFile[] = [];
  for (const p of [...paths].sort()) files.push({ path: p, rows: rows.get(p) ?? 0, bytes: (await fs.stat(p)).size });
  return files;
}

/** Tables whose rows carry the import that brought them in: what the archive holds. */
export async function archivableTables(store: Store): Promise<string[]> {
  const cols = await store.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_columns() WHERE column_name = 'import_id' AND schema_name = 'main' AND database_name = current_database()`,
  );
  const have = new Set(cols.map((c) => c.table_name));
  return Object.keys(EXPORTABLE).filter((t) => have.has(t));
}

export interface ArchiveResult {
  dir: string;
  imports: number[];
  tables: ExportResult[];
  files: number;
  rows: number;
  bytes: number;
}

/**
 * Write the rows of the given imports (default: all) under `<dir>/<table>/system=../date=../
 * import-<id>_<i>.parquet`. One COPY per import and table so each file holds exactly one import's
 * rows: re-archiving an import rewrites its own files and leaves every other file alone.
 */
export async function archiveImports(store: Store, dir: string, importIds?: readonly number[]): Promise<ArchiveResult> {
  const ids = importIds ?? (await store.all<{ import_id: number }>('SELECT import_id FROM imports ORDER BY import_id')).map((r) => r.import_id);
  const tables: ExportResult[] = [];
  for (const table of await archivableTables(store)) {
    const present = await store.all<{ import_id: number }>(
      `SELECT DISTINCT import_id FROM ${table} WHERE import_id IN (${ids.map((i) => String(Math.trunc(i))).join(', ') || 'NULL'}) ORDER BY import_id`,
    );
    const merged: ExportResult = { table, dir: join(resolve(dir), table), partitionBy: [], files: [], rows: 0, bytes: 0 };
    for (const { import_id } of present) {
      const r = await exportTable(store, table, merged.dir, { importIds: [import_id], filenamePattern: `import-${import_id}_{i}`, existing: 'add' });
      merged.partitionBy = r.partitionBy;
      merged.files.push(...r.files);
      merged.rows += r.rows;
      merged.bytes += r.bytes;
    }
    if (present.length > 0) tables.push(merged);
  }
  return {
    dir: resolve(dir),
    imports: [...ids],
    tables,
    files: tables.reduce((a, t) => a + t.files.length, 0),
    rows: tables.reduce((a, t) => a + t.rows, 0),
    bytes: tables.reduce((a, t) => a + t.bytes, 0),
  };
}
