// Which demand factors matter and by how much (수요예측 요인파악):
// - permutation importance: how much worse (Poisson deviance, %) the held-out forecasts get when a
//   factor's features are shuffled across rows (Breiman 2001), per factor group of features.ts;
// - effect sizes read from the fitted profile: peak-to-trough ratio over the hours of the day,
//   weekend / holiday vs weekday level, and the spread between stations;
// - partial dependence of the rate on weather where the system has it.
import { CELLS } from './baselines.ts';
import { buildFeatures, FACTOR_GROUPS, FEATURES, type FeatureContext, type FeatureRows } from './features.ts';
import { binColumns, predictLog, rng, type PoissonGbdt } from './models/gbdt.ts';

export interface FactorImportance {
  factor: string;
  /** Increase in held-out mean Poisson deviance when the factor is shuffled, in % of the deviance. */
  deviance_increase_pct: number;
  /** Share of the trees' split gain. */
  gain_share_pct: number;
}

export interface ProfileEffects {
  /** Busiest hour's mean rate / quietest hour's (weekdays, all stations). */
  hour_peak_to_trough: number;
  busiest_hour: number;
  /** Mean rate on weekends and on public holidays relative to weekdays (the day types of src/platform/calendar/day-types.ts). */
  weekend_vs_weekday: number;
  holiday_vs_weekday: number;
  /** Station level: 90th / 10th percentile of the stations' mean rates. */
  station_p90_p10: number;
}

export interface Factors {
  flow: string;
  rows: number;
  importance: FactorImportance[];
  profile: ProfileEffects;
  /** Rate multiplier at chosen values of weather features (partial dependence), if known. */
  weather: { feature: string; value: number; rate_ratio: number }[];
}

function poissonDeviance(y: ArrayLike<number>, logMu: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) {
    const mu = Math.exp(logMu[i]!);
    const v = y[i]!;
    d += 2 * ((v > 0 ? v * Math.log(v / mu) : 0) - (v - mu));
  }
  return d / y.length;
}

export function computeFactors(ctx: FeatureContext, gbdt: PoissonGbdt, rows: FeatureRows, y: ArrayLike<number>, maxRows = 20_000): Factors {
  // An even spread over the rows (they come ordered by station).
  const step = Math.max(1, Math.floor(rows.station.length / maxRows));
  const pick = Int32Array.from({ length: Math.floor(rows.station.length / step) }, (_, i) => i * step);
  const n = pick.length;
  const sub: FeatureRows = {
    station: Int32Array.from(pick, (i) => rows.station[i]!), target: Int32Array.from(pick, (i) => rows.target[i]!), horizon: Int32Array.from(pick, (i) => rows.horizon[i]!),
  };
  const ys = Array.from(pick, (i) => y[i]!);
  const { columns, offset } = buildFeatures(ctx, sub);
  const X = binColumns(gbdt.binner, columns);
  const base = poissonDeviance(ys, predictLog(gbdt, X, offset));
  const rand = rng(99);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const totalGain = gbdt.gain.reduce((a, b) => a + b, 0) || 1;
  const importance: FactorImportance[] = [];
  for (const [factor, feats] of Object.entries(FACTOR_GROUPS)) {
    const idx = feats.map((f) => FEATURES.indexOf(f));
    const Xp = X.slice();
    let off: Float32Array = offset;
    for (const k of idx) Xp[k] = Uint8Array.from(perm, (j) => X[k]![j]!);
    // The profile is also the offset: shuffling station identity shuffles the offset with it.
    if (feats.includes('log_profile')) off = Float32Array.from(perm, (j) => offset[j]!);
    const d = poissonDeviance(ys, predictLog(gbdt, Xp, off));
    importance.push({
      factor, deviance_increase_pct: (100 * (d - base)) / base,
      gain_share_pct: (100 * idx.reduce((a, k) => a + gbdt.gain[k]!, 0)) / totalGain,
    });
  }
  importance.sort((a, b) => b.deviance_increase_pct - a.deviance_increase_pct);
  const weather: Factors['weather'] = [];
  const meanRate = (Xw: Uint8Array[]) => predictLog(gbdt, Xw, offset).reduce((a, v) => a + Math.exp(v), 0) / n;
  const ref = meanRate(X);
  const grid: Record<string, number[]> = { temperature: [-5, 5, 15, 25, 32], precipitation: [0, 1, 5, 15], wind: [0, 3, 6], humidity: [30, 60, 90] };
  for (const [feature, values] of Object.entries(grid)) {
    const k = FEATURES.indexOf(feature as (typeof FEATURES)[number]);
    if (!X[k]!.some((b) => b !== 0)) continue; // unknown for this system
    for (const value of values) {
      const Xw = X.slice();
      Xw[k] = new Uint8Array(n).fill(binColumns({ edges: [gbdt.binner.edges[k]!] }, [[value]])[0]![0]!);
      weather.push({ feature, value, rate_ratio: meanRate(Xw) / ref });
    }
  }
  return { flow: ctx.flow, rows: n, importance, profile: profileEffects(ctx.profile, ctx.panel.stations.length), weather };
}

export function profileEffects(profile: Float64Array, S: number): ProfileEffects {
  const byCell = new Float64Array(CELLS);
  for (let s = 0; s < S; s++) for (let c = 0; c < CELLS; c++) byCell[c] = byCell[c]! + profile[s * CELLS + c]! / S;
  const work = Array.from(byCell.subarray(0, 24));
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;
  const busiest = work.indexOf(Math.max(...work));
  const levels = Array.from({ length: S }, (_, s) => mean(profile.subarray(s * CELLS, (s + 1) * CELLS))).sort((a, b) => a - b);
  const q = (p: number) => levels[Math.min(S - 1, Math.floor(p * S))]!;
  return {
    hour_peak_to_trough: Math.max(...work) / Math.max(1e-9, Math.min(...work)),
    busiest_hour: busiest,
    weekend_vs_weekday: mean(byCell.subarray(24, 48)) / mean(byCell.subarray(0, 24)),
    holiday_vs_weekday: mean(byCell.subarray(48, 72)) / mean(byCell.subarray(0, 24)),
    station_p90_p10: q(0.9) / Math.max(1e-9, q(0.1)),
  };
}
