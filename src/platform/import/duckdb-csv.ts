// Staging a CSV file with DuckDB's own reader (fast, parallel), keeping the records it cannot read
// as counted rejects with their line numbers instead of failing the whole file.
// DuckDB's `store_rejects` records each bad record (line, column, error type, the raw text). A
// quote that is never closed would swallow the rest of the file into one record: the file is
// refused before staging (csv-scan.ts), naming the line and field where the quote opened.
import type { Store } from '../store/connection.ts';
import { assertQuotesClosed } from './csv-scan.ts';
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
  /** The physical line the record starts on. */
  line: number;
  /** DuckDB's line number: records counted as one line each (differs from `line` after a quoted line break). */
  recordLine?: number;
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
  /** Records read that span several physical lines (a quoted field holding a line break): record number and extra lines. */
  multiline: MultilineRecord[];
}

export interface MultilineRecord {
  rec: number;
  extra: number;
}

let seq = 0;

export async function stageCsv(store: Store, o: StageCsvOptions): Promise<StagedCsv> {
  const n = ++seq;
  const rejectsTable = `csv_rejects_${process.pid}_${n}`;
  const rejectsScan = `csv_scans_${process.pid}_${n}`;
  const columns = `{${o.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;
  const sourceWith = (rejects: string, scans: string) => `read_csv(${sqlString(o.path)}, auto_detect = false, header = ${o.header}, delim = ',', quote = '"', escape = '"',
      encoding = ${sqlString(o.encoding)}, columns = ${columns}, nullstr = ['', '\\N'],
      store_rejects = true, rejects_table = ${sqlString(rejects)}, rejects_scan = ${sqlString(scans)})`;
  const source = sourceWith(rejectsTable, rejectsScan);
  // The same pass counts the file's physical lines (used below to find multi-line records).
  const physical = await assertQuotesClosed(o.path, o.displayPath, (i) => (o.columns[i] ? o.columns[i]!.label ?? o.columns[i]!.name : undefined));
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
    // With CRLF line ends DuckDB's csv_line starts with the previous line's '\n' (its line number
    // is right): counted as written, every CRLF reject took two lines and the records after it
    // were placed one line further down per reject. Only the record's own text counts.
    const raw = (e.csv_line ?? '').replace(/^\r?\n/, '').replace(/\r?\n$/, '');
    const lines = Math.max(1, raw.split(/\r?\n/).length);
    errors.push({ line: e.line, lines, column: e.column_name ? labels.get(e.column_name) ?? e.column_name : undefined, type: e.error_type, raw, message: e.error_message });
  }
  const count = await store.all<{ n: number }>(`SELECT count(*) AS n FROM ${o.table}`);
  const rows = count[0]!.n;
  if (rows === 0 && errors.length > 0) {
    const first = errors[0]!;
    throw new ImportError(o.displayPath, `no record could be read: ${first.message}`, { line: first.line, ...(first.column ? { field: first.column } : {}) });
  }
  // Line numbers of records are counted, not read (DuckDB gives lines only for rejects): exact as
  // long as every record read is one physical line. When the file has more lines than that, find
  // the records whose quoted fields hold line breaks (few: a station list's addresses) once more.
  let multiline: MultilineRecord[] = [];
  const accounted = (o.header ? 1 : 0) + rows + errors.reduce((a, e) => a + e.lines, 0);
  if (physical > accounted) {
    const text = o.columns.filter((c) => c.type === 'VARCHAR').map((c) => `coalesce(length(${ident(c.name)}) - length(replace(${ident(c.name)}, chr(10), '')), 0)`);
    if (text.length > 0) {
      const nl = `csv_newlines_${process.pid}_${n}`;
      await store.run(`CREATE TEMP TABLE ${nl} AS SELECT ${text.join(' + ')} AS nl FROM ${sourceWith(`${rejectsTable}_nl`, `${rejectsScan}_nl`)}`);
      multiline = await store.all<{ rec: number; extra: number }>(`SELECT rowid - (SELECT min(rowid) FROM ${nl}) + 1 AS rec, nl AS extra FROM ${nl} WHERE nl > 0 ORDER BY rec`);
      for (const t of [nl, `${rejectsTable}_nl`, `${rejectsScan}_nl`]) await store.run(`DROP TABLE IF EXISTS ${t}`);
      // DuckDB numbers a reject's line counting each record as one line: add the line breaks of
      // the records read before it.
      const headerLines = o.header ? 1 : 0;
      const at = multiline.map((m) => ({ line: recordLine(m.rec, headerLines, errors), extra: m.extra }));
      for (const e of errors) {
        e.recordLine = e.line;
        for (const m of at) if (m.line < e.recordLine) e.line += m.extra;
      }
    }
  }
  return { rows, errors, multiline };
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The physical line of record `rec` (1-based among the records read), given the skipped records and
 * the records read before it that spanned several lines.
 */
export function recordLine(rec: number, headerLines: number, errors: readonly Pick<CsvError, 'line' | 'lines' | 'recordLine'>[], multiline: readonly MultilineRecord[] = []): number {
  let line = headerLines + rec;
  for (const e of errors) {
    if ((e.recordLine ?? e.line) <= line) line += e.lines;
    else break;
  }
  for (const m of multiline) if (m.rec < rec) line += m.extra;
  return line;
}

function duckdbError(file: string, err: Error): ImportError {
  const m = /line:?\s*(\d+)/i.exec(err.message);
  const msg = err.message.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' ');
  return new ImportError(file, `DuckDB could not read the file as CSV: ${msg}`, m ? { line: Number(m[1]) } : {});
}
