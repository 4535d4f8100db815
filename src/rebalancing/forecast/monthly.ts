// Station-month demand (Seoul's published rentals and returns per station and month, 2017-01 ..
// 2019-05): a rolling-origin backtest of per-station monthly forecasts, 1..H months ahead.
//
// The model is the project's Poisson GBDT with a negative-binomial predictive distribution, like
// the station-hour model, but its offset is the natural monthly forecast "last month, times the
// step the same stations made between the same two months a year earlier" (the seasonal step: it
// carries both the season and the network's year-on-year change). The trees correct it from the
// month of year, the station's age (stations open throughout the span, and a first month is a
// partial one), its recent months, its count a year ago, its neighbours' level and growth, and the
// other flow. A station without its own usable month borrows its 8 nearest neighbours' level.
//
// Honesty: at cut-off c (a month index) the model is fitted on target months before c only, and a
// forecast of month t from origin c reads months <= c - 1 only (`last = t - h`). Which stations
// exist in month t is taken as known (a station is planned before it opens); its counts are not.
// Dispersion and its calibration come from the latest months before the cut-off, scored by a fit
// that did not see them (a time-ordered calibration slice).
import { CellMeans } from '../../platform/calendar/historical-average.ts';
import { calibrateScale, fitDispersion, sizeOf } from './calibration.ts';
import { scoreNegBin, type Scores } from './metrics.ts';
import { binColumns, fitBinner, fitPoissonGbdt, predictLog, type GbdtOptions, type PoissonGbdt } from './models/gbdt.ts';

export const MONTHLY_FLOWS = ['rentals', 'returns'] as const;
export type MonthlyFlow = (typeof MONTHLY_FLOWS)[number];

export interface MonthlyPanel {
  stations: string[];
  /** Consecutive months 'YYYY-MM', ascending. */
  months: string[];
  /** Station-major, S x M; NaN where the station has no row that month. */
  rentals: Float64Array;
  returns: Float64Array;
  lat: Float64Array | null;
  lon: Float64Array | null;
}

export const MONTHLY_MODEL = 'gbdt_nb';
/** Baselines: historical average by station x month of year, same month last year, last month; and the model's offset alone. */
export const MONTHLY_BASELINES = ['historical_average', 'seasonal_naive', 'last_month', 'last_month_x_seasonal_step'] as const;
export type MonthlyBaseline = (typeof MONTHLY_BASELINES)[number];

// No month-of-year feature: with one or two years of history it stands for "that month in 2017"
// (growth and weather included) and the trees overfit it; on the Seoul backtest (12 cut-offs, 1 month
// ahead) dropping it took MAE from 155.9 to 148.1. The season enters through the seasonal step.
export const MONTHLY_FEATURES = [
  'horizon', 'age_months', 'log_base', 'own_vs_base', 'prev_vs_last', 'prev2_vs_last', 'last_year_vs_base',
  'station_yoy', 'seasonal_step', 'system_yoy', 'system_last_step', 'neighbours_vs_base', 'neighbours_yoy', 'other_flow_vs_own',
] as const;

export const MONTHLY_GBDT: Partial<GbdtOptions> = { trees: 300, learningRate: 0.05, maxLeaves: 15, minRows: 30, minHessian: 1, rowSample: 0.8, lambda: 1 };

export interface MonthlyOptions {
  /** Months of targets before the cut-off held out for dispersion and calibration. */
  calibrationMonths: number;
  gbdt: Partial<GbdtOptions>;
  neighbours: number;
  /** Train only on rows whose seasonal step is known (the target and the origin a year back are in the data). */
  stepKnownOnly: boolean;
  seed: number;
}

export const DEFAULT_MONTHLY: MonthlyOptions = { calibrationMonths: 3, gbdt: {}, neighbours: 8, stepKnownOnly: true, seed: 17 };

/** A station's "new" months: first seen after the data's first month, and the target within its first 6 months. */
export const NEW_STATION_MONTHS = 6;

/** Derived, read-only views of the panel: first month per station, neighbours, same-station ratios. */
export interface MonthlyContext {
  panel: MonthlyPanel;
  S: number;
  M: number;
  moy: Int32Array;
  /** First month with a row (either flow), or M if none. */
  first: Int32Array;
  neighbours: Int32Array[];
  /** Ratio of the same stations' totals, month a over month b (both present), per flow. */
  ratio: (flow: MonthlyFlow, a: number, b: number) => number;
}

export function monthlyContext(p: MonthlyPanel, k = DEFAULT_MONTHLY.neighbours): MonthlyContext {
  const S = p.stations.length;
  const M = p.months.length;
  const first = new Int32Array(S).fill(M);
  for (let s = 0; s < S; s++) {
    for (let m = 0; m < M; m++) {
      if (!Number.isNaN(p.rentals[s * M + m]!) || !Number.isNaN(p.returns[s * M + m]!)) {
        first[s] = m;
        break;
      }
    }
  }
  const cache = new Map<string, number>();
  const ratio = (flow: MonthlyFlow, a: number, b: number): number => {
    if (a < 0 || b < 0 || a >= M || b >= M) return Number.NaN;
    const key = `${flow}:${a}:${b}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const y = p[flow];
    let sa = 0;
    let sb = 0;
    for (let s = 0; s < S; s++) {
      const va = y[s * M + a]!;
      const vb = y[s * M + b]!;
      // Full months only: a station's first month is partial and would bias the step (a station
      // already there in the data's first month is not new: that month counts as full).
      if (Number.isNaN(va) || Number.isNaN(vb) || (first[s]! > 0 && first[s] === Math.min(a, b))) continue;
      sa += va;
      sb += vb;
    }
    const r = sa > 0 && sb > 0 ? sa / sb : Number.NaN;
    cache.set(key, r);
    return r;
  };
  return { panel: p, S, M, moy: Int32Array.from(p.months, (m) => Number(m.slice(5, 7))), first, neighbours: nearest(p, k), ratio };
}

function nearest(p: MonthlyPanel, k: number): Int32Array[] {
  const S = p.stations.length;
  const { lat, lon } = p;
  const ok = (s: number) => !!lat && !!lon && Number.isFinite(lat[s]!) && Number.isFinite(lon[s]!) && !(lat[s] === 0 && lon[s] === 0);
  const out: Int32Array[] = [];
  for (let s = 0; s < S; s++) {
    if (!ok(s)) {
      out.push(new Int32Array(0));
      continue;
    }
    const cosLat = Math.cos((lat![s]! * Math.PI) / 180);
    const cand: { r: number; d: number }[] = [];
    for (let r = 0; r < S; r++) {
      if (r === s || !ok(r)) continue;
      const dx = (lon![r]! - lon![s]!) * cosLat;
      const dy = lat![r]! - lat![s]!;
      cand.push({ r, d: dx * dx + dy * dy });
    }
    cand.sort((a, b) => a.d - b.d);
    out.push(Int32Array.from(cand.slice(0, k), (c) => c.r));
  }
  return out;
}

const lr = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.log((a + 1) / (b + 1)));

/** A station's first month is partial, unless it was already there when the data begin. */
function partial(x: MonthlyContext, s: number, m: number): boolean {
  return m > 0 && x.first[s] === m;
}

/** Value of a full (not first, partial) month of station s, else NaN. */
function full(x: MonthlyContext, y: Float64Array, s: number, m: number): number {
  if (m < 0 || m >= x.M || partial(x, s, m)) return Number.NaN;
  return y[s * x.M + m]!;
}

/** Mean of the station's neighbours' full months m (NaN if none has one). */
function neighbourMean(x: MonthlyContext, y: Float64Array, s: number, m: number): number {
  let sum = 0;
  let n = 0;
  for (const r of x.neighbours[s]!) {
    const v = full(x, y, r, m);
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

/** Mean over all stations' full months m. */
function systemMean(x: MonthlyContext, y: Float64Array, m: number): number {
  let sum = 0;
  let n = 0;
  for (let s = 0; s < x.S; s++) {
    const v = full(x, y, s, m);
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

/** Level of a station with no usable own month: its neighbours', else the system's. */
function borrowed(x: MonthlyContext, y: Float64Array, s: number, last: number): number {
  const nb = neighbourMean(x, y, s, last);
  return Number.isNaN(nb) ? systemMean(x, y, last) : nb;
}

/** The seasonal step from month `last` to month t, measured on the same months a year earlier (1 if unknown). */
function seasonalStep(x: MonthlyContext, flow: MonthlyFlow, t: number, last: number): number {
  const r = x.ratio(flow, t - 12, last - 12);
  return Number.isFinite(r) ? r : 1;
}

/** The model's offset: last full month (or the borrowed level) times the seasonal step. */
function base(x: MonthlyContext, flow: MonthlyFlow, s: number, t: number, last: number): number {
  const y = x.panel[flow];
  const own = full(x, y, s, last);
  const level = Number.isNaN(own) ? borrowed(x, y, s, last) : own;
  return Math.max(0.5, (Number.isNaN(level) ? 0 : level) * seasonalStep(x, flow, t, last));
}

/** Baseline point forecasts of month t from months <= last. */
export function baselineForecast(x: MonthlyContext, name: MonthlyBaseline, flow: MonthlyFlow, s: number, t: number, last: number): number {
  const y = x.panel[flow];
  const M = x.M;
  const own = (m: number) => (m >= 0 && m <= last ? y[s * M + m]! : Number.NaN);
  let v = Number.NaN;
  if (name === 'historical_average') {
    // station x month of year over months <= last (cell 0), else the station's mean over them (cell 1)
    const avg = new CellMeans(2);
    for (let m = 0; m <= last; m++) {
      const u = y[s * M + m]!;
      if (Number.isNaN(u)) continue;
      avg.add(1, u);
      if (x.moy[m] === x.moy[t]) avg.add(0, u);
    }
    v = avg.mean(0, avg.mean(1));
  } else if (name === 'seasonal_naive') {
    v = own(t - 12);
    if (Number.isNaN(v)) v = own(last);
  } else if (name === 'last_month') {
    v = own(last);
  } else {
    return base(x, flow, s, t, last);
  }
  // No own month at all: the neighbours' (or the system's) last month.
  if (Number.isNaN(v)) v = borrowed(x, y, s, last);
  return Math.max(0.5, Number.isNaN(v) ? 0 : v);
}

export interface MonthlyRows {
  station: Int32Array;
  target: Int32Array;
  horizon: Int32Array;
}

/** Rows (s, t, h) with an outcome in month t, targets in [from, to), every horizon with last = t - h >= 0. */
export function monthlyRows(x: MonthlyContext, flow: MonthlyFlow, from: number, to: number, horizons: readonly number[]): MonthlyRows {
  const y = x.panel[flow];
  const st: number[] = [];
  const tt: number[] = [];
  const hh: number[] = [];
  for (let t = Math.max(0, from); t < Math.min(to, x.M); t++) {
    for (const h of horizons) {
      if (t - h < 0) continue;
      for (let s = 0; s < x.S; s++) {
        if (Number.isNaN(y[s * x.M + t]!)) continue;
        st.push(s);
        tt.push(t);
        hh.push(h);
      }
    }
  }
  return { station: Int32Array.from(st), target: Int32Array.from(tt), horizon: Int32Array.from(hh) };
}

/** Feature columns and log offsets of rows; reads months <= t - h only (besides month t's calendar). */
export function monthlyFeatures(x: MonthlyContext, flow: MonthlyFlow, rows: MonthlyRows): { columns: Float64Array[]; offset: Float64Array } {
  const n = rows.station.length;
  const columns = MONTHLY_FEATURES.map(() => new Float64Array(n));
  const offset = new Float64Array(n);
  const y = x.panel[flow];
  const other = x.panel[flow === 'rentals' ? 'returns' : 'rentals'];
  for (let i = 0; i < n; i++) {
    const s = rows.station[i]!;
    const t = rows.target[i]!;
    const h = rows.horizon[i]!;
    const last = t - h;
    const b = base(x, flow, s, t, last);
    const step = seasonalStep(x, flow, t, last);
    const yl = full(x, y, s, last);
    const nb = neighbourMean(x, y, s, last);
    const age = x.first[s]! <= last ? Math.min(36, last - x.first[s]!) : -1;
    const v = [
      h, age, Math.log(b),
      // The partial first month against the borrowed level (0 where the own month is the base).
      lr(partial(x, s, last) ? y[s * x.M + last]! * step : yl * step, b),
      lr(full(x, y, s, last - 1), yl), lr(full(x, y, s, last - 2), yl), lr(t - 12 <= last ? full(x, y, s, t - 12) : Number.NaN, b),
      lr(yl, full(x, y, s, last - 12)), Math.log(x.ratio(flow, t - 12, last - 12)), Math.log(x.ratio(flow, last, last - 12)), Math.log(x.ratio(flow, last, last - 1)),
      lr(nb * step, b), lr(nb, neighbourMean(x, y, s, last - 12)), lr(full(x, other, s, last), yl),
    ];
    for (let f = 0; f < v.length; f++) columns[f]![i] = Number.isFinite(v[f]!) ? v[f]! : Number.NaN;
    offset[i] = Math.log(b);
  }
  return { columns, offset };
}

/** Dispersion groups: not yet open at the origin, open < 3 months, < 12 months, older. */
export function ageGroup(x: MonthlyContext, s: number, last: number): number {
  const f = x.first[s]!;
  if (f > last) return 0;
  const age = last - f;
  return age < 3 ? 1 : age < 12 ? 2 : 3;
}
const GROUPS = 4;

function targetsOf(x: MonthlyContext, flow: MonthlyFlow, rows: MonthlyRows): Float64Array {
  const y = x.panel[flow];
  return Float64Array.from(rows.station, (s, k) => y[s * x.M + rows.target[k]!]!);
}

const MIN_STEP_ROWS = 2000;

/**
 * Rows whose seasonal step is measured. Rows from the data's first year carry no step (their offset
 * is plain last month), so corrections learnt on them (spring rises, say) would be applied again on
 * top of the step: on the Seoul backtest (12 cut-offs, 1 month ahead, with a month-of-year feature
 * then) leaving them out took MAE from 194.2 to 155.9.
 */
function stepKnown(rows: MonthlyRows): MonthlyRows {
  const keep: number[] = [];
  for (let k = 0; k < rows.station.length; k++) if (rows.target[k]! - rows.horizon[k]! - 12 >= 0) keep.push(k);
  return { station: Int32Array.from(keep, (k) => rows.station[k]!), target: Int32Array.from(keep, (k) => rows.target[k]!), horizon: Int32Array.from(keep, (k) => rows.horizon[k]!) };
}

function fitTrees(x: MonthlyContext, flow: MonthlyFlow, all: MonthlyRows, o: MonthlyOptions): PoissonGbdt {
  const known = o.stepKnownOnly ? stepKnown(all) : all;
  // Early cut-offs have too few such rows: then all rows (the step feature is missing where unknown).
  const rows = known.station.length >= MIN_STEP_ROWS ? known : all;
  const { columns, offset } = monthlyFeatures(x, flow, rows);
  const binner = fitBinner(columns, 64, 100_000, o.seed);
  return fitPoissonGbdt(binColumns(binner, columns), targetsOf(x, flow, rows), binner, { seed: o.seed, ...MONTHLY_GBDT, ...o.gbdt }, null, offset);
}

/** The model's mean for rows (s, t, h). */
export function predictMonthly(x: MonthlyContext, flow: MonthlyFlow, m: PoissonGbdt, rows: MonthlyRows): Float64Array {
  const { columns, offset } = monthlyFeatures(x, flow, rows);
  return predictLog(m, binColumns(m.binner, columns), offset).map(Math.exp);
}

/** Dispersion group of a row: age group x horizon (a 3-month forecast is less sure than next month's). */
export function dispersionGroup(x: MonthlyContext, horizons: readonly number[], s: number, t: number, h: number): number {
  return horizons.indexOf(h) * GROUPS + ageGroup(x, s, t - h);
}

/** Calibrated NB2 dispersion per group from held-out (y, mu); one calibration scale per horizon. */
function calibratedAlpha(x: MonthlyContext, horizons: readonly number[], rows: MonthlyRows, y: Float64Array, mu: Float64Array): Float64Array {
  const g = Int32Array.from(rows.station, (s, k) => dispersionGroup(x, horizons, s, rows.target[k]!, rows.horizon[k]!));
  const { alpha } = fitDispersion(y, mu, g, GROUPS * horizons.length);
  for (const [hi, h] of horizons.entries()) {
    const idx: number[] = [];
    for (let k = 0; k < g.length; k++) if (rows.horizon[k] === h) idx.push(k);
    if (idx.length === 0) continue;
    const scale = calibrateScale(idx.map((k) => y[k]!), idx.map((k) => mu[k]!), idx.map((k) => alpha[g[k]!]!));
    for (let a = 0; a < GROUPS; a++) alpha[hi * GROUPS + a] = alpha[hi * GROUPS + a]! * scale;
  }
  return alpha;
}

export interface MonthlyFit {
  cutoff: number;
  gbdt: Record<MonthlyFlow, PoissonGbdt>;
  /** Calibrated dispersion per age group, for the model and each baseline. */
  alpha: Record<string, Record<MonthlyFlow, Float64Array>>;
}

/** Fit at cut-off c: held-out dispersion from a fit on targets < c - k scored on [c - k, c), then trees on all targets < c. */
export function fitMonthly(x: MonthlyContext, cutoff: number, horizons: readonly number[], options: Partial<MonthlyOptions> = {}): MonthlyFit {
  const o = { ...DEFAULT_MONTHLY, ...options };
  const inner = cutoff - o.calibrationMonths;
  if (inner < 3) throw new Error(`cut-off ${x.panel.months[cutoff] ?? cutoff}: need at least ${3 + o.calibrationMonths} months before it`);
  const gbdt = {} as Record<MonthlyFlow, PoissonGbdt>;
  const alpha: MonthlyFit['alpha'] = {};
  for (const name of [MONTHLY_MODEL, ...MONTHLY_BASELINES]) alpha[name] = {} as Record<MonthlyFlow, Float64Array>;
  for (const flow of MONTHLY_FLOWS) {
    const held = monthlyRows(x, flow, inner, cutoff, horizons);
    const y = targetsOf(x, flow, held);
    const innerTrees = fitTrees(x, flow, monthlyRows(x, flow, 0, inner, horizons), o);
    alpha[MONTHLY_MODEL]![flow] = calibratedAlpha(x, horizons, held, y, predictMonthly(x, flow, innerTrees, held));
    for (const name of MONTHLY_BASELINES) {
      const mu = Float64Array.from(held.station, (s, k) => baselineForecast(x, name, flow, s, held.target[k]!, held.target[k]! - held.horizon[k]!));
      alpha[name]![flow] = calibratedAlpha(x, horizons, held, y, mu);
    }
    gbdt[flow] = fitTrees(x, flow, monthlyRows(x, flow, 0, cutoff, horizons), o);
  }
  return { cutoff, gbdt, alpha };
}

export interface MonthlyMetricRow extends Scores {
  model: string;
  horizon_m: number;
  /** all | new_stations (first seen after the data's first month, target within its first 6 months) | established */
  segment: 'all' | 'new_stations' | 'established';
}

export interface MonthlyBacktestOptions {
  /** Cut-offs (month indices): the model is refitted at each and forecasts months c .. c + h - 1. */
  cutoffs: number[];
  horizons: number[];
  model?: Partial<MonthlyOptions>;
  onProgress?: (msg: string) => void;
}

export interface MonthlyBacktestResult {
  metrics: MonthlyMetricRow[];
  by_flow: (MonthlyMetricRow & { flow: MonthlyFlow })[];
  cutoffs: string[];
  /** Scored months per horizon (first .. last). */
  scored: { horizon_m: number; from: string; to: string }[];
}

interface Sample {
  flow: number;
  segment: number;
  y: number;
  mu: number;
  size: number;
}

/** Each cut-off c forecasts month c + h - 1 for every horizon h (so each month is scored once per horizon). */
export function runMonthlyBacktest(p: MonthlyPanel, o: MonthlyBacktestOptions): MonthlyBacktestResult {
  const x = monthlyContext(p, o.model?.neighbours ?? DEFAULT_MONTHLY.neighbours);
  const samples = new Map<string, Sample[]>();
  const add = (model: string, h: number, v: Sample) => {
    const k = `${model}@${h}`;
    let b = samples.get(k);
    if (!b) samples.set(k, (b = []));
    b.push(v);
  };
  const scoredMonths = new Map<number, number[]>();
  for (const c of o.cutoffs) {
    o.onProgress?.(`cut-off ${p.months[c]}: fitting`);
    const fit = fitMonthly(x, c, o.horizons, o.model);
    for (const [fi, flow] of MONTHLY_FLOWS.entries()) {
      const y = p[flow];
      const st: number[] = [];
      const tt: number[] = [];
      const hh: number[] = [];
      for (const h of o.horizons) {
        const t = c + h - 1;
        if (t >= x.M) continue;
        if (fi === 0) scoredMonths.set(h, [...(scoredMonths.get(h) ?? []), t]);
        for (let s = 0; s < x.S; s++) {
          if (Number.isNaN(y[s * x.M + t]!)) continue;
          st.push(s); tt.push(t); hh.push(h);
        }
      }
      if (st.length === 0) continue;
      const rows: MonthlyRows = { station: Int32Array.from(st), target: Int32Array.from(tt), horizon: Int32Array.from(hh) };
      const mu = predictMonthly(x, flow, fit.gbdt[flow], rows);
      for (let k = 0; k < st.length; k++) {
        const s = st[k]!;
        const t = tt[k]!;
        const h = hh[k]!;
        const last = t - h;
        const g = dispersionGroup(x, o.horizons, s, t, h);
        const segment = x.first[s]! > 0 && t - x.first[s]! < NEW_STATION_MONTHS ? 1 : 2;
        const v = y[s * x.M + t]!;
        add(MONTHLY_MODEL, h, { flow: fi, segment, y: v, mu: mu[k]!, size: sizeOf(fit.alpha[MONTHLY_MODEL]![flow][g]!) });
        for (const name of MONTHLY_BASELINES) {
          add(name, h, { flow: fi, segment, y: v, mu: baselineForecast(x, name, flow, s, t, last), size: sizeOf(fit.alpha[name]![flow][g]!) });
        }
      }
    }
  }
  const score = (b: Sample[]) => scoreNegBin(b.map((v) => v.y), b.map((v) => v.mu), b.map((v) => v.size), 'mean');
  const metrics: MonthlyMetricRow[] = [];
  const byFlow: (MonthlyMetricRow & { flow: MonthlyFlow })[] = [];
  const segments = [['all', () => true], ['new_stations', (v: Sample) => v.segment === 1], ['established', (v: Sample) => v.segment === 2]] as const;
  for (const model of [MONTHLY_MODEL, ...MONTHLY_BASELINES]) {
    for (const h of o.horizons) {
      const b = samples.get(`${model}@${h}`);
      if (!b) continue;
      for (const [segment, keep] of segments) {
        const part = b.filter(keep);
        if (part.length === 0) continue;
        metrics.push({ model, horizon_m: h, segment, ...score(part) });
        if (segment !== 'all') continue;
        for (const [fi, flow] of MONTHLY_FLOWS.entries()) {
          const f = part.filter((v) => v.flow === fi);
          if (f.length) byFlow.push({ model, horizon_m: h, segment, flow, ...score(f) });
        }
      }
    }
  }
  const scored = [...scoredMonths.entries()].map(([h, ts]) => ({ horizon_m: h, from: p.months[Math.min(...ts)]!, to: p.months[Math.max(...ts)]! }));
  return { metrics, by_flow: byFlow, cutoffs: o.cutoffs.map((c) => p.months[c]!), scored };
}

/** The last `n` months as cut-offs (each scored 1 month ahead; longer horizons score fewer). */
export function lastMonthsCutoffs(p: MonthlyPanel, n: number): number[] {
  const M = p.months.length;
  return Array.from({ length: Math.min(n, M) }, (_, i) => M - Math.min(n, M) + i);
}
