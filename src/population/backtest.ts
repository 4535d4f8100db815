// Rolling-origin backtest: at each cut-off the model and the baselines are fitted on the hours
// before it only, then scored at fixed horizons against what happened. Same origins, same
// targets, same metrics for everyone.
import { BASELINES, historicalAverage, seasonalNaive } from './baselines.ts';
import { DEFAULT_CONFIG, fitModel, forecast, type ModelConfig } from './model.ts';
import type { PopulationSeries } from './series.ts';

export const MODEL_NAME = 'profile_level';
export const DEFAULT_HORIZONS = [1, 24, 168] as const;

export interface BacktestOptions {
  /** First and last origin, hour indices in the series' frame (inclusive). */
  from: number;
  to: number;
  /** Hours between origins: 25 by default, so that origins walk through every hour of the day. */
  step?: number;
  horizons?: readonly number[];
  config?: ModelConfig;
}

export interface Metric {
  model: string;
  horizon_h: number;
  mae: number;
  mape: number;
  coverage_80: number;
  coverage_95: number;
  n: number;
}

export interface BacktestResult {
  metrics: Metric[];
  origins: number;
  /** Hour indices of change-detector alarms seen at the origins (deduplicated). */
  changes: number[];
}

interface Acc { ae: number; ape: number; c80: number; c95: number; n: number }

export function runBacktest(s: PopulationSeries, opts: BacktestOptions): BacktestResult {
  const horizons = opts.horizons ?? DEFAULT_HORIZONS;
  const step = opts.step ?? 25;
  const maxH = Math.max(...horizons);
  const names = [MODEL_NAME, ...BASELINES];
  const acc = new Map<string, Acc>();
  for (const m of names) for (const h of horizons) acc.set(`${m}|${h}`, { ae: 0, ape: 0, c80: 0, c95: 0, n: 0 });
  const add = (m: string, h: number, actual: number, mean: number, lo95: number, lo80: number, hi80: number, hi95: number) => {
    const a = acc.get(`${m}|${h}`)!;
    a.ae += Math.abs(actual - mean);
    a.ape += Math.abs(actual - mean) / Math.abs(actual);
    a.c80 += actual >= lo80 && actual <= hi80 ? 1 : 0;
    a.c95 += actual >= lo95 && actual <= hi95 ? 1 : 0;
    a.n += 1;
  };
  const y = s.total;
  const changes = new Set<number>();
  let origins = 0;
  for (let o = Math.max(opts.from, 24 * 14); o <= opts.to && o < y.length; o += step) {
    // Score only targets that exist, and fit only when at least one does.
    const targets = horizons.filter((h) => o + h - 1 < y.length && !Number.isNaN(y[o + h - 1]!));
    if (targets.length === 0) continue;
    origins++;
    const model = fitModel(s, o, opts.config ?? DEFAULT_CONFIG, { bands: false });
    for (const c of model.changes) changes.add(c);
    const fc = forecast(model, maxH);
    const baselines = [seasonalNaive(s, o), historicalAverage(s, o)];
    for (const h of targets) {
      const t = o + h - 1;
      const actual = y[t]!;
      const f = fc[h - 1]!;
      add(MODEL_NAME, h, actual, f.mean, f.interval[0], f.interval[1], f.interval[2], f.interval[3]);
      for (const b of baselines) {
        const mean = b.predict(t);
        if (Number.isNaN(mean)) continue;
        const q = b.errorQuantiles;
        add(b.name, h, actual, mean, mean * (1 + q[0]!), mean * (1 + q[1]!), mean * (1 + q[2]!), mean * (1 + q[3]!));
      }
    }
  }
  const metrics: Metric[] = [];
  for (const m of names) {
    for (const h of horizons) {
      const a = acc.get(`${m}|${h}`)!;
      metrics.push({
        model: m,
        horizon_h: h,
        mae: a.n ? a.ae / a.n : NaN,
        mape: a.n ? (100 * a.ape) / a.n : NaN,
        coverage_80: a.n ? a.c80 / a.n : NaN,
        coverage_95: a.n ? a.c95 / a.n : NaN,
        n: a.n,
      });
    }
  }
  return { metrics, origins, changes: [...changes].sort((a, b) => a - b) };
}

/** Pool the metrics of several backtests (e.g. several dongs), weighting by the number of targets. */
export function poolMetrics(runs: readonly Metric[][]): Metric[] {
  const out = new Map<string, Metric & { w: number }>();
  for (const run of runs) {
    for (const m of run) {
      const k = `${m.model}|${m.horizon_h}`;
      const a = out.get(k) ?? { model: m.model, horizon_h: m.horizon_h, mae: 0, mape: 0, coverage_80: 0, coverage_95: 0, n: 0, w: 0 };
      if (m.n > 0) {
        a.mae += m.mae * m.n; a.mape += m.mape * m.n; a.coverage_80 += m.coverage_80 * m.n; a.coverage_95 += m.coverage_95 * m.n; a.n += m.n;
      }
      out.set(k, a);
    }
  }
  return [...out.values()].map(({ w: _w, ...m }) => (m.n ? { ...m, mae: m.mae / m.n, mape: m.mape / m.n, coverage_80: m.coverage_80 / m.n, coverage_95: m.coverage_95 / m.n } : { ...m, mae: NaN, mape: NaN, coverage_80: NaN, coverage_95: NaN }));
}
