// Seoul living population (생활인구): hourly estimates per 행정동, total and 28 sex x age bands.
// Two published layouts, told apart by the header:
//   one dong:  기준일ID, 시간대구분, 총생활인구수, <28 bands>            (the dong comes from --dong)
//   all dongs: 기준일ID, 시간대구분, 행정동코드, 총생활인구수, <28 bands> (daily or monthly files)
// Columns are found by name, so their order may vary; UTF-8 (with or without BOM) or CP949; fields
// may be quoted. Times are Seoul's wall clock (src/platform/time, SEOUL_ZONE): stored as UTC
// instants plus the published local date and hour. Values are fractional estimates and are kept as they are.
import { SEOUL_SYSTEM } from '../ids.ts';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DuckDBDateValue, DuckDBTimestampTZValue } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { BANDS, N_BANDS } from '../store/population-bands.ts';
import { ImportError } from './errors.ts';
import { UserError } from '../errors.ts';
import { readTime, SEOUL_ZONE } from '../time/index.ts';
import { detectFileEncoding } from './file-input.ts';
import type { ImportContext, Importer, LoadResult } from './importer.ts';

export const DATE_FIELD = '기준일ID';
export const HOUR_FIELD = '시간대구분';
export const DONG_FIELD = '행정동코드';
export const TOTAL_FIELD = '총생활인구수';

export interface Layout {
  date: number;
  hour: number;
  dong: number | undefined;
  total: number;
  /** Column index of each band, in BANDS order. */
  bands: number[];
  fields: number;
  header: string[];
}

export interface PopulationRow {
  dong: string;
  /** 'YYYY-MM-DD', KST. */
  localDate: string;
  localHour: number;
  /** UTC instant of the start of the hour, ms. */
  hourMs: number;
  total: number;
  bands: Float64Array;
}

export type RowResult = { ok: true; row: PopulationRow } | { ok: false; reason: string; field?: string };

/** Bands must add up to the total within this share (the published files agree to 1e-6). */
const SUM_TOLERANCE = 0.01;

/**
 * Split one CSV line; fields never hold commas in this layout, but may be double-quoted. Kept by
 * hand rather than csv-parse (which reads the headers elsewhere): on the real files (2017-2022,
 * 15.5 MiB, 1.48 M cells) csv-parse's stream parser takes 4.0x the time of readline + this split,
 * and csv-parse per line 39x (bench/csv-split.ts, median of 5, load ~30).
 */
export function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (quoted && line[i + 1] === '"') { cur += '"'; i++; } else quoted = !quoted;
    } else if (c === ',' && !quoted) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Find the columns by name; throws a message naming the first missing field. */
export function parseHeader(fields: readonly string[]): Layout {
  const names = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
  const find = (name: string) => {
    const i = names.indexOf(name);
    return i < 0 ? undefined : i;
  };
  const need = (name: string) => {
    const i = find(name);
    if (i === undefined) throw new HeaderError(`the header has no '${name}' column (is this a 생활인구 file?)`, name);
    return i;
  };
  return {
    date: need(DATE_FIELD),
    hour: need(HOUR_FIELD),
    dong: find(DONG_FIELD),
    total: need(TOTAL_FIELD),
    bands: BANDS.map((b) => need(b.header)),
    fields: names.length,
    header: names,
  };
}

export class HeaderError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

/** Parse one data line's fields; never throws (a bad row is a reject with its reason and field). */
export function parseRow(f: readonly string[], layout: Layout, dongOverride: string | undefined): RowResult {
  if (f.length !== layout.fields) return { ok: false, reason: `wrong number of fields (${f.length}, expected ${layout.fields})` };
  const ds = f[layout.date]!.trim();
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(ds);
  if (!m) return { ok: false, reason: 'bad date', field: DATE_FIELD };
  const localDate = `${m[1]}-${m[2]}-${m[3]}`;
  if (Number(m[1]) < 2000 || !readTime(localDate, SEOUL_ZONE).ok) return { ok: false, reason: 'bad date', field: DATE_FIELD };
  const hs = f[layout.hour]!.trim();
  if (!/^\d{1,2}$/.test(hs) || Number(hs) > 23) return { ok: false, reason: 'bad hour (0-23)', field: HOUR_FIELD };
  const hour = Number(hs);
  const at = readTime(`${localDate}T${hs.padStart(2, '0')}:00`, SEOUL_ZONE);
  if (!at.ok) return { ok: false, reason: 'bad hour (0-23)', field: HOUR_FIELD };
  const hourMs = at.ms;
  let dong: string;
  if (layout.dong !== undefined) {
    dong = f[layout.dong]!.trim();
    if (!/^\d{8}$/.test(dong)) return { ok: false, reason: 'bad dong code (8 digits)', field: DONG_FIELD };
  } else dong = dongOverride!;
  const total = parseValue(f[layout.total]!);
  if (total === undefined) return { ok: false, reason: 'bad number', field: TOTAL_FIELD };
  if (total < 0) return { ok: false, reason: 'negative value', field: TOTAL_FIELD };
  const bands = new Float64Array(N_BANDS);
  let sum = 0;
  let suppressed = false;
  for (let b = 0; b < N_BANDS; b++) {
    const raw = f[layout.bands[b]!]!.trim();
    // The city masks very small counts with '*': such a band is unknown (NaN -> NULL), not zero.
    if (raw === '*' || raw === '') { bands[b] = NaN; suppressed = true; continue; }
    const v = parseValue(raw);
    if (v === undefined) return { ok: false, reason: 'bad number', field: BANDS[b]!.header };
    if (v < 0) return { ok: false, reason: 'negative value', field: BANDS[b]!.header };
    bands[b] = v;
    sum += v;
  }
  if (!suppressed && Math.abs(sum - total) > SUM_TOLERANCE * Math.max(total, 1)) {
    return { ok: false, reason: 'bands do not add up to the total', field: TOTAL_FIELD };
  }
  return { ok: true, row: { dong, localDate, localHour: hour, hourMs, total, bands } };
}

function parseValue(raw: string): number | undefined {
  const s = raw.trim();
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

export const importer: Importer = {
  kind: 'living-population',
  timeZone: 'Asia/Seoul',
  description: "Seoul living population (생활인구) per 행정동 and hour: one dong's series (with --dong) or the city's all-dong files",
  defaultSystem: SEOUL_SYSTEM,
  async load(ctx: ImportContext): Promise<LoadResult> {
    const path = ctx.file.path;
    const dongOption = ctx.options['dong'];
    if (dongOption !== undefined && !/^\d{8}$/.test(dongOption)) {
      throw new UserError(`--dong ${dongOption}: a 행정동코드 has 8 digits (adm_cd2[:8] in the boundaries file)`);
    }
    const encoding = await detectFileEncoding(path);

    let layout: Layout | undefined;
    let lineNo = 0;
    let imported = 0;
    const seen = new Set<string>();
    // Rows go through DuckDB's appender into a temporary staging table (SQL VALUES lists are two
    // orders of magnitude slower), then replace any rows already stored for the same dong and hour.
    await ctx.store.run('CREATE OR REPLACE TEMP TABLE population_staging AS SELECT * FROM population_hourly LIMIT 0');
    const appender = await ctx.store.connection.createAppender('population_staging', 'main', 'temp');
    // The file is opened only now, with nothing awaited before the loop starts: readline emits lines
    // as soon as it is created, and lines emitted before the iteration begins would be lost.
    const raw = createReadStream(path);
    const text = encoding === 'cp949' ? raw.pipe(iconv.decodeStream('cp949')) : raw.setEncoding('utf-8');
    const lines = createInterface({ input: text, crlfDelay: Infinity });
    ctx.progress.start(ctx.file.bytes, `living-population ${ctx.file.name}`);
    let bytes = 0;
    let closed = false;
    try {
      for await (const line of lines) {
        lineNo++;
        bytes += Buffer.byteLength(line) + 1;
        if (layout === undefined) {
          if (line.trim() === '') throw new ImportError(path, 'empty first line: expected the header', { line: lineNo });
          try {
            layout = parseHeader(splitLine(line));
          } catch (err) {
            if (err instanceof HeaderError) throw new ImportError(path, err.message, { line: lineNo, field: err.field });
            throw err;
          }
          if (layout.dong === undefined && dongOption === undefined) {
            throw new ImportError(path, `the file has no ${DONG_FIELD} column (one dong's series): give --dong <8-digit code>`, { line: lineNo, field: DONG_FIELD });
          }
          if (layout.dong !== undefined && dongOption !== undefined) {
            throw new ImportError(path, `the file names its dongs in ${DONG_FIELD}; --dong is only for files without that column`, { line: lineNo, field: DONG_FIELD });
          }
          continue;
        }
        if (line.trim() === '') continue; // blank lines (a trailing newline) are not rows
        const r = parseRow(splitLine(line), layout, dongOption);
        if (!r.ok) {
          ctx.rejects.add(r.reason, { line: lineNo, ...(r.field !== undefined ? { field: r.field } : {}), raw: line });
          continue;
        }
        const row = r.row;
        const key = `${row.dong}|${row.hourMs}`;
        if (seen.has(key)) {
          ctx.rejects.add('duplicate dong and hour in the file', { line: lineNo, field: HOUR_FIELD, raw: line });
          continue;
        }
        seen.add(key);
        appender.appendVarchar(ctx.systemId);
        appender.appendVarchar(row.dong);
        appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(row.hourMs) * 1000n));
        appender.appendDate(new DuckDBDateValue(Date.parse(`${row.localDate}T00:00:00Z`) / 86_400_000)); // the published date
        appender.appendTinyInt(row.localHour);
        appender.appendDouble(row.total);
        for (const v of row.bands) if (Number.isNaN(v)) appender.appendNull(); else appender.appendDouble(v);
        appender.appendBigInt(BigInt(ctx.importId));
        appender.endRow();
        imported++;
        if (imported % 20_000 === 0) ctx.progress.update(Math.min(bytes, ctx.file.bytes));
      }
      if (layout === undefined) throw new ImportError(path, 'the file is empty: expected a header and hourly rows', { line: 1 });
      appender.flushSync();
      appender.closeSync();
      closed = true;
      await ctx.store.run('INSERT OR REPLACE INTO population_hourly SELECT * FROM population_staging');
      await ctx.store.run('DROP TABLE population_staging');
    } finally {
      if (!closed) try { appender.closeSync(); } catch { /* the error that got us here is the one to report */ }
      ctx.progress.stop();
      lines.close();
      raw.destroy();
    }
    return { imported, encoding };
  },
};
