// The living-population model: a profile x level model with a short-memory correction.
//
//   y(t) = L(T) * Q[type(t)][hour(t)] * (1 + a_h . x(T, h)) * (1 + e_h)
//
// - Q: the shape of a day by day type (Mon..Sun, holiday) and hour, relative to the surrounding
//   week's level: a recency-weighted mean of y / (7-day mean), so a changed shape (e.g. fewer office
//   workers in 2020) takes over within weeks. Holidays are rare and remember longer.
// - L: the level, an exponentially weighted mean of y / Q over the last hours; it follows a level
//   shift by itself. A change detector (two-sided CUSUM on the daily mean of the one-step errors)
//   resets the level to a fast-reacting one when the errors stay on one side for days, so a break
//   (COVID-19, Feb-Mar 2020) is absorbed within days instead of the level's half-life.
// - a_h: how much of the recent surprises x persists h hours ahead, by least squares per horizon;
//   x = (the last hour's one-step ratio error, the error at the same hour of day on the latest day
//   before the cut-off, the mean error of the last 24 hours): a busy afternoon yesterday says
//   something about this afternoon that the level alone does not.
// - e_h: ratio errors whose empirical quantiles per horizon give the 80% and 95% intervals.
// a_h and e_h come from honest past forecasts: inside the calibration window, each week gets a
// profile fitted only on data before that week, and forecasts from origins in that week are scored
// against what followed (band errors use shares fitted before the window). In-sample errors would
// be too small and the intervals too narrow.
// Bands: each band's share of the total by day type and hour (weighted like Q), so the band
// forecasts add up to the total exactly; band intervals from the bands' own out-of-sample errors.
import { N_BANDS } from '../platform/store/population-bands.ts';
import { dayClasses, HOLIDAY, N_DAY_CLASSES } from './calendar.ts';
import type { PopulationSeries } from './series.ts';

export interface ModelConfig {
  /** Half-life of the day-shape weights, days. */
  profileHalfLifeDays: number;
  /** Holidays are rare: their shape remembers longer, days. */
  holidayHalfLifeDays: number;
  /** Half-life of the level, hours. */
  levelHalfLifeHours: number;
  /** Half-life of the fast level the detector switches to, hours. */
  fastLevelHalfLifeHours: number;
  /** CUSUM on daily mean one-step ratio errors: allowance per day and alarm threshold. */
  cusumDrift: number;
  cusumThreshold: number;
  /** Days before the cut-off whose rolling origins give a_h and the error quantiles. */
  calibrationDays: number;
  /** Hours between calibration origins (co-prime with 24 so that every hour of day is used). */
  calibrationStride: number;
  /** How far back the fit reads, days. */
  historyDays: number;
  /** Which surprises the correction uses: 1 = the last hour's only; 3 = also same hour / last day. */
  regressors: 1 | 3;
}

export const DEFAULT_CONFIG: ModelConfig = {
  profileHalfLifeDays: 28,
  holidayHalfLifeDays: 365,
  levelHalfLifeHours: 96,
  fastLevelHalfLifeHours: 12,
  cusumDrift: 0.02,
  cusumThreshold: 0.1,
  calibrationDays: 56,
  calibrationStride: 5,
  historyDays: 730,
  regressors: 1,
};

/** The quantile levels of the intervals: lo-95, lo-80, hi-80, hi-95. */
export const QUANTILES = [0.025, 0.1, 0.9, 0.975] as const;
export const MAX_H = 168;
/** Horizon buckets for the band intervals (upper bounds, inclusive). */
const BAND_BUCKETS = [6, 24, 96, 168];
const bucketOf = (h: number) => (h <= 6 ? 0 : h <= 24 ? 1 : h <= 96 ? 2 : 3);
/** The level pass starts this many days before the first hour it must report. */
const WARMUP_DAYS = 21;

export interface FittedModel {
  dong: string;
  config: ModelConfig;
  /** Hour index (in the series) of the first forecast hour: training used hours < origin only. */
  origin: number;
  startDay: number;
  /** Q[type * 24 + hour]. */
  profile: Float64Array;
  /** shares[(type * 24 + hour) * N_BANDS + band], summing to 1 over bands. */
  shares: Float64Array;
  level: number;
  /** One-step ratio errors of the 168 hours before the origin (NaN where missing). */
  recentResiduals: Float64Array;
  /** a[(h - 1) * N_REG + j], h = 1..MAX_H. */
  persistence: Float64Array;
  /** errorQuantiles[(h - 1) * 4 + q], ratio errors. */
  errorQuantiles: Float64Array;
  /** bandErrorQuantiles[(bucket * N_BANDS + band) * 4 + q]. */
  bandErrorQuantiles: Float64Array;
  /** Hour indices where the change detector fired during the final level pass. */
  changes: number[];
}

export interface ForecastHour {
  /** Hour index in the series' frame. */
  index: number;
  horizon: number;
  mean: number;
  /** lo95, lo80, hi80, hi95 */
  interval: [number, number, number, number];
  bandMeans: Float64Array;
  /** bandIntervals[b * 4 + q] */
  bandIntervals: Float64Array;
}

export const N_REG = 3;

/**
 * The regressors x(o, h) from the one-step errors before origin o; `resid(i)` gives hour i's error
 * (NaN when missing or unknown). Missing values count as no surprise (0).
 */
function features(resid: (i: number) => number, o: number, h: number, out: Float64Array, used: number): void {
  let last = 0;
  for (let i = o - 1; i >= o - 3; i--) { const r = resid(i); if (!Number.isNaN(r)) { last = r; break; } }
  out[0] = last;
  if (used === 1) { out[1] = 0; out[2] = 0; return; }
  const same = resid(o + h - 1 - 24 * Math.ceil(h / 24));
  let sum = 0;
  let n = 0;
  for (let i = o - 24; i < o; i++) { const r = resid(i); if (!Number.isNaN(r)) { sum += r; n++; } }
  out[0] = last;
  out[1] = Number.isNaN(same) ? 0 : same;
  out[2] = n > 0 ? sum / n : 0;
}

/**
 * Solve the small symmetric system A x = b (Gaussian elimination, a tiny ridge for safety).
 * Hand-written rather than ml-matrix's solve: on 3x3 systems it is 4x faster for the same solution
 * (max |diff| 3e-13; bench/library-stats.ts), and a fit solves one per horizon.
 */
export function solveSmall(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += m[i * n + i]!;
  for (let i = 0; i < n; i++) m[i * n + i]! += 1e-6 * trace + 1e-12;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[p * n + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) { const t = m[c * n + k]!; m[c * n + k] = m[p * n + k]!; m[p * n + k] = t; }
      const t = x[c]!; x[c] = x[p]!; x[p] = t;
    }
    const d = m[c * n + c]!;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c]! / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k]! -= f * m[c * n + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let v = x[c]!;
    for (let k = c + 1; k < n; k++) v -= m[c * n + k]! * x[k]!;
    x[c] = Math.abs(m[c * n + c]!) < 1e-300 ? 0 : v / m[c * n + c]!;
  }
  return x;
}

export interface Calendar {
  firstDay: number;
  types: Int8Array;
}
export const typeAt = (cal: Calendar, i: number) => cal.types[Math.floor(i / 24) - cal.firstDay]!;
export const cellAt = (cal: Calendar, i: number) => typeAt(cal, i) * 24 + (i % 24);

/** Profile Q and band shares from the hours before `end`. */
export function estimateProfile(
  s: PopulationSeries, end: number, cal: Calendar, config: ModelConfig, withBands: boolean,
): { profile: Float64Array; shares: Float64Array | undefined } {
  const y = s.total;
  const firstDay = Math.max(cal.firstDay, Math.floor(end / 24) - config.historyDays);
  const nDays = Math.floor((end - 1) / 24) - firstDay + 1;
  // Daily means of complete days, then a 7-day mean centred where the data allows (trailing at the
  // cut-off, never reading past it).
  const daily = new Float64Array(nDays).fill(NaN);
  for (let d = 0; d < nDays; d++) {
    const base = (firstDay + d) * 24;
    if (base + 24 > end) break;
    let sum = 0;
    let h = 0;
    for (; h < 24; h++) {
      const v = y[base + h]!;
      if (Number.isNaN(v)) break;
      sum += v;
    }
    if (h === 24) daily[d] = sum / 24;
  }
  let lastComplete = nDays - 1;
  while (lastComplete >= 0 && Number.isNaN(daily[lastComplete]!)) lastComplete--;
  const cells = N_DAY_CLASSES * 24;
  const qSum = new Float64Array(cells);
  const qW = new Float64Array(cells);
  const shSum = withBands ? new Float64Array(cells * N_BANDS) : undefined;
  const shW = withBands ? new Float64Array(cells * N_BANDS) : undefined;
  const decay = Math.pow(0.5, 1 / config.profileHalfLifeDays);
  const decayHol = Math.pow(0.5, 1 / config.holidayHalfLifeDays);
  let w = 1;
  let wHol = 1;
  for (let d = nDays - 1; d >= 0; d--, w *= decay, wHol *= decayHol) {
    if (w < 1e-4 && wHol < 1e-4) break;
    const hi = Math.min(d + 3, lastComplete);
    let lvl = 0;
    let n = 0;
    for (let k = Math.max(hi - 6, 0); k <= hi; k++) if (!Number.isNaN(daily[k]!)) { lvl += daily[k]!; n++; }
    if (n < 4) continue;
    lvl /= n;
    const type = cal.types[firstDay + d - cal.firstDay]!;
    const weight = type === HOLIDAY ? wHol : w;
    if (weight < 1e-4) continue;
    const base = (firstDay + d) * 24;
    for (let h = 0; h < 24 && base + h < end; h++) {
      const i = base + h;
      const v = y[i]!;
      if (Number.isNaN(v)) continue;
      const c = type * 24 + h;
      qSum[c]! += (weight * v) / lvl;
      qW[c]! += weight;
      if (shSum && shW && v > 0) {
        for (let b = 0; b < N_BANDS; b++) {
          const vb = s.bands[i * N_BANDS + b]!;
          if (Number.isNaN(vb)) continue;
          shSum[c * N_BANDS + b]! += (weight * vb) / v;
          shW[c * N_BANDS + b]! += weight;
        }
      }
    }
  }
  const profile = new Float64Array(cells);
  const shares = withBands ? new Float64Array(cells * N_BANDS) : undefined;
  for (let c = 0; c < cells; c++) {
    // A day type not seen (e.g. no holiday in the window) borrows Sunday's shape.
    const sunday = 6 * 24 + (c % 24);
    const src = qW[c]! > 0 ? c : qW[sunday]! > 0 ? sunday : -1;
    profile[c] = src < 0 ? 1 : qSum[src]! / qW[src]!;
    if (shares && shSum && shW) {
      let tot = 0;
      for (let b = 0; b < N_BANDS; b++) {
        const k = (src < 0 ? c : src) * N_BANDS + b;
        const v = shW[k]! > 0 ? shSum[k]! / shW[k]! : 1 / N_BANDS;
        shares[c * N_BANDS + b] = v;
        tot += v;
      }
      for (let b = 0; b < N_BANDS; b++) shares[c * N_BANDS + b]! /= tot;
    }
  }
  return { profile, shares };
}

export interface LevelPass {
  start: number;
  /** levels[k]: the level known before hour start + k (k = 0..n). */
  levels: Float64Array;
  /** resid[k]: one-step ratio error of hour start + k (NaN when missing). */
  resid: Float64Array;
  changes: number[];
}

/** Run the level (with change detection) over hours [start, end) with a fixed profile. */
export function levelPass(s: PopulationSeries, profile: Float64Array, cal: Calendar, start: number, end: number, config: ModelConfig): LevelPass {
  const y = s.total;
  const n = Math.max(0, end - start);
  const levels = new Float64Array(n + 1).fill(NaN);
  const resid = new Float64Array(n).fill(NaN);
  const aSlow = 1 - Math.pow(0.5, 1 / config.levelHalfLifeHours);
  const aFast = 1 - Math.pow(0.5, 1 / config.fastLevelHalfLifeHours);
  let level = NaN;
  let fast = NaN;
  let up = 0;
  let down = 0;
  let daySum = 0;
  let dayN = 0;
  const changes: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = start + k;
    levels[k] = level;
    if (i % 24 === 0 && dayN >= 12 && typeAt(cal, i - 1) !== HOLIDAY) {
      // A day is over: feed its mean one-step error to the detector (not a holiday's: a holiday
      // whose shape differs from the last one says nothing about the level).
      const e = daySum / dayN;
      up = Math.max(0, up + e - config.cusumDrift);
      down = Math.max(0, down - e - config.cusumDrift);
      if (up > config.cusumThreshold || down > config.cusumThreshold) {
        changes.push(i);
        level = fast;
        levels[k] = level;
        up = 0;
        down = 0;
      }
      daySum = 0;
      dayN = 0;
    } else if (i % 24 === 0) {
      daySum = 0;
      dayN = 0;
    }
    const v = y[i]!;
    if (Number.isNaN(v)) continue;
    const z = v / profile[cellAt(cal, i)]!;
    if (Number.isNaN(level)) { level = z; fast = z; continue; }
    const r = z / level - 1;
    resid[k] = r;
    daySum += r;
    dayN++;
    fast += aFast * (z - fast);
    level += aSlow * (z - level);
  }
  levels[n] = level;
  return { start, levels, resid, changes };
}

/** Hour i's one-step error from a level pass, for hours before `o` only (NaN otherwise). */
function residualsBefore(pass: LevelPass, o: number): (i: number) => number {
  return (i) => (i < o && i >= pass.start && i - pass.start < pass.resid.length ? pass.resid[i - pass.start]! : NaN);
}

/** Fit on the hours of `s` before `origin` (never reading any hour at or after it). */
export interface FitOptions {
  /** Fit the band shares and band intervals too (default true; the backtest scores totals only). */
  bands?: boolean;
}

export function fitModel(s: PopulationSeries, origin: number, config: ModelConfig = DEFAULT_CONFIG, opts: FitOptions = {}): FittedModel {
  const withBands = opts.bands ?? true;
  const y = s.total;
  const end = Math.min(origin, y.length);
  const firstDay = Math.max(0, Math.floor(end / 24) - config.historyDays - 1);
  const cal: Calendar = { firstDay, types: dayClasses(s.startDay + firstDay, Math.floor(end / 24) - firstDay + Math.ceil(MAX_H / 24) + 2) };

  // Honest past forecasts: week by week inside the calibration window.
  const calStart = Math.max(firstDay * 24 + (WARMUP_DAYS + 14) * 24, end - config.calibrationDays * 24);
  const pending: Array<{ o: number; L: number; resid: (i: number) => number; profile: Float64Array; shares: Float64Array | undefined }> = [];
  // Band shares move slowly: one set fitted before the calibration window serves all its weeks
  // (still out of sample, and 8 times cheaper than refitting the 28 bands every week).
  const sh = withBands ? estimateProfile(s, calStart, cal, config, true).shares : undefined;
  for (let cut = calStart; cut < end; cut += 168) {
    const { profile: p } = estimateProfile(s, cut, cal, config, false);
    const until = Math.min(cut + 168, end);
    const pass = levelPass(s, p, cal, cut - WARMUP_DAYS * 24, until, config);
    for (let o = cut; o < until; o += config.calibrationStride) {
      const k = o - pass.start;
      const L = pass.levels[k]!;
      const resid = residualsBefore(pass, o);
      if (!Number.isNaN(L)) pending.push({ o, L, resid, profile: p, shares: sh });
    }
  }
  // a_h by least squares of the ratio error on the recent surprises, per horizon.
  const xtx = new Float64Array(MAX_H * N_REG * N_REG);
  const xty = new Float64Array(MAX_H * N_REG);
  const x = new Float64Array(N_REG);
  for (const { o, L, resid, profile: p } of pending) {
    for (let h = 1; h <= MAX_H && o + h - 1 < end; h++) {
      const t = o + h - 1;
      const v = y[t]!;
      if (Number.isNaN(v)) continue;
      const e = v / (L * p[cellAt(cal, t)]!) - 1;
      features(resid, o, h, x, config.regressors);
      const base = (h - 1) * N_REG;
      for (let i = 0; i < N_REG; i++) {
        xty[base + i]! += x[i]! * e;
        for (let j = 0; j < N_REG; j++) xtx[(base + i) * N_REG + j]! += x[i]! * x[j]!;
      }
    }
  }
  const persistence = new Float64Array(MAX_H * N_REG);
  for (let h = 0; h < MAX_H; h++) {
    persistence.set(solveSmall(xtx.subarray(h * N_REG * N_REG, (h + 1) * N_REG * N_REG), xty.subarray(h * N_REG, (h + 1) * N_REG), N_REG), h * N_REG);
  }
  const correction = (resid: (i: number) => number, o: number, h: number) => {
    features(resid, o, h, x, config.regressors);
    let c = 0;
    for (let j = 0; j < N_REG; j++) c += persistence[(h - 1) * N_REG + j]! * x[j]!;
    return c;
  };
  // Ratio errors of the corrected forecasts, per horizon (total) and per bucket (bands).
  const errs = new Float64Array(MAX_H * pending.length);
  const nErr = new Int32Array(MAX_H);
  const bandErrs: Float64Array[] = BAND_BUCKETS.map((u, k) => new Float64Array(Math.ceil(pending.length / 3) * (u - (k ? BAND_BUCKETS[k - 1]! : 0)) * N_BANDS));
  const nBandErr = new Int32Array(BAND_BUCKETS.length * N_BANDS);
  for (let j = 0; j < pending.length; j++) {
    const { o, L, resid, profile: p, shares: sh } = pending[j]!;
    // Bands are scored on every third origin only: 28 bands give plenty of errors per bucket.
    const scoreBands = sh !== undefined && j % 3 === 0;
    for (let h = 1; h <= MAX_H && o + h - 1 < end; h++) {
      const t = o + h - 1;
      const v = y[t]!;
      if (Number.isNaN(v)) continue;
      const c = cellAt(cal, t);
      const f = L * p[c]! * (1 + correction(resid, o, h));
      errs[(h - 1) * pending.length + nErr[h - 1]!++] = v / f - 1;
      if (!scoreBands) continue;
      const bk = bucketOf(h);
      const buf = bandErrs[bk]!;
      const per = buf.length / N_BANDS;
      for (let b = 0; b < N_BANDS; b++) {
        const vb = s.bands[t * N_BANDS + b]!;
        const fb = f * sh![c * N_BANDS + b]!;
        if (Number.isNaN(vb) || !(fb > 0)) continue;
        buf[b * per + nBandErr[bk * N_BANDS + b]!++] = vb / fb - 1;
      }
    }
  }
  const errorQuantiles = new Float64Array(MAX_H * 4);
  const pool = new Float64Array(5 * pending.length);
  for (let h = 0; h < MAX_H; h++) {
    // Pool neighbouring horizons (h-2..h+2): smoother quantiles from the same errors.
    let n = 0;
    for (let k = Math.max(0, h - 2); k <= Math.min(MAX_H - 1, h + 2); k++) {
      pool.set(errs.subarray(k * pending.length, k * pending.length + nErr[k]!), n);
      n += nErr[k]!;
    }
    errorQuantiles.set(quantilesOf(pool.subarray(0, n)), h * 4);
  }
  const bandErrorQuantiles = new Float64Array(BAND_BUCKETS.length * N_BANDS * 4);
  for (let bk = 0; bk < BAND_BUCKETS.length; bk++) {
    const per = bandErrs[bk]!.length / N_BANDS;
    for (let b = 0; b < N_BANDS; b++) {
      const n = nBandErr[bk * N_BANDS + b]!;
      bandErrorQuantiles.set(quantilesOf(bandErrs[bk]!.subarray(b * per, b * per + n)), (bk * N_BANDS + b) * 4);
    }
  }

  // The model itself: profile and shares from everything before the cut-off, level up to it.
  const { profile, shares } = estimateProfile(s, end, cal, config, withBands);
  const pass = levelPass(s, profile, cal, Math.max(firstDay * 24, end - WARMUP_DAYS * 24), end, config);
  const recentResiduals = new Float64Array(168).fill(NaN);
  const before = residualsBefore(pass, end);
  for (let k = 0; k < 168; k++) recentResiduals[k] = before(end - 168 + k);
  return {
    dong: s.dong, config, origin: end, startDay: s.startDay, profile, shares: shares ?? new Float64Array(N_DAY_CLASSES * 24 * N_BANDS).fill(1 / N_BANDS), level: pass.levels[pass.levels.length - 1]!,
    recentResiduals, persistence, errorQuantiles, bandErrorQuantiles, changes: pass.changes,
  };
}

/** Empirical quantiles at QUANTILES (sorts `values` in place); zeros when there is nothing. */
export function quantilesOf(values: Float64Array): number[] {
  if (values.length === 0) return QUANTILES.map(() => 0);
  values.sort();
  return QUANTILES.map((q) => {
    const pos = q * (values.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, values.length - 1);
    return values[lo]! + (pos - lo) * (values[hi]! - values[lo]!);
  });
}

export function quantiles(values: readonly number[]): number[] {
  return quantilesOf(Float64Array.from(values));
}

/**
 * Forecast `hours` hours from the model's origin. Hour indices are in the series' frame; days past
 * the data get their day type from the calendar, so holidays ahead are known.
 */
export function forecast(m: FittedModel, hours: number): ForecastHour[] {
  const firstDay = Math.floor(m.origin / 24);
  const cal: Calendar = { firstDay, types: dayClasses(m.startDay + firstDay, Math.ceil((m.origin + hours) / 24) - firstDay + 1) };
  const out: ForecastHour[] = [];
  const resid = (i: number) => (i < m.origin && i >= m.origin - 168 ? m.recentResiduals[i - m.origin + 168]! : NaN);
  const x = new Float64Array(N_REG);
  for (let h = 1; h <= hours; h++) {
    const t = m.origin + h - 1;
    const c = cellAt(cal, t);
    const hh = Math.min(h, MAX_H);
    features(resid, m.origin, hh, x, m.config.regressors);
    let corr = 0;
    for (let j = 0; j < N_REG; j++) corr += m.persistence[(hh - 1) * N_REG + j]! * x[j]!;
    const mean = m.level * m.profile[c]! * (1 + corr);
    const q = m.errorQuantiles.subarray((hh - 1) * 4, hh * 4);
    const bk = bucketOf(hh);
    const bandMeans = new Float64Array(N_BANDS);
    const bandIntervals = new Float64Array(N_BANDS * 4);
    for (let b = 0; b < N_BANDS; b++) {
      const bm = mean * m.shares[c * N_BANDS + b]!;
      bandMeans[b] = bm;
      for (let k = 0; k < 4; k++) bandIntervals[b * 4 + k] = Math.max(0, bm * (1 + m.bandErrorQuantiles[(bk * N_BANDS + b) * 4 + k]!));
    }
    out.push({
      index: t, horizon: h, mean,
      interval: [0, 1, 2, 3].map((k) => Math.max(0, mean * (1 + q[k]!))) as [number, number, number, number],
      bandMeans, bandIntervals,
    });
  }
  return out;
}
