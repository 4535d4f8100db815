// The two reference forecasts every model is judged against, and the cell profile the model builds on.
// - historical_average: mean by station x local hour x day type over the training hours;
// - seasonal_naive: the same hour one week earlier.
import { N_DAY_TYPES } from '../../platform/calendar/day-types.ts';
import { flowValues, usable, type Censoring, type Flow, type FlowPanel } from './panel.ts';

export const CELLS = 24 * N_DAY_TYPES;

export function cellOf(p: FlowPanel, t: number): number {
  return p.calendar.dayType[t]! * 24 + p.calendar.localHour[t]!;
}

export interface CellProfile {
  /** Per station x cell: the mean (S * CELLS). */
  mean: Float64Array;
  /** Per station x cell: observations behind it. */
  count: Float64Array;
  /** Per cell, all stations: the system-wide mean. */
  global: Float64Array;
}

/** Sums per station x cell over hours [from, to), skipping unusable (missing / censored) hours. */
export function cellProfile(p: FlowPanel, flow: Flow, from: number, to: number, censoring: Censoring): CellProfile {
  const S = p.stations.length;
  const T = p.hours;
  const y = flowValues(p, flow);
  const sum = new Float64Array(S * CELLS);
  const count = new Float64Array(S * CELLS);
  const gsum = new Float64Array(CELLS);
  const gcount = new Float64Array(CELLS);
  const cells = new Uint8Array(T);
  for (let t = 0; t < T; t++) cells[t] = cellOf(p, t);
  const lo = Math.max(0, from);
  const hi = Math.min(T, to);
  for (let s = 0; s < S; s++) {
    const base = s * T;
    for (let t = lo; t < hi; t++) {
      const i = base + t;
      if (!usable(p, flow, i, censoring)) continue;
      const c = s * CELLS + cells[t]!;
      sum[c] = sum[c]! + y[i]!;
      count[c] = count[c]! + 1;
    }
  }
  for (let s = 0; s < S; s++) {
    for (let c = 0; c < CELLS; c++) {
      gsum[c] = gsum[c]! + sum[s * CELLS + c]!;
      gcount[c] = gcount[c]! + count[s * CELLS + c]!;
    }
  }
  const global = new Float64Array(CELLS);
  for (let c = 0; c < CELLS; c++) global[c] = gcount[c]! > 0 ? gsum[c]! / gcount[c]! : 0;
  const mean = new Float64Array(S * CELLS);
  for (let k = 0; k < S * CELLS; k++) mean[k] = count[k]! > 0 ? sum[k]! / count[k]! : global[k % CELLS]!;
  return { mean, count, global };
}

/** The historical-average forecast for station s at hour t. */
export function historicalAverage(p: FlowPanel, prof: CellProfile, s: number, t: number): number {
  return prof.mean[s * CELLS + cellOf(p, t)]!;
}

/** The seasonal-naive forecast: the same hour a week earlier, or the historical average if unseen. */
export function seasonalNaive(p: FlowPanel, flow: Flow, prof: CellProfile, s: number, t: number): number {
  const y = flowValues(p, flow);
  const v = t >= 168 ? y[s * p.hours + t - 168]! : Number.NaN;
  return Number.isNaN(v) ? historicalAverage(p, prof, s, t) : v;
}
