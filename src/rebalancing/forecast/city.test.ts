import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coverage } from './calibration.ts';
import { dispersionSizes } from './city.ts';
import { rng } from './models/gbdt.ts';
import { negbin } from '../../../test/forecast/simulate.ts';

// Rates from 10 to 3,000 an hour, the relative error shrinking with the rate (alpha 0.5 at mu 10,
// 0.009 at mu 3,000), as city-level errors behave: one dispersion cannot cover quiet and busy
// hours both, one per decile of the predicted rate can.
function draw(n: number, seed: number): { y: Float64Array; mu: Float64Array } {
  const r = rng(seed);
  const mu = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = 10 * 300 ** r();
    y[i] = negbin(mu[i]!, 1 / (0.5 * (10 / mu[i]!) ** 0.7), r);
  }
  return { y, mu };
}

test('city dispersion per decile of the predicted rate covers quiet and busy hours alike', () => {
  const held = draw(4000, 1);
  const t = draw(4000, 2);
  const part = (size: Float64Array, busy: boolean) => {
    const idx = [...t.y.keys()].filter((i) => (busy ? t.mu[i]! > 1000 : t.mu[i]! < 50));
    return coverage(idx.map((i) => t.y[i]!), idx.map((i) => t.mu[i]!), idx.map((i) => size[i]!));
  };
  const deciles = dispersionSizes(held.y, held.mu, t.mu, 'rate_decile');
  const one = dispersionSizes(held.y, held.mu, t.mu, 'one');
  for (const busy of [false, true]) {
    const c = part(deciles, busy);
    assert.ok(Math.abs(c.c80 - 0.8) < 0.04 && Math.abs(c.c95 - 0.95) < 0.03, `${busy ? 'busy' : 'quiet'} with deciles: ${JSON.stringify(c)}`);
  }
  // One alpha is too narrow for the quiet hours and too wide for the busy ones.
  assert.ok(part(one, false).c80 < 0.75 && part(one, true).c80 > 0.85, JSON.stringify([part(one, false), part(one, true)]));
});
