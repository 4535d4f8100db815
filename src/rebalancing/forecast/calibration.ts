// From point rates to calibrated predictive distributions: a negative-binomial dispersion per
// station (moment estimate on held-out hours, shrunk to the system's), then one scale on it chosen
// so that the held-out randomised coverage of the 80% and 95% intervals is nominal.
import { nbRandomisedQuantiles, POISSON_SIZE, randomisedCoverage } from './negbin.ts';

/** Weight (in sum of mu^2) the system-wide dispersion carries in each station's estimate. */
const SHRINK_MU2 = 50;
const MAX_ALPHA = 20;

/**
 * NB2 dispersion alpha (variance = mu + alpha mu^2) per group from held-out (y, mu) pairs:
 * alpha = sum((y - mu)^2 - mu) / sum(mu^2), shrunk towards the pooled value.
 */
export function fitDispersion(y: ArrayLike<number>, mu: ArrayLike<number>, group: ArrayLike<number>, groups: number): { alpha: Float64Array; pooled: number } {
  const num = new Float64Array(groups);
  const den = new Float64Array(groups);
  let tn = 0;
  let td = 0;
  for (let i = 0; i < y.length; i++) {
    const m = mu[i]!;
    const r = y[i]! - m;
    const g = group[i]!;
    num[g] = num[g]! + r * r - m;
    den[g] = den[g]! + m * m;
    tn += r * r - m;
    td += m * m;
  }
  const pooled = clampAlpha(td > 0 ? tn / td : 0);
  const alpha = new Float64Array(groups);
  for (let g = 0; g < groups; g++) alpha[g] = clampAlpha((num[g]! + SHRINK_MU2 * pooled) / (den[g]! + SHRINK_MU2));
  return { alpha, pooled };
}

function clampAlpha(a: number): number {
  return Math.max(1 / POISSON_SIZE, Math.min(MAX_ALPHA, a));
}

export function sizeOf(alpha: number): number {
  return alpha <= 1 / POISSON_SIZE ? POISSON_SIZE : 1 / alpha;
}

export const INTERVAL_LEVELS = [0.025, 0.1, 0.9, 0.975] as const;

/** Mean randomised coverage of the 80% and 95% central intervals. */
export function coverage(y: ArrayLike<number>, mu: ArrayLike<number>, size: ArrayLike<number>): { c80: number; c95: number } {
  const q = new Float64Array(4);
  let c80 = 0;
  let c95 = 0;
  for (let i = 0; i < y.length; i++) {
    nbRandomisedQuantiles(INTERVAL_LEVELS, mu[i]!, size[i]!, q);
    c95 += randomisedCoverage(y[i]!, q[0]!, q[3]!);
    c80 += randomisedCoverage(y[i]!, q[1]!, q[2]!);
  }
  return { c80: c80 / y.length, c95: c95 / y.length };
}

/**
 * The multiplier on alpha that brings held-out coverage closest to nominal (80% and 95%).
 * A small grid search: coverage is monotone in the scale, and evaluating it is cheap.
 */
export function calibrateScale(y: ArrayLike<number>, mu: ArrayLike<number>, alpha: ArrayLike<number>, maxRows = 50_000): number {
  const n = y.length;
  const step = Math.max(1, Math.floor(n / maxRows));
  const ys: number[] = [];
  const ms: number[] = [];
  const as: number[] = [];
  for (let i = 0; i < n; i += step) {
    ys.push(y[i]!);
    ms.push(mu[i]!);
    as.push(alpha[i]!);
  }
  let best = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  const size = new Float64Array(ys.length);
  for (const scale of [0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.4, 1.6, 1.8, 2.1, 2.5, 3, 3.6, 4.5]) {
    for (let i = 0; i < ys.length; i++) size[i] = sizeOf(as[i]! * scale);
    const c = coverage(ys, ms, size);
    const loss = (c.c80 - 0.8) ** 2 + (c.c95 - 0.95) ** 2;
    if (loss < bestLoss) {
      bestLoss = loss;
      best = scale;
    }
  }
  return best;
}
