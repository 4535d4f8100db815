// The two baselines every population forecast is judged against, in the same backtest:
// - seasonal_naive: the same hour one week earlier (further weeks back when that hour is missing);
// - historical_average: the mean of the same hour on days of the same day type (weekday /
//   weekend / holiday, src/platform/calendar/day-types.ts) over the 8 weeks before the cut-off; a holiday with no holiday in those
//   weeks takes the weekend mean.
// Both only read hours before the origin. Their intervals come from their own ratio errors over
// the same 8 weeks (in-sample), so coverage can be compared too.
import { DAY_TYPES, N_DAY_TYPES } from '../platform/calendar/day-types.ts';
import { CellMeans, hourDayTypeCell } from '../platform/calendar/historical-average.ts';
import { dayClasses, dayTypeOfClass } from './calendar.ts';
import { quantiles } from './model.ts';
import type { PopulationSeries } from './series.ts';

export const BASELINES = ['seasonal_naive', 'historical_average'] as const;
export type BaselineName = (typeof BASELINES)[number];
const WEEKS = 8;
const WEEKEND_TYPE = DAY_TYPES.indexOf('weekend');
const HOLIDAY_TYPE = DAY_TYPES.indexOf('holiday');

export interface BaselineFit {
  name: BaselineName;
  /** Point forecast of hour t (t >= origin); NaN when there is nothing to go on. */
  predict(t: number): number;
  /** Ratio-error quantiles (lo95, lo80, hi80, hi95). */
  errorQuantiles: number[];
}

export function seasonalNaive(s: PopulationSeries, origin: number): BaselineFit {
  const y = s.total;
  const predictAt = (t: number, before: number) => {
    for (let back = 168; t - back >= 0; back += 168) {
      if (t - back >= before) continue;
      const v = y[t - back]!;
      if (!Number.isNaN(v)) return v;
    }
    return NaN;
  };
  const errs: number[] = [];
  for (let t = Math.max(168, origin - WEEKS * 168); t < origin; t++) {
    const v = y[t]!;
    const f = predictAt(t, t);
    if (!Number.isNaN(v) && f > 0) errs.push(v / f - 1);
  }
  return { name: 'seasonal_naive', predict: (t) => predictAt(t, origin), errorQuantiles: quantiles(errs) };
}

export function historicalAverage(s: PopulationSeries, origin: number): BaselineFit {
  const y = s.total;
  const firstDay = Math.max(0, Math.floor(origin / 24) - WEEKS * 7);
  const lastDay = Math.floor(origin / 24) + 8; // covers 168 h ahead
  const classes = dayClasses(s.startDay + firstDay, lastDay - firstDay + 1);
  const coarse = (t: number) => dayTypeOfClass(classes[Math.floor(t / 24) - firstDay]!);
  const avg = new CellMeans(N_DAY_TYPES * 24);
  for (let t = firstDay * 24; t < origin; t++) {
    const v = y[t]!;
    if (Number.isNaN(v)) continue;
    avg.add(hourDayTypeCell(coarse(t), t % 24), v);
  }
  const predict = (t: number) => {
    const ct = coarse(t);
    const v = avg.mean(hourDayTypeCell(ct, t % 24));
    return Number.isNaN(v) && ct === HOLIDAY_TYPE ? avg.mean(hourDayTypeCell(WEEKEND_TYPE, t % 24)) : v;
  };
  const errs: number[] = [];
  for (let t = firstDay * 24; t < origin; t++) {
    const v = y[t]!;
    const f = predict(t);
    if (!Number.isNaN(v) && f > 0) errs.push(v / f - 1);
  }
  return { name: 'historical_average', predict, errorQuantiles: quantiles(errs) };
}
