// The two reference forecasts every model is judged against, and the cell profile the model builds on.
// - historical_average: mean by station x local hour x day type over the training hours (the
//   project's one historical average, src/platform/calendar/historical-average.ts);
// - seasonal_naive: the same hour one week earlier.
import { N_DAY_TYPES } from '../../platform/calendar/day-types.ts';
import { CellMeans, hourDayTypeCell } from '../../platform/calendar/historical-average.ts';
import { flowValues, usable, type Censoring, type Flow, type FlowPanel } from './panel.ts';

export const CELLS = 24 * N_DAY_TYPES;

export function cellOf(p: FlowPanel, t: number): number {
  return hourDayTypeCell(p.calendar.dayType[t]!, p.calendar.localHour[t]!);
}

export interface CellProfile {
  /** Per station x cell: the mean (S * CELLS). */
  mean: Float64Array;
  /** Per station x cell: observations behind it. */
  count: Float64Array;
  /** Per cell, all stations: the system-wide mean. */
  global: Float64Array;
}

/** Means per station x cell over hours [from, to), skipping unusable (missing / censored) hours. */
export function cellProfile(p: FlowPanel, flow: Flow, from: number, to: number, censoring: Censoring): CellProfile {
  const S = p.stations.length;
  const T = p.hours;
  const y = flowValues(p, flow);
  const acc = new CellMeans(S * CELLS);
  const cells = new Uint8Array(T);
  for (let t = 0; t < T; t++) cells[t] = cellOf(p, t);
  const lo = Math.max(0, from);
  const hi = Math.min(T, to);
  for (let s = 0; s < S; s++) {
    const base = s * T;
    for (let t = lo; t < hi; t++) {
      const i = base + t;
      if (!usable(p, flow, i, censoring)) continue;
      acc.add(s * CELLS + cells[t]!, y[i]!);
    }
  }
  const system = acc.pooled(S);
  const global = new Float64Array(CELLS);
  for (let c = 0; c < CELLS; c++) global[c] = system.mean(c, 0);
  const mean = new Float64Array(S * CELLS);
  for (let k = 0; k < S * CELLS; k++) mean[k] = acc.mean(k, global[k % CELLS]!);
  return { mean, count: acc.weight, global };
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
