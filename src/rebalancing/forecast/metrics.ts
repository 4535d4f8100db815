// Scores of point forecasts and predictive distributions.
import { INTERVAL_LEVELS } from './calibration.ts';
import { nbQuantile, nbRandomisedQuantiles, randomisedCoverage } from './negbin.ts';

/** Quantile levels of the pinball loss (averaged over them). */
export const PINBALL_LEVELS = [0.025, 0.1, 0.5, 0.9, 0.975] as const;

/**
 * Which point of the predictive distribution MAE scores. The mean minimises squared error, the
 * median absolute error (Gneiting 2011, "Making and evaluating point forecasts"): for sparse
 * counts (most station-hours 0) the two differ a lot, so MAE states its point.
 */
export type PointForecast = 'mean' | 'median';

export interface Scores {
  n: number;
  /** The point forecast `mae` is of; RMSE and R² are always of the mean. */
  point: PointForecast;
  /** MAE of `point`. */
  mae: number;
  /** MAE of the mean and of the (integer) median of NB(mu, size), both reported whatever `point` is. */
  mae_mean: number;
  mae_median: number;
  rmse: number;
  r2: number;
  pinball: number;
  coverage_80: number;
  coverage_95: number;
}

export function pinballLoss(y: number, q: number, level: number): number {
  return y >= q ? level * (y - q) : (1 - level) * (q - y);
}

/** Point scores (MAE of `point`, RMSE/R² of the mean) and distribution scores of NB(mu, size), randomised for counts. */
export function scoreNegBin(y: ArrayLike<number>, mu: ArrayLike<number>, size: ArrayLike<number>, point: PointForecast = 'mean'): Scores {
  const n = y.length;
  let ae = 0;
  let aeMedian = 0;
  let se = 0;
  let sy = 0;
  let syy = 0;
  let pin = 0;
  let c80 = 0;
  let c95 = 0;
  const q = new Float64Array(PINBALL_LEVELS.length);
  const qi = new Float64Array(INTERVAL_LEVELS.length);
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    const m = mu[i]!;
    ae += Math.abs(v - m);
    aeMedian += Math.abs(v - nbQuantile(0.5, m, size[i]!));
    se += (v - m) ** 2;
    sy += v;
    syy += v * v;
    nbRandomisedQuantiles(PINBALL_LEVELS, m, size[i]!, q);
    // The randomised outcome is v + U; its expected pinball loss is close to that of v + 0.5.
    for (let k = 0; k < PINBALL_LEVELS.length; k++) pin += pinballLoss(v + 0.5, q[k]!, PINBALL_LEVELS[k]!);
    nbRandomisedQuantiles(INTERVAL_LEVELS, m, size[i]!, qi);
    c95 += randomisedCoverage(v, qi[0]!, qi[3]!);
    c80 += randomisedCoverage(v, qi[1]!, qi[2]!);
  }
  const sst = syy - (sy * sy) / n;
  return {
    n, point, mae: point === 'median' ? aeMedian / n : ae / n, mae_mean: ae / n, mae_median: aeMedian / n, rmse: Math.sqrt(se / n), r2: sst > 0 ? 1 - se / sst : 0, pinball: pin / (n * PINBALL_LEVELS.length),
    coverage_80: c80 / n, coverage_95: c95 / n,
  };
}

/** Point-only scores (for continuous targets). */
export function scorePoint(y: ArrayLike<number>, pred: ArrayLike<number>): { mae: number; rmse: number; r2: number } {
  let ae = 0, se = 0, sy = 0, syy = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - pred[i]!;
    ae += Math.abs(e);
    se += e * e;
    sy += y[i]!;
    syy += y[i]! * y[i]!;
  }
  const sst = syy - (sy * sy) / n;
  return { mae: ae / n, rmse: Math.sqrt(se / n), r2: sst > 0 ? 1 - se / sst : 0 };
}
