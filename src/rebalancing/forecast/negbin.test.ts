import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negbin } from '../../../test/forecast/simulate.ts';
import { calibrateScale, coverage, fitDispersion, sizeOf } from './calibration.ts';
import { rng } from './models/gbdt.ts';
import nbinomCdf from '@stdlib/stats-base-dists-negative-binomial-cdf';
import { nbCdf, nbLogPmf, nbQuantile, nbRandomisedQuantile, POISSON_SIZE, randomisedCoverage } from './negbin.ts';

test('NB cdf and pmf match closed forms', () => {
  // Poisson(2): P(Y <= 2) = e^-2 (1 + 2 + 2) = 5 e^-2
  assert.ok(Math.abs(nbCdf(2, 2, POISSON_SIZE) - 5 * Math.exp(-2)) < 1e-9);
  // Geometric (size 1, mu 3): P(Y = k) = (1/4) (3/4)^k, so P(Y <= 2) = 1 - (3/4)^3
  assert.ok(Math.abs(nbCdf(2, 3, 1) - (1 - 0.75 ** 3)) < 1e-12);
  assert.ok(Math.abs(Math.exp(nbLogPmf(4, 3, 1)) - 0.25 * 0.75 ** 4) < 1e-12);
  assert.equal(nbQuantile(0.5, 3, 1), 2); // F(1) = 0.4375 < 0.5 <= F(2) = 0.578
});

test('above a mean of 400 the normal approximation stays close to the exact NB cdf', () => {
  for (const [y, mu, size] of [[450, 500, 500], [500, 500, 500], [560, 500, 500], [1000, 1000, 1e6]] as const) {
    const exact = nbinomCdf(y, size, size / (size + mu));
    assert.ok(Math.abs(nbCdf(y, mu, size) - exact) < 0.01, `F(${y}; ${mu}, ${size}) = ${nbCdf(y, mu, size)} vs ${exact}`);
  }
  // The randomised median sits at the mean plus a half.
  assert.ok(Math.abs(nbRandomisedQuantile(0.5, 500, 500) - 500.5) < 1e-9);
});

test('randomised quantiles: within the right integer cell and monotone', () => {
  let prev = -1;
  for (const p of [0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975]) {
    const q = nbRandomisedQuantile(p, 2.5, 3);
    const k = Math.floor(q);
    assert.ok(nbCdf(k - 1, 2.5, 3) <= p + 1e-12 && p <= nbCdf(k, 2.5, 3) + 1e-12);
    assert.ok(q > prev);
    prev = q;
  }
  assert.equal(randomisedCoverage(2, 1.5, 2.25), 0.25);
});

test('intervals cover at the nominal rate on simulated NB data; dispersion is recovered', () => {
  const r = rng(17);
  const n = 20_000;
  const mu = Float64Array.from({ length: n }, () => 0.2 + 6 * r());
  const group = Int32Array.from({ length: n }, (_, i) => i % 2);
  const trueSize = [0.8, 5];
  const y = Float64Array.from(mu, (m, i) => negbin(m, trueSize[group[i]!]!, r));
  const { alpha } = fitDispersion(y, mu, group, 2);
  assert.ok(Math.abs(alpha[0]! - 1 / 0.8) < 0.15, `alpha0 ${alpha[0]}`);
  assert.ok(Math.abs(alpha[1]! - 0.2) < 0.06, `alpha1 ${alpha[1]}`);
  const size = Float64Array.from(group, (g) => sizeOf(alpha[g]!));
  const c = coverage(y, mu, size);
  assert.ok(Math.abs(c.c80 - 0.8) < 0.015, `80%: ${c.c80}`);
  assert.ok(Math.abs(c.c95 - 0.95) < 0.01, `95%: ${c.c95}`);
  // A Poisson model of the same data under-covers, and calibration widens it back.
  const pois = coverage(y, mu, new Float64Array(n).fill(POISSON_SIZE));
  assert.ok(pois.c80 < 0.72, `Poisson 80%: ${pois.c80}`);
  const scale = calibrateScale(y, mu, Float64Array.from(group, (g) => alpha[g]! * 0.3));
  assert.ok(scale >= 2.5 && scale <= 4.5, `scale ${scale} ~ 1/0.3`);
});

test('scoreNegBin: MAE of the stated point; mean and median both reported', async () => {
  const { scoreNegBin } = await import('./metrics.ts');
  // Poisson(0.5): P(0) = 0.61, so the median is 0; the mean is 0.5.
  const y = [0, 0, 1, 3];
  const mu = [0.5, 0.5, 0.5, 0.5];
  const size = mu.map(() => POISSON_SIZE);
  const byMean = scoreNegBin(y, mu, size);
  const byMedian = scoreNegBin(y, mu, size, 'median');
  assert.equal(byMean.point, 'mean');
  assert.ok(Math.abs(byMean.mae - (0.5 + 0.5 + 0.5 + 2.5) / 4) < 1e-12);
  assert.equal(byMedian.point, 'median');
  assert.ok(Math.abs(byMedian.mae - 1) < 1e-12);
  assert.equal(byMedian.mae_mean, byMean.mae);
  assert.equal(byMean.mae_median, byMedian.mae);
  assert.equal(byMedian.rmse, byMean.rmse); // RMSE is of the mean either way
});
