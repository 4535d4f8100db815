// Seoul station-month usage files, parsed. Pure (decoded text in, records out). Two layouts:
//  - rentals and returns per station and month (2017-01..2019-05, an R export):
//    "","code","month","rentals","returns"  with code = station number, month = YYYY-MM-01;
//    221 rows carry no usable number: empty, a name lost to encoding ('????', '<U+C554>' escapes)
//    or a maintenance centre ('중랑센터'); the month 2018-06 is published twice, row for row.
//  - rentals only (2021-02..06): 대여소 그룹,대여소 명,대여 일자 / 월,대여 건수 with the station as
//    '2301. name' and the month as YYYYMM; 2,973 blank records (',,,'); centre rows
//    ('정비센터', '상담센터') in place of stations.
import { parse } from 'csv-parse/sync';
import { openQuoteInText, openQuoteMessage } from '../csv-scan.ts';
import { normaliseStationNumber, REASON_MISSING_STATION } from './station-number.ts';

export interface UsageRecord {
  line: number;
  stationId: string;
  /** First day of the month, 'YYYY-MM-01'. */
  month: string;
  rentals: number;
  returns: number | null;
}

export interface UsageReject {
  reason: string;
  line: number;
  field?: string;
  raw: string;
}

export const USAGE_REASONS = {
  blank: 'blank record',
  missingStation: REASON_MISSING_STATION,
  garbled: 'station name garbled in the source (???? or <U+...> escapes)',
  centre: 'not a station (maintenance or call centre)',
  badMonth: 'unparseable month',
  badCount: 'missing or unparseable count',
  duplicate: 'duplicate record (same station and month, same counts)',
  conflict: 'conflicting record (same station and month, other counts; first kept)',
} as const;

export class UsageFormatError extends Error {
  constructor(message: string, readonly line?: number, readonly field?: string) {
    super(message);
  }
}

export interface ParsedUsage {
  layout: string;
  records: UsageRecord[];
  rejects: UsageReject[];
}

const squash = (s: string) => s.replace(/\s+/g, '');

export function parseStationUsage(text: string): ParsedUsage {
  const quote = openQuoteInText(text);
  if (quote) throw new UsageFormatError(openQuoteMessage(quote.open), quote.open.line, quote.field);
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof rows;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new UsageFormatError(`not a readable CSV: ${e.message}`, e.lines);
  }
  if (rows.length === 0) throw new UsageFormatError('the file is empty', 1);
  const header = rows[0]!.record.map(squash);
  const col = (name: string) => header.indexOf(name);
  if (col('code') >= 0 && col('month') >= 0 && col('rentals') >= 0) {
    return finish('rentals and returns by station number', rows.slice(1), (r) => ({
      station: r[col('code')] ?? '', month: r[col('month')] ?? '', rentals: r[col('rentals')] ?? '', returns: col('returns') >= 0 ? r[col('returns')] ?? '' : undefined,
    }));
  }
  const name = header.findIndex((h) => h === '대여소명');
  const month = header.findIndex((h) => h.startsWith('대여일자'));
  const count = header.findIndex((h) => h === '대여건수');
  if (name >= 0 && month >= 0 && count >= 0) {
    return finish('rentals by station name (number. name)', rows.slice(1), (r) => ({
      // '2301. 현대고등학교 건너편' / '2413.도곡역 1번 출구': the number before the first dot.
      station: /^\s*(\d+)\s*\./.exec(r[name] ?? '')?.[1] ?? (r[name] ?? ''), month: r[month] ?? '', rentals: r[count] ?? '', returns: undefined,
    }));
  }
  throw new UsageFormatError(`the header matches no known usage layout: ${rows[0]!.record.join(', ')}`, 1);
}

interface Cells { station: string; month: string; rentals: string; returns: string | undefined }

function finish(layout: string, rows: { record: string[]; info: { lines: number } }[], cells: (r: string[]) => Cells): ParsedUsage {
  const records: UsageRecord[] = [];
  const rejects: UsageReject[] = [];
  const seen = new Map<string, UsageRecord>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const raw = record.join(',');
    const reject = (reason: string, field?: string) => rejects.push({ reason, line, raw, ...(field ? { field } : {}) });
    if (record.every((v) => v.trim() === '')) { reject(USAGE_REASONS.blank); continue; }
    const c = cells(record);
    const n = normaliseStationNumber(c.station);
    if (n.kind === 'missing') { reject(USAGE_REASONS.missingStation, 'station'); continue; }
    if (n.kind === 'not-numbered') {
      reject(/\?|<U\+[0-9A-F]{4}>/i.test(n.value) ? USAGE_REASONS.garbled : USAGE_REASONS.centre, 'station');
      continue;
    }
    const month = parseMonth(c.month);
    if (month === undefined) { reject(USAGE_REASONS.badMonth, 'month'); continue; }
    const rentals = parseCount(c.rentals);
    const returns = c.returns === undefined ? null : parseCount(c.returns);
    if (rentals === undefined || rentals === null || returns === undefined) { reject(USAGE_REASONS.badCount, rentals === undefined || rentals === null ? 'rentals' : 'returns'); continue; }
    const key = `${n.id}|${month}`;
    const prev = seen.get(key);
    if (prev) { reject(prev.rentals === rentals && prev.returns === returns ? USAGE_REASONS.duplicate : USAGE_REASONS.conflict); continue; }
    const rec = { line, stationId: n.id, month, rentals, returns };
    seen.set(key, rec);
    records.push(rec);
  }
  return { layout, records, rejects };
}

/** '2017-01-01' or '201701' -> '2017-01-01'. */
export function parseMonth(s: string): string | undefined {
  const t = s.trim();
  const m = /^(\d{4})-?(\d{2})(?:-?01)?$/.exec(t);
  if (!m) return undefined;
  const mon = Number(m[2]);
  if (mon < 1 || mon > 12) return undefined;
  return `${m[1]}-${m[2]}-01`;
}

/** A non-negative whole count ('1713', '1,713'); null when empty; undefined when not a count. */
function parseCount(s: string): number | null | undefined {
  const t = s.trim().replace(/,/g, '');
  if (t === '' || t === 'NA') return null;
  return /^\d+$/.test(t) ? Number(t) : undefined;
}
