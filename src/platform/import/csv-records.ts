// Small CSV files (weather, city-wide hourly series) read whole into records that remember their
// line number, so that every error and reject can name the line. Parsing is csv-parse's; this
// module only adds the header mapping and the errors a user can act on.
import { parse } from 'csv-parse/sync';
import { readTime, SEOUL_ZONE } from '../time/index.ts';
import { openQuoteError, openQuoteInText } from './csv-scan.ts';
import { ImportError } from './errors.ts';

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  values: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

/**
 * Parse CSV text (already decoded, BOM stripped). A record whose field count differs from the
 * header's is a broken line: an ImportError naming the line, never a silent skip.
 */
export function parseCsvTable(text: string, file: string): CsvTable {
  const quote = openQuoteInText(text);
  if (quote) throw openQuoteError(file, quote.open, quote.field);
  let parsed: Array<{ record: string[]; info: { lines: number; bytes: number } }>;
  try {
    parsed = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: false }) as unknown as typeof parsed;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new ImportError(file, `not a readable CSV: ${e.message}`, e.lines !== undefined ? { line: e.lines } : {});
  }
  if (parsed.length === 0) throw new ImportError(file, 'the file is empty (no header line)');
  const header = parsed[0]!.record.map((h) => h.trim());
  const records: CsvRecord[] = [];
  // csv-parse's own line count drifts after a quoted CRLF (it counts CR and LF apart), so the
  // line where each record starts is counted here from its byte offsets (info.bytes = UTF-8 bytes
  // consumed through the end of the record): skip the line breaks of empty lines, count LFs.
  const buf = Buffer.from(text, 'utf-8');
  let pos = 0;
  let line = 1;
  const advanceTo = (end: number) => {
    for (; pos < end && pos < buf.length; pos++) if (buf[pos] === 0x0a) line++;
  };
  advanceTo(parsed[0]!.info.bytes);
  for (let i = 1; i < parsed.length; i++) {
    const { record, info } = parsed[i]!;
    while (pos < buf.length && (buf[pos] === 0x0a || buf[pos] === 0x0d)) advanceTo(pos + 1);
    const start = line;
    advanceTo(info.bytes);
    if (record.length !== header.length) {
      throw new ImportError(file, `broken line: ${record.length} fields where the header has ${header.length}`, { line: start, field: header[Math.min(record.length, header.length) - 1] });
    }
    records.push({ line: start, values: record });
  }
  return { header, records };
}

/**
 * One CSV line (a header, or a first record to recognise a layout) split into its fields by
 * csv-parse: quotes removed, doubled quotes and commas inside quotes kept. Not for a file's rows in
 * a loop: csv-parse per line is ~39x the hand splitter (bench/csv-split.ts).
 */
export function parseCsvLine(line: string): string[] {
  try {
    const rows = parse(line, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
    return rows[0] ?? [''];
  } catch {
    // A quote the line never closes: split on commas. The file's scan (csv-scan.ts) refuses it
    // with its line and field; a layout is not recognised from such a line anyway.
    return line.split(',');
  }
}

/** Header names compared without case, spaces, punctuation or units' odd characters. */
export function normaliseHeader(h: string): string {
  return h.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Find each wanted column in the header by a test on its normalised name. A required column that
 * is missing is an ImportError naming it; an optional one maps to undefined.
 */
export function mapColumns<K extends string>(
  header: readonly string[],
  wanted: Record<K, { match: (normalised: string) => boolean; label: string; required: boolean }>,
  file: string,
): Record<K, number | undefined> {
  const norm = header.map(normaliseHeader);
  const out = {} as Record<K, number | undefined>;
  for (const key of Object.keys(wanted) as K[]) {
    const w = wanted[key];
    const idx = norm.findIndex((n) => w.match(n));
    if (idx < 0 && w.required) {
      throw new ImportError(file, `missing column '${w.label}' (header: ${header.join(', ')})`, { line: 1, field: w.label });
    }
    out[key] = idx < 0 ? undefined : idx;
  }
  return out;
}

/** A decimal as written in these files ('-.8', '12', ''): null when empty, NaN when not a number. */
export function parseDecimal(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === '') return null;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}

/** A Seoul wall-clock hour (the files' KST) as a UTC instant by the one time rule (src/platform/time); undefined for an impossible date or hour. */
export function kstHourToUtc(year: number, month: number, day: number, hour: number): Date | undefined {
  const two = (n: number) => String(n).padStart(2, '0');
  const r = readTime(`${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:00`, SEOUL_ZONE);
  return r.ok ? new Date(r.ms) : undefined;
}

/**
 * Parse every named decimal column of a record; on the first that is not a number, name it so the
 * caller can reject the row by that field. Empty cells are null.
 */
export function parseDecimals<K extends string>(keys: readonly K[], value: (key: K) => string | undefined): { nums: Record<K, number | null>; bad: K | undefined } {
  const nums = {} as Record<K, number | null>;
  for (const k of keys) {
    const n = parseDecimal(value(k));
    if (Number.isNaN(n)) return { nums, bad: k };
    nums[k] = n;
  }
  return { nums, bad: undefined };
}
