// Rolling-origin backtest: cut-offs every `refitHours` inside the window; at each cut-off the model
// and the baselines are fitted on hours before it only; then every origin o of the following period
// is forecast 1..24 h ahead using hours before o only (as in production: refit weekly, forecast
// hourly). Outcomes are scored where the hour was observed and not censored (the same rows for
// every model). Pickups and returns are pooled in `metrics` and reported apart in `by_flow`.
import { cellProfile, CELLS, historicalAverage, seasonalNaive, type CellProfile } from './baselines.ts';
import { calibrateScale, fitDispersion, sizeOf } from './calibration.ts';
import type { FeatureRows } from './features.ts';
import { scoreNegBin, type PointForecast, type Scores } from './metrics.ts';
import { noiseFloor, type BatchLaw, type NoiseFloor } from './noise-floor.ts';
import { fitStationModel, predictStationModel, sampleRows, type StationModelOptions } from './models/station-gbdt.ts';
import { FLOWS, usable, flowValues, type Censoring, type Flow, type FlowPanel } from './panel.ts';

export const BASELINES = ['historical_average', 'seasonal_naive'] as const;
export type BaselineName = (typeof BASELINES)[number];

export interface BacktestOptions {
  /** Window [from, to) in panel hour indices; cut-offs at from, from + refitHours, ... */
  from: number;
  to: number;
  horizons: number[];
  refitHours: number;
  /** Forecast from every originStep-th hour. */
  originStep: number;
  model: Partial<StationModelOptions>;
  /** Only these stations are scored (all if null). */
  stations?: Int32Array | null;
  /** Group sizes per flow (store.ts `loadBatchLaw`): adds the clustered noise floor to each row. */
  batches?: Record<Flow, BatchLaw> | null;
  onProgress?: (msg: string) => void;
}

/**
 * Scores plus the noise floor of the same rows (`noise-floor.ts`): what MAE of the median and RMSE
 * of the mean would be if outcomes were drawn from this row's predictive distribution (floor_*_nb),
 * from a Poisson of its mean (floor_*_poisson), or forecast by an oracle knowing each hour's rate
 * (floor_mae_oracle). Added fields; the contract's fields keep their names.
 */
export interface MetricRow extends Scores, Omit<NoiseFloor, 'n'> {
  model: string;
  horizon_h: number;
}

export interface BacktestResult {
  metrics: MetricRow[];
  /** Scores per flow (the noise floor is in `metrics` only: it costs as much as the scores). */
  by_flow: (Scores & { model: string; horizon_h: number; flow: Flow })[];
  cutoffs: number[];
  /** Per model and horizon: the scored outcomes, for plots and subgroup scores. */
  samples: Map<string, Samples>;
}

export interface Samples {
  station: number[];
  target: number[];
  flow: number[];
  y: number[];
  mu: number[];
  size: number[];
}

/** Baselines as predictive distributions: their own held-out NB dispersion, calibrated like the model's. */
export interface BaselineFit {
  profile: Record<Flow, CellProfile>;
  alpha: Record<BaselineName, Record<Flow, Float64Array>>;
}

/**
 * The point each forecast's MAE scores: the model's is the median of its predictive distribution
 * (what minimises absolute error); the baselines keep the point that defines them (an average, last
 * week's count). Every row also carries mae_mean and mae_median, so either comparison can be read.
 */
export const MODEL_POINT: PointForecast = 'median';
export const BASELINE_POINT: PointForecast = 'mean';

export function baselinePoint(name: BaselineName, p: FlowPanel, flow: Flow, prof: CellProfile, s: number, t: number): number {
  return name === 'historical_average' ? historicalAverage(p, prof, s, t) : seasonalNaive(p, flow, prof, s, t);
}

export function fitBaselines(p: FlowPanel, cutoff: number, censoring: Censoring, validationDays = 14): BaselineFit {
  const inner = cutoff - validationDays * 24;
  const S = p.stations.length;
  const profile = {} as Record<Flow, CellProfile>;
  const alpha = { historical_average: {}, seasonal_naive: {} } as BaselineFit['alpha'];
  for (const flow of FLOWS) {
    profile[flow] = cellProfile(p, flow, 0, cutoff, censoring);
    const innerProf = cellProfile(p, flow, 0, inner, censoring);
    const val = sampleRows(p, flow, inner, cutoff, 'exclude', 400_000, 5);
    const y = flowValues(p, flow);
    const ys = Float64Array.from(val.station, (s, k) => y[s * p.hours + val.target[k]!]!);
    for (const name of BASELINES) {
      const mu = Float64Array.from(val.station, (s, k) => Math.max(1e-3, baselinePoint(name, p, flow, innerProf, s, val.target[k]!)));
      const { alpha: a } = fitDispersion(ys, mu, val.station, S);
      const scale = calibrateScale(ys, mu, Float64Array.from(val.station, (s) => a[s]!));
      for (let s = 0; s < S; s++) a[s] = a[s]! * scale;
      alpha[name][flow] = a;
    }
  }
  return { profile, alpha };
}

function emptySamples(): Samples {
  return { station: [], target: [], flow: [], y: [], mu: [], size: [] };
}

export function defaultWindow(p: FlowPanel, weeks = 8): { from: number; to: number } {
  return { from: Math.max(0, p.hours - weeks * 168), to: p.hours };
}

export function runBacktest(p: FlowPanel, o: BacktestOptions): BacktestResult {
  const T = p.hours;
  const samples = new Map<string, Samples>();
  const key = (model: string, h: number) => `${model}@${h}`;
  const add = (model: string, h: number, flow: number, s: number, t: number, y: number, mu: number, size: number) => {
    let b = samples.get(key(model, h));
    if (!b) samples.set(key(model, h), (b = emptySamples()));
    b.station.push(s); b.target.push(t); b.flow.push(flow); b.y.push(y); b.mu.push(mu); b.size.push(size);
  };
  const scored = o.stations ? new Set(o.stations) : null;
  const cutoffs: number[] = [];
  let modelName = 'gbdt_nb';
  for (let c = o.from; c < o.to; c += o.refitHours) {
    cutoffs.push(c);
    o.onProgress?.(`cut-off ${new Date(p.start + c * 3_600_000).toISOString().slice(0, 13)}h: fitting`);
    const model = fitStationModel(p, c, o.model);
    modelName = model.name;
    const base = fitBaselines(p, c, model.options.censoring, model.options.validationDays);
    const end = Math.min(o.to, c + o.refitHours);
    for (const [fi, flow] of FLOWS.entries()) {
      const y = flowValues(p, flow);
      const st: number[] = [];
      const tt: number[] = [];
      const hh: number[] = [];
      for (let origin = c; origin < end; origin += o.originStep) {
        for (const h of o.horizons) {
          const t = origin + h - 1;
          if (t >= o.to || t >= T) continue;
          for (let s = 0; s < p.stations.length; s++) {
            if (scored && !scored.has(s)) continue;
            if (!usable(p, flow, s * T + t, 'exclude')) continue;
            st.push(s); tt.push(t); hh.push(h);
          }
        }
      }
      if (st.length === 0) continue;
      const rows: FeatureRows = { station: Int32Array.from(st), target: Int32Array.from(tt), horizon: Int32Array.from(hh) };
      const pred = predictStationModel(model, flow, rows);
      for (let k = 0; k < st.length; k++) {
        const s = st[k]!;
        const t = tt[k]!;
        const h = hh[k]!;
        const v = y[s * T + t]!;
        add(model.name, h, fi, s, t, v, pred.mu[k]!, pred.size[k]!);
        for (const name of BASELINES) {
          const mu = Math.max(1e-3, baselinePoint(name, p, flow, base.profile[flow], s, t));
          add(name, h, fi, s, t, v, mu, sizeOf(base.alpha[name][flow][s]!));
        }
      }
    }
  }
  const metrics: MetricRow[] = [];
  const byFlow: BacktestResult['by_flow'] = [];
  const laws = o.batches ? FLOWS.map((f) => o.batches![f]) : null;
  for (const model of [modelName, ...BASELINES]) {
    for (const h of o.horizons) {
      const b = samples.get(key(model, h));
      if (!b) continue;
      const point = model === modelName ? MODEL_POINT : BASELINE_POINT;
      metrics.push({ model, horizon_h: h, ...noiseFloor(b.mu, b.size, laws ? { laws, group: b.flow } : undefined), ...scoreNegBin(b.y, b.mu, b.size, point) });
      for (const [fi, flow] of FLOWS.entries()) {
        const idx = b.flow.flatMap((f, k) => (f === fi ? [k] : []));
        if (idx.length === 0) continue;
        byFlow.push({ model, horizon_h: h, flow, ...scoreNegBin(idx.map((k) => b.y[k]!), idx.map((k) => b.mu[k]!), idx.map((k) => b.size[k]!), point) });
      }
    }
  }
  return { metrics, by_flow: byFlow, cutoffs, samples };
}

export { CELLS };
