// Staging a CSV file with DuckDB's own reader (fast, parallel), keeping the records it cannot read
// as counted rejects with their line numbers instead of failing the whole file.
// DuckDB's `store_rejects` records each bad record (line, column, error type, the raw text); a
// record whose quote is never closed swallows the lines after it, so it counts as that many rows.
import type { Store } from '../store/connection.ts';
import { ImportError } from './errors.ts';
import { sqlString } from './file-input.ts';

export interface CsvColumn {
  name: string;
  type: 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE' | 'BIGINT';
  /** The column's name as the file writes it, for messages. */
  label?: string;
}

export interface StageCsvOptions {
  path: string;
  /** The file as the user named it (messages). */
  displayPath: string;
  table: string;
  columns: readonly CsvColumn[];
  header: boolean;
  /** DuckDB reads UTF-8 natively; CP949 is read as latin-1 (byte-preserving) and decoded after. */
  encoding: 'utf-8' | 'latin-1';
  /** The SELECT list over the file's columns (default: all). The record number is `rowid - min(rowid) + 1`. */
  select?: string;
  /** A SELECT list over that, for values computed from the selected ones (default: all). */
  outer?: string;
}

export interface CsvError {
  line: number;
  /** Physical lines the bad record took (an unclosed quote swallows the lines after it). */
  lines: number;
  column: string | undefined;
  type: string;
  raw: string;
  message: string;
}

export interface StagedCsv {
  rows: number;
  errors: CsvError[];
}

let seq = 0;

export async function stageCsv(store: Store, o: StageCsvOptions): Promise<StagedCsv> {
  const n = ++seq;
  const rejectsTable = `csv_rejects_${process.pid}_${n}`;
  const rejectsScan = `csv_scans_${process.pid}_${n}`;
  const columns = `{${o.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;
  const source = `read_csv(${sqlString(o.path)}, auto_detect = false, header = ${o.header}, delim = ',', quote = '"', escape = '"',
      encoding = ${sqlString(o.encoding)}, columns = ${columns}, nullstr = ['', '\\N'],
      store_rejects = true, rejects_table = ${sqlString(rejectsTable)}, rejects_scan = ${sqlString(rejectsScan)})`;
  try {
    // DuckDB keeps insertion order, so the staging table's rowid is the record's position in the
    // file: `rec` costs nothing at load time (a row_number() window would serialise the scan).
    // Inside a transaction rowids start at a large offset: subtract the table's smallest.
    await store.run(`CREATE TEMP TABLE ${o.table} AS SELECT ${o.outer ?? '*'} FROM (SELECT ${o.select ?? '*'} FROM ${source})`);
  } catch (err) {
    throw duckdbError(o.displayPath, err as Error);
  }
  const labels = new Map(o.columns.map((c) => [c.name, c.label ?? c.name]));
  const errorRows = await store.all<{ line: number; column_name: string | null; error_type: string; csv_line: string | null; error_message: string }>(
    `SELECT line, column_name, error_type, csv_line, error_message FROM ${rejectsTable} ORDER BY line`,
  );
  await store.run(`DROP TABLE IF EXISTS ${rejectsTable}`);
  await store.run(`DROP TABLE IF EXISTS ${rejectsScan}`);
  const errors: CsvError[] = [];
  const seenLines = new Set<number>();
  for (const e of errorRows) {
    if (seenLines.has(e.line)) continue; // one record, one reject, however many errors it had
    seenLines.add(e.line);
    const raw = e.csv_line ?? '';
    const lines = Math.max(1, raw.replace(/\r?\n$/, '').split('\n').length);
    errors.push({ line: e.line, lines, column: e.column_name ? labels.get(e.column_name) ?? e.column_name : undefined, type: e.error_type, raw, message: e.error_message });
  }
  const count = await store.all<{ n: number }>(`SELECT count(*) AS n FROM ${o.table}`);
  const rows = count[0]!.n;
  if (rows === 0 && errors.length > 0) {
    const first = errors[0]!;
    throw new ImportError(o.displayPath, `no record could be read: ${first.message}`, { line: first.line, ...(first.column ? { field: first.column } : {}) });
  }
  return { rows, errors };
}

/** The physical line of record `rec` (1-based among the records read), given the skipped records. */
export function recordLine(rec: number, headerLines: number, errors: readonly Pick<CsvError, 'line' | 'lines'>[]): number {
  let line = headerLines + rec;
  for (const e of errors) {
    if (e.line <= line) line += e.lines;
    else break;
  }
  return line;
}

function duckdbError(file: string, err: Error): ImportError {
  const m = /line:?\s*(\d+)/i.exec(err.message);
  const msg = err.message.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' ');
  return new ImportError(file, `DuckDB could not read the file as CSV: ${msg}`, m ? { line: Number(m[1]) } : {});
}
