// One dong's hourly series as plain typed arrays: the unit every population function works on.
// Hour i is the local (KST) hour i after `startDay`'s midnight; a missing hour is NaN.
import { N_BANDS } from '../platform/store/population-bands.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** KST is UTC+9 all year (no daylight saving since 1988). */
export const KST_OFFSET_MS = 9 * HOUR_MS;

export interface PopulationSeries {
  dong: string;
  /** Local day number (days since 1970-01-01 in KST) of hour 0. */
  startDay: number;
  /** Total per hour (NaN = missing), length = days x 24. */
  total: Float64Array;
  /** Bands per hour, row-major: bands[i * N_BANDS + b] (NaN = missing or masked). */
  bands: Float64Array;
}

export function seriesLength(s: PopulationSeries): number {
  return s.total.length;
}

/** UTC instant (ms) of hour index i. */
export function instantOf(s: Pick<PopulationSeries, 'startDay'>, i: number): number {
  return s.startDay * DAY_MS + i * HOUR_MS - KST_OFFSET_MS;
}

/** Hour index of a UTC instant (may be out of range; not rounded if not on the hour). */
export function indexOf(s: Pick<PopulationSeries, 'startDay'>, ms: number): number {
  return (ms + KST_OFFSET_MS - s.startDay * DAY_MS) / HOUR_MS;
}

/** Local day number of a UTC instant. */
export function localDayOf(ms: number): number {
  return Math.floor((ms + KST_OFFSET_MS) / DAY_MS);
}

export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayOfIsoDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Build a series from sparse rows (UTC instants); hours not given stay NaN. */
export function seriesFromRows(
  dong: string,
  rows: ReadonlyArray<{ hourMs: number; total: number; bands?: ArrayLike<number> | undefined }>,
): PopulationSeries {
  if (rows.length === 0) return { dong, startDay: 0, total: new Float64Array(0), bands: new Float64Array(0) };
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    if (r.hourMs < lo) lo = r.hourMs;
    if (r.hourMs > hi) hi = r.hourMs;
  }
  const startDay = localDayOf(lo);
  const days = localDayOf(hi) - startDay + 1;
  const total = new Float64Array(days * 24).fill(NaN);
  const bands = new Float64Array(days * 24 * N_BANDS).fill(NaN);
  const s = { dong, startDay, total, bands };
  for (const r of rows) {
    const i = Math.round(indexOf(s, r.hourMs));
    total[i] = r.total;
    if (r.bands) for (let b = 0; b < N_BANDS; b++) bands[i * N_BANDS + b] = r.bands[b]!;
  }
  return s;
}
