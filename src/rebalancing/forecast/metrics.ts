// Scores of point forecasts and predictive distributions.
import { INTERVAL_LEVELS } from './calibration.ts';
import { nbRandomisedQuantiles, randomisedCoverage } from './negbin.ts';

/** Quantile levels of the pinball loss (averaged over them). */
export const PINBALL_LEVELS = [0.025, 0.1, 0.5, 0.9, 0.975] as const;

export interface Scores {
  n: number;
  mae: number;
  rmse: number;
  r2: number;
  pinball: number;
  coverage_80: number;
  coverage_95: number;
}

export function pinballLoss(y: number, q: number, level: number): number {
  return y >= q ? level * (y - q) : (1 - level) * (q - y);
}

/** Point scores of the mean and distribution scores of NB(mu, size), randomised for counts. */
export function scoreNegBin(y: ArrayLike<number>, mu: ArrayLike<number>, size: ArrayLike<number>): Scores {
  const n = y.length;
  let ae = 0;
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
    n, mae: ae / n, rmse: Math.sqrt(se / n), r2: sst > 0 ? 1 - se / sst : 0, pinball: pin / (n * PINBALL_LEVELS.length),
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
