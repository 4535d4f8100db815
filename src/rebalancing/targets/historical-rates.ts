// The fallback rate model, named for what it is: the HISTORICAL AVERAGE by station x hour-of-week,
// from the weeks before the horizon only. Used when no stored forecast covers the horizon, and by
// replay (which must forecast each horizon only from data before it).
//
// - Rates are censoring-corrected: pickups per hour the station was NOT empty, returns per hour it
//   was NOT full (an empty station records no pickups, however many people wanted one).
// - Each hour-of-week estimate is shrunk toward the station's all-hours rate with a prior worth
//   PRIOR_HOURS of observation, so a week of silence does not make the rate exactly 0.
// - The spread: the horizon totals of the past weeks give a variance V and mean M; V > M means
//   overdispersion, a gamma factor of shape M^2 / (V - M) (method of moments, see overdispersion.ts).
// Hours of week are taken as exact multiples of 168 UTC hours back, so a daylight-saving change
// shifts the local hour by one for the week after it (accepted: a small error at two weeks a year).
// The averaging is the project's one historical average (src/platform/calendar/historical-average.ts).
import { CellMeans } from '../../platform/calendar/historical-average.ts';

/** One station's hourly flows on a common hourly grid (index 0 = the grid's first hour). */
export interface HourlyGrid {
  pickups: Float64Array;
  returns: Float64Array;
  /** Minutes observed in the hour (0 = no data). */
  observed: Float64Array;
  empty: Float64Array;
  full: Float64Array;
}

/**
 * A station that continues former ids (src/platform/stations/in-service.ts) gets their hours where
 * it has none of its own: one station over time, so a new id does not start without history.
 */
export function mergeFormerHistory(grids: Map<string, HourlyGrid>, continues: ReadonlyMap<string, readonly string[]>): void {
  for (const [id, former] of continues) {
    const olds = former.map((f) => grids.get(f)).filter((g): g is HourlyGrid => g !== undefined);
    if (olds.length === 0) continue;
    const n = olds[0]!.observed.length;
    const g = grids.get(id) ?? { pickups: new Float64Array(n), returns: new Float64Array(n), observed: new Float64Array(n), empty: new Float64Array(n), full: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      if (g.observed[i]! > 0) continue;
      const o = olds.find((x) => x.observed[i]! > 0);
      if (!o) continue;
      g.pickups[i] = o.pickups[i]!; g.returns[i] = o.returns[i]!; g.observed[i] = o.observed[i]!; g.empty[i] = o.empty[i]!; g.full[i] = o.full[i]!;
    }
    grids.set(id, g);
  }
}

export interface HistoricalOptions {
  /** Weeks of history to average (only those before the origin). */
  weeks: number;
  /** Minimum observed minutes for an hour to count. */
  minObservedMinutes: number;
}

export const DEFAULT_HISTORY: HistoricalOptions = { weeks: 8, minObservedMinutes: 30 };

/** Observation-hours that the station's all-hours rate weighs in each hour-of-week estimate. */
export const PRIOR_HOURS = 1;

export interface HourlyRates {
  /** Pickups per hour for hours origin .. origin + n - 1. */
  pickups: Float64Array;
  returns: Float64Array;
  pickupShape: number;
  returnShape: number;
  /** Weeks that had data for the whole horizon (the basis of the spread). */
  weeksUsed: number;
}

/**
 * Rates for the `hours` hours starting at grid index `origin`, from the weeks before it only.
 * Returns null when fewer than two past weeks hold data for these hours.
 */
export function historicalRates(g: HourlyGrid, origin: number, hours: number, opt: HistoricalOptions = DEFAULT_HISTORY): HourlyRates | null {
  const minObs = opt.minObservedMinutes;
  // The station's all-hours rates over the look-back window (the prior).
  // Rates are means weighted by the hours the station could serve: pickups per hour not empty,
  // returns per hour not full.
  const lo = Math.max(0, origin - opt.weeks * 168);
  const all = { pickups: new CellMeans(1), returns: new CellMeans(1) };
  for (let i = lo; i < origin; i++) {
    if (g.observed[i]! < minObs) continue;
    all.pickups.add(0, g.pickups[i]!, (g.observed[i]! - g.empty[i]!) / 60);
    all.returns.add(0, g.returns[i]!, (g.observed[i]! - g.full[i]!) / 60);
  }
  const priorP = all.pickups.mean(0, 0);
  const priorR = all.returns.mean(0, 0);

  const pickups = new Float64Array(hours), returns = new Float64Array(hours);
  const totP: number[] = [], totR: number[] = [];
  let weeksWithData = 0;
  // Cell h = hour h of the horizon, in each past week.
  const byHour = { pickups: new CellMeans(hours), returns: new CellMeans(hours) };
  for (let w = 1; w <= opt.weeks; w++) {
    const base = origin - 168 * w;
    if (base < 0) break;
    let complete = true, tp = 0, tr = 0, any = false;
    for (let h = 0; h < hours; h++) {
      const i = base + h;
      if (i >= origin || g.observed[i]! < minObs) { complete = false; continue; }
      any = true;
      byHour.pickups.add(h, g.pickups[i]!, (g.observed[i]! - g.empty[i]!) / 60);
      byHour.returns.add(h, g.returns[i]!, (g.observed[i]! - g.full[i]!) / 60);
      tp += g.pickups[i]!; tr += g.returns[i]!;
    }
    if (any) weeksWithData++;
    if (complete) { totP.push(tp); totR.push(tr); }
  }
  if (weeksWithData < 2) return null;
  for (let h = 0; h < hours; h++) {
    pickups[h] = byHour.pickups.shrunk(h, priorP, PRIOR_HOURS);
    returns[h] = byHour.returns.shrunk(h, priorR, PRIOR_HOURS);
  }
  return { pickups, returns, pickupShape: momentShape(totP), returnShape: momentShape(totR), weeksUsed: totP.length };
}

/** Gamma shape from sample totals by the method of moments; Infinity without overdispersion. */
export function momentShape(totals: readonly number[]): number {
  const n = totals.length;
  if (n < 3) return Infinity;
  const m = totals.reduce((a, b) => a + b, 0) / n;
  const v = totals.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  if (m <= 0 || v <= m) return Infinity;
  // Few weeks make V noisy: never let one wild week imply more spread than shape 0.5.
  return Math.max(0.5, (m * m) / (v - m));
}
