import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conformalQuantile, conformalScores, logResidualQuantiles } from './conformal.ts';
import { rng } from './models/gbdt.ts';

test('residual quantiles are the conformal order statistics of log((y + 1) / (mu + 1))', () => {
  // mu = 9 everywhere, y + 1 = 10 e^k for k = -4..4 (n = 9): residuals are exactly -4..4.
  const mu = new Float64Array(9).fill(9);
  const y = Float64Array.from({ length: 9 }, (_, i) => 10 * Math.exp(i - 4) - 1);
  const r = logResidualQuantiles(y, mu, [0.1, 0.5, 0.9]);
  // (n + 1) tau = 1, 5, 9: floor for the lower level, ceil for the upper ones.
  assert.deepEqual(Array.from(r, (v) => Math.round(v * 1e9) / 1e9), [-4, 0, 4]);
  assert.ok(Math.abs(conformalQuantile(9, r[2]!) - (10 * Math.exp(4) - 1)) < 1e-6);
  assert.equal(conformalQuantile(0, -50), 0, 'a quantile is never below 0');
  assert.throws(() => logResidualQuantiles([], [], [0.5]), /at least one/);
});

test('on heavy-tailed multiplicative errors, exchangeable held-out errors give nominal coverage', () => {
  const r = rng(3);
  const draw = (n: number) => {
    const mu = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      mu[i] = 50 + 1950 * r();
      // Student-t-like noise (3 degrees of freedom): a normal over the root of a scaled chi-square.
      const z = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
      const t = z() / Math.sqrt((z() ** 2 + z() ** 2 + z() ** 2) / 3);
      y[i] = Math.round(mu[i]! * Math.exp(0.15 * t));
    }
    return { mu, y };
  };
  const cal = draw(4000), tst = draw(4000);
  const s = conformalScores(cal.y, cal.mu, tst.y, tst.mu);
  assert.ok(Math.abs(s.coverage_80 - 0.8) < 0.025, `80%: ${s.coverage_80}`);
  assert.ok(Math.abs(s.coverage_95 - 0.95) < 0.015, `95%: ${s.coverage_95}`);
  // Calibrated on errors 3x smaller, the same intervals must undercover: the test can fail.
  const narrow = conformalScores(cal.y.map((v, i) => Math.round(cal.mu[i]! * Math.pow((v + 1) / (cal.mu[i]! + 1), 1 / 3))), cal.mu, tst.y, tst.mu);
  assert.ok(narrow.coverage_80 < 0.6, `narrow 80%: ${narrow.coverage_80}`);
  assert.ok(s.pinball < narrow.pinball);
});
