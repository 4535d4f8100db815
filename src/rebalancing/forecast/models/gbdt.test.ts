import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poisson } from '../../../../test/forecast/simulate.ts';
import { binColumns, fitBinner, fitPoissonGbdt, predictLog, rng } from './gbdt.ts';

test('Poisson GBDT recovers known rates (a smooth effect, a step and an interaction)', () => {
  const n = 20_000;
  const r = rng(5);
  const x0 = Float32Array.from({ length: n }, () => r());
  const x1 = Float32Array.from({ length: n }, () => r());
  const noise = Float32Array.from({ length: n }, () => r());
  const rate = (i: number) => Math.exp(0.3 + 1.2 * x0[i]! - (x1[i]! > 0.5 ? 1 : 0) + (x0[i]! > 0.7 && x1[i]! > 0.5 ? 0.8 : 0));
  const y = Float32Array.from({ length: n }, (_, i) => poisson(rate(i), r));
  const binner = fitBinner([x0, x1, noise]);
  const X = binColumns(binner, [x0, x1, noise]);
  const m = fitPoissonGbdt(X, y, binner, { trees: 80, learningRate: 0.15, maxLeaves: 15, minRows: 40 });
  const lf = predictLog(m, X);
  let err = 0;
  for (let i = 0; i < n; i++) err += Math.abs(lf[i]! - Math.log(rate(i)));
  const mae = err / n;
  assert.ok(mae < 0.1, `mean |log error| ${mae.toFixed(3)} should be < 0.1`);
  // The noise feature carries (almost) no split gain.
  assert.ok(m.gain[2]! < 0.1 * (m.gain[0]! + m.gain[1]!), `noise gain ${m.gain[2]} vs ${m.gain[0]! + m.gain[1]!}`);
});

test('an offset is respected: trees only learn the correction', () => {
  const n = 10_000;
  const r = rng(9);
  const base = Float32Array.from({ length: n }, () => Math.log(0.5 + 4 * r()));
  const x = Float32Array.from({ length: n }, () => r());
  const y = Float32Array.from({ length: n }, (_, i) => poisson(Math.exp(base[i]!) * (x[i]! > 0.5 ? 2 : 1), r));
  const binner = fitBinner([x]);
  const X = binColumns(binner, [x]);
  const m = fitPoissonGbdt(X, y, binner, { trees: 60, maxLeaves: 4 }, null, base);
  const lf = predictLog(m, X, base);
  let hi = 0, lo = 0, nh = 0, nl = 0;
  for (let i = 0; i < n; i++) {
    const d = lf[i]! - base[i]!;
    if (x[i]! > 0.5) { hi += d; nh++; } else { lo += d; nl++; }
  }
  assert.ok(Math.abs(hi / nh - lo / nl - Math.log(2)) < 0.08, `log ratio ${(hi / nh - lo / nl).toFixed(3)} ~ ${Math.log(2).toFixed(3)}`);
});

test('rows with weight 0 (censored hours) do not pull the fit', () => {
  const n = 8_000;
  const r = rng(2);
  const x = Float32Array.from({ length: n }, () => r());
  const y = Float32Array.from({ length: n }, () => poisson(3, r));
  const w = Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
  for (let i = 1; i < n; i += 2) y[i] = 0; // censored: observed zero, true demand unknown
  const binner = fitBinner([x]);
  const X = binColumns(binner, [x]);
  const m = fitPoissonGbdt(X, y, binner, { trees: 30 }, w);
  const mean = predictLog(m, X).reduce((a, v) => a + Math.exp(v), 0) / n;
  assert.ok(Math.abs(mean - 3) < 0.15, `mean rate ${mean.toFixed(3)} ~ 3`);
});
