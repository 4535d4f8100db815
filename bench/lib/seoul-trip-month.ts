// Builds a month of Seoul trip records in the published 17-column layout, CP949-encoded, from the
// rows of the real bundled sample (/shared/data/seoul/trips/trip_history_sample_17col_999rows.csv).
// No whole month of real trips is bundled, so the benchmark makes one: each output row is a real
// sample row with its rental/return times moved to another day of the month (same time of day,
// same duration), so the file has the real fields, value shapes and encoding at a real month's size.
// A sample row used again on the same day gets another bike number (SPB-nnnnn), so that every output
// row is a distinct trip: the importer drops a trip it already holds (same bike, times, stations).
import { createWriteStream, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { parseCsvLine } from '../../src/platform/import/csv-records.ts';

export interface MonthSpec {
  sample: string;
  out: string;
  rows: number;
  /** First day of the month, 'YYYY-MM'. */
  month: string;
  /** As published: CP949 (default). UTF-8 for a baseline copy of the same records. */
  encoding?: 'cp949' | 'utf-8';
}

export async function writeSeoulTripMonth(spec: MonthSpec): Promise<{ rows: number; bytes: number }> {
  const text = readFileSync(spec.sample, 'utf-8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!;
  const rows = lines.slice(1).map((l) => parseCsvLine(l));
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const [year, mon] = spec.month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  const perDay = Math.ceil(spec.rows / days);
  const out = createWriteStream(spec.out);
  let bytes = 0;
  const write = async (s: string) => {
    const buf = spec.encoding === 'utf-8' ? Buffer.from(s, 'utf-8') : iconv.encode(s, 'cp949');
    bytes += buf.length;
    if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  await write(header + '\r\n');
  const chunk: string[] = [];
  for (let i = 0; i < spec.rows; i++) {
    const r = rows[i % rows.length]!.slice();
    const day = Math.min(days, 1 + Math.floor(i / perDay));
    // Sample times are 2017-09-01 hh:mm:ss (a return may fall on the next day).
    r[1] = shiftDate(r[1]!, year, mon, day);
    r[5] = shiftDate(r[5]!, year, mon, day);
    r[0] = otherBike(r[0]!, Math.floor((i % perDay) / rows.length));
    chunk.push(r.map(quote).join(','));
    if (chunk.length === 20000) {
      await write(chunk.join('\r\n') + '\r\n');
      chunk.length = 0;
    }
  }
  if (chunk.length) await write(chunk.join('\r\n') + '\r\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { rows: spec.rows, bytes };
}

/** The k-th other bike of a sample row: the same SPB-nnnnn shape, a distinct number for each k < 100,000. */
export function otherBike(bike: string, k: number): string {
  const m = /^(SPB-)(\d+)$/.exec(bike);
  if (k === 0 || !m) return k === 0 ? bike : `${bike}-${k}`;
  return `${m[1]}${String((Number(m[2]) + k * 7919) % 100_000).padStart(5, '0')}`;
}

function shiftDate(value: string, year: number, mon: number, day: number): string {
  // 'YYYY-MM-DD hh:mm:ss' in the sample (2017-09-01, some rentals from 08-31, some returns on 09-02):
  // keep the time and the day offset from 2017-09-01, move the base to the target day.
  const offsetDays = Math.round((Date.UTC(+value.slice(0, 4), +value.slice(5, 7) - 1, +value.slice(8, 10)) - Date.UTC(2017, 8, 1)) / 86_400_000);
  const d = new Date(Date.UTC(year, mon - 1, day + offsetDays));
  const ymd = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return ymd + value.slice(10);
}
