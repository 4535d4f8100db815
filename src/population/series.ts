// One dong's hourly series as plain typed arrays: the unit every population function works on.
// Hour i is the local hour i after `startDay`'s midnight (the wall clock of Seoul's zone, as the
// data are published: date and hour of day); a missing hour is NaN. Instants and local hours are
// converted by src/platform/time, never by a fixed offset. In a zone with daylight saving (tests
// only: Seoul has none since 1988) the skipped hour's instant is the next hour's, and the doubled
// hour's second instant reads as the first.
import { N_BANDS } from '../platform/store/population-bands.ts';
import { instantOfWallMs, wallMsOf } from '../platform/time/index.ts';
import { POPULATION_ZONE } from './time.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface PopulationSeries {
  dong: string;
  /** Local day number (days since 1970-01-01, local calendar) of hour 0. */
  startDay: number;
  /** Total per hour (NaN = missing), length = days x 24. */
  total: Float64Array;
  /** Bands per hour, row-major: bands[i * N_BANDS + b] (NaN = missing or masked). */
  bands: Float64Array;
}

export function seriesLength(s: PopulationSeries): number {
  return s.total.length;
}

/** The local wall clock of hour index i as epoch ms read as UTC (what charts draw on a UTC axis). */
export function wallMsAt(s: Pick<PopulationSeries, 'startDay'>, i: number): number {
  return s.startDay * DAY_MS + i * HOUR_MS;
}

/** UTC instant (ms) of hour index i. */
export function instantOf(s: Pick<PopulationSeries, 'startDay'>, i: number, zone = POPULATION_ZONE): number {
  return instantOfWallMs(zone, wallMsAt(s, i));
}

/** Hour index of a UTC instant (may be out of range; not rounded if not on the hour). */
export function indexOf(s: Pick<PopulationSeries, 'startDay'>, ms: number, zone = POPULATION_ZONE): number {
  return (wallMsOf(zone, ms) - s.startDay * DAY_MS) / HOUR_MS;
}

/** Local day number of a UTC instant. */
export function localDayOf(ms: number, zone = POPULATION_ZONE): number {
  return Math.floor(wallMsOf(zone, ms) / DAY_MS);
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
