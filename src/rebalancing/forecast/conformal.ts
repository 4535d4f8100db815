// Split-conformal intervals on the log scale, for large counts (city-level hourly totals): the
// predictive quantile at level tau is (mu + 1) exp(r_tau) - 1, where r_tau is the empirical quantile
// of the held-out log residuals log((y + 1) / (mu + 1)). Used where the negative binomial's shape
// is the problem: city-level errors have heavier tails than NB2 (var = mu + alpha mu^2), so no one
// dispersion covers both the 80% and the 95% interval (docs/forecast.md). On exchangeable data (a
// random split) the coverage is guaranteed up to 1/(n+1); on a time-ordered split it is not.
// Written here: a sort and an order statistic; no npm package does split conformal on counts.
import { PINBALL_LEVELS, pinballLoss } from './metrics.ts';
import { randomisedCoverage } from './negbin.ts';

/** Residual quantiles r_tau for each level, from held-out (y, mu). */
export function logResidualQuantiles(y: ArrayLike<number>, mu: ArrayLike<number>, levels: readonly number[]): Float64Array {
  const n = y.length;
  if (n === 0) throw new RangeError('conformal calibration needs at least one held-out outcome');
  const r = Float64Array.from({ length: n }, (_, i) => Math.log((y[i]! + 1) / (mu[i]! + 1))).sort();
  // The finite-sample conformal order statistic: the ceil((n + 1) tau)-th smallest for an upper
  // level, floor((n + 1) tau)-th for a lower one, clamped to the sample.
  return Float64Array.from(levels, (tau) => {
    const k = tau >= 0.5 ? Math.ceil((n + 1) * tau) : Math.floor((n + 1) * tau);
    return r[Math.min(n, Math.max(1, k)) - 1]!;
  });
}

/** The count quantile at level residual quantile `r` for a predicted rate `mu`. */
export function conformalQuantile(mu: number, r: number): number {
  return Math.max(0, (mu + 1) * Math.exp(r) - 1);
}

export interface ConformalScores {
  coverage_80: number;
  coverage_95: number;
  /** Mean pinball loss over PINBALL_LEVELS, as the NB scores (of y + 0.5, the randomised outcome's middle). */
  pinball: number;
}

/** Scores of the conformal quantiles on test (y, mu), calibrated on held-out (yHeld, muHeld). */
export function conformalScores(yHeld: ArrayLike<number>, muHeld: ArrayLike<number>, y: ArrayLike<number>, mu: ArrayLike<number>): ConformalScores {
  const levels = [...PINBALL_LEVELS];
  const r = logResidualQuantiles(yHeld, muHeld, levels);
  const at = (tau: number) => r[levels.indexOf(tau as (typeof PINBALL_LEVELS)[number])]!;
  let c80 = 0, c95 = 0, pin = 0;
  for (let i = 0; i < y.length; i++) {
    const m = mu[i]!, v = y[i]!;
    c80 += randomisedCoverage(v, conformalQuantile(m, at(0.1)), conformalQuantile(m, at(0.9)));
    c95 += randomisedCoverage(v, conformalQuantile(m, at(0.025)), conformalQuantile(m, at(0.975)));
    for (let k = 0; k < levels.length; k++) pin += pinballLoss(v + 0.5, conformalQuantile(m, r[k]!), levels[k]!);
  }
  const n = y.length;
  return { coverage_80: c80 / n, coverage_95: c95 / n, pinball: pin / (n * levels.length) };
}
