// The population stage's use cases over plain values: a forecast from a given time and a backtest
// over a period, in the shapes the CLI prints (times as UTC instants and KST local times).
import { BAND_KEYS } from '../platform/store/population-bands.ts';
import { MODEL_NAME, runBacktest, type BacktestResult } from './backtest.ts';
import { DEFAULT_CONFIG, fitModel, forecast, type ModelConfig } from './model.ts';
import { DAY_MS, dayOfIsoDate, indexOf, instantOf, isoDateOfDay, type PopulationSeries } from './series.ts';
import { kstString } from './time.ts';

export interface Interval { mean: number; 'lo-95': number; 'lo-80': number; 'hi-80': number; 'hi-95': number }
export interface ForecastRow { time: string; local_time: string; horizon_h: number; total: Interval; bands: Record<string, Interval> }
export interface ForecastOutput {
  dong: string;
  model: string;
  from: string;
  hours: number;
  /** The last hour the model saw (training used hours before `from` only). */
  trained_until: string | null;
  level_changes_detected: string[];
  forecast: ForecastRow[];
}

const round = (x: number) => Math.round(x * 100) / 100;
const interval = (mean: number, q: ArrayLike<number>): Interval => ({
  mean: round(mean), 'lo-95': round(q[0]!), 'lo-80': round(q[1]!), 'hi-80': round(q[2]!), 'hi-95': round(q[3]!),
});

/** Forecast `hours` hours from instant `fromMs` (an hour boundary), using only data before it. */
export function forecastFrom(s: PopulationSeries, fromMs: number, hours: number, config: ModelConfig = DEFAULT_CONFIG): ForecastOutput {
  const start = indexOf(s, fromMs);
  if (!Number.isInteger(start)) throw new Error('the forecast must start on the hour');
  // Training ends at the cut-off or at the last hour with data, whichever is earlier; the forecast
  // runs from there so that horizons count from the last observation, and is cut to [from, ...).
  let end = Math.min(start, s.total.length);
  while (end > 0 && Number.isNaN(s.total[end - 1]!)) end--;
  if (end < 24 * 35) throw new Error(`not enough data before ${new Date(fromMs).toISOString()}: the model needs at least 5 weeks`);
  const model = fitModel(s, end, config);
  const fc = forecast(model, start - end + hours).slice(start - end);
  return {
    dong: s.dong,
    model: MODEL_NAME,
    from: new Date(fromMs).toISOString(),
    hours,
    trained_until: new Date(instantOf(s, end - 1)).toISOString(),
    level_changes_detected: model.changes.map((i) => kstString(instantOf(s, i))),
    forecast: fc.map((f) => {
      const ms = instantOf(s, f.index);
      const bands: Record<string, Interval> = {};
      BAND_KEYS.forEach((k, b) => { bands[k] = interval(f.bandMeans[b]!, f.bandIntervals.subarray(b * 4, b * 4 + 4)); });
      return { time: new Date(ms).toISOString(), local_time: kstString(ms), horizon_h: f.horizon, total: interval(f.mean, f.interval), bands };
    }),
  };
}

export interface BacktestOutput extends BacktestResult {
  dong: string;
  from: string;
  to: string;
  step_h: number;
  change_points: string[];
}

/** Backtest from date `from` to date `to` (local, inclusive); defaults: the last 365 days of data. */
export function backtestPeriod(s: PopulationSeries, from: string | undefined, to: string | undefined, step = 25, config: ModelConfig = DEFAULT_CONFIG): BacktestOutput {
  let last = s.total.length - 1;
  while (last > 0 && Number.isNaN(s.total[last]!)) last--;
  const lastDay = s.startDay + Math.floor(last / 24);
  const toDay = to ? dayOfIsoDate(to) : lastDay;
  const fromDay = from ? dayOfIsoDate(from) : toDay - 364;
  const r = runBacktest(s, { from: (fromDay - s.startDay) * 24, to: (toDay - s.startDay) * 24 + 23, step, config });
  const days = [...new Set(r.changes.map((i) => isoDateOfDay(s.startDay + Math.floor(i / 24))))];
  return { ...r, dong: s.dong, from: isoDateOfDay(fromDay), to: isoDateOfDay(toDay), step_h: step, change_points: days };
}

export { DAY_MS };
