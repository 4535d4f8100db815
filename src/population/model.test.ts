import assert from 'node:assert/strict';
import { test } from 'node:test';
import { N_BANDS } from '../platform/store/population-bands.ts';
import { historicalAverage, seasonalNaive } from './baselines.ts';
import { runBacktest } from './backtest.ts';
import { dayClasses } from './calendar.ts';
import { fitModel, forecast } from './model.ts';
import { dayOfIsoDate } from './series.ts';
import { syntheticSeries, trueShape } from './synthetic.ts';

const START = dayOfIsoDate('2021-01-04'); // a Monday

test('on synthetic data the model recovers the level and the daily shape; bands add up to the total', () => {
  const s = syntheticSeries('x', { startDay: START, days: 140, noise: 0.004, seed: 7 });
  const origin = 120 * 24;
  const m = fitModel(s, origin);
  const fc = forecast(m, 168);
  const types = dayClasses(START, 140);
  let ape = 0;
  for (const f of fc) {
    const expected = 30000 * trueShape(types[Math.floor(f.index / 24)]!, f.index % 24);
    ape += Math.abs(f.mean / expected - 1);
    const sum = f.bandMeans.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - f.mean) < 1e-6 * f.mean, 'bands add up to the total');
    const [lo95, lo80, hi80, hi95] = f.interval;
    assert.ok(lo95 <= lo80 && lo80 <= f.mean && f.mean <= hi80 && hi80 <= hi95, `ordered interval at h=${f.horizon}`);
    for (let b = 0; b < N_BANDS; b++) assert.ok(f.bandIntervals[b * 4]! <= f.bandMeans[b]! && f.bandMeans[b]! <= f.bandIntervals[b * 4 + 3]!);
  }
  assert.ok(ape / fc.length < 0.02, `mean abs % error vs the true mean ${((100 * ape) / fc.length).toFixed(2)}%`);
  // Daytime weekday hours are shared more by the young bands (built into the synthetic series).
  const weekdayNoon = fc.find((f) => f.index % 24 === 12 && types[Math.floor(f.index / 24)]! < 5)!;
  const night = fc.find((f) => f.index % 24 === 2 && types[Math.floor(f.index / 24)]! < 5)!;
  assert.ok(weekdayNoon.bandMeans[0]! / weekdayNoon.mean > night.bandMeans[0]! / night.mean);
});

test('a level shift is absorbed within days, and the change detector fires near it', () => {
  const shiftAt = 100 * 24;
  const s = syntheticSeries('x', { startDay: START, days: 140, noise: 0.004, seed: 3, step: { at: shiftAt, factor: 0.8 } });
  const m = fitModel(s, shiftAt + 5 * 24);
  const fc = forecast(m, 24);
  const types = dayClasses(START, 140);
  const mape = fc.reduce((a, f) => a + Math.abs(f.mean / (24000 * trueShape(types[Math.floor(f.index / 24)]!, f.index % 24)) - 1), 0) / fc.length;
  assert.ok(mape < 0.03, `5 days after a -20% step the next day is forecast within ${(mape * 100).toFixed(1)}%`);
  assert.ok(m.changes.some((c) => c >= shiftAt && c <= shiftAt + 4 * 24), `detector fired at ${m.changes.join(', ')}`);
});

test('no peek: changing every hour at or after the cut-off changes neither the model nor the baselines', () => {
  const s = syntheticSeries('x', { startDay: START, days: 100, seed: 11 });
  const origin = 80 * 24 + 7;
  const poisoned = { ...s, total: s.total.slice(), bands: s.bands.slice() };
  for (let i = origin; i < s.total.length; i++) poisoned.total[i] = 1e9 * (1 + (i % 5));
  poisoned.bands.fill(1, origin * N_BANDS);
  assert.deepEqual(forecast(fitModel(poisoned, origin), 168), forecast(fitModel(s, origin), 168));
  for (const fit of [seasonalNaive, historicalAverage]) {
    const a = fit(s, origin);
    const b = fit(poisoned, origin);
    assert.deepEqual(b.errorQuantiles, a.errorQuantiles);
    for (let h = 1; h <= 168; h++) assert.equal(b.predict(origin + h - 1), a.predict(origin + h - 1));
  }
});

test('the backtest scores the model and both baselines at 1, 24 and 168 h; the model wins across a level shift', () => {
  const s = syntheticSeries('x', { startDay: START, days: 120, noise: 0.01, seed: 5, step: { at: 90 * 24, factor: 0.9 } });
  const r = runBacktest(s, { from: 80 * 24, to: 110 * 24, step: 13 });
  assert.deepEqual(r.metrics.map((m) => `${m.model}@${m.horizon_h}`), [
    'profile_level@1', 'profile_level@24', 'profile_level@168', 'seasonal_naive@1', 'seasonal_naive@24', 'seasonal_naive@168',
    'historical_average@1', 'historical_average@24', 'historical_average@168',
  ]);
  const mae = (model: string, h: number) => r.metrics.find((m) => m.model === model && m.horizon_h === h)!.mae;
  assert.ok(mae('profile_level', 1) < 0.8 * Math.min(mae('seasonal_naive', 1), mae('historical_average', 1)));
  assert.ok(mae('profile_level', 24) < Math.min(mae('seasonal_naive', 24), mae('historical_average', 24)));
  for (const m of r.metrics) assert.ok(m.n > 0 && m.coverage_80 >= 0 && m.coverage_95 >= m.coverage_80 - 1e-9);
});
