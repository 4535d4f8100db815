// Draws for tests: Poisson and negative-binomial counts (Knuth's product method / gamma mixture).
export function poisson(mu: number, rand: () => number): number {
  if (mu > 50) return Math.max(0, Math.round(mu + Math.sqrt(mu) * gauss(rand)));
  const l = Math.exp(-mu);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

export function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gamma(shape, 1) by Marsaglia-Tsang. */
export function gamma(shape: number, rand: () => number): number {
  if (shape < 1) return gamma(shape + 1, rand) * Math.pow(rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = gauss(rand);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** NB2(mu, size): Poisson with a gamma(size, mu / size) rate. */
export function negbin(mu: number, size: number, rand: () => number): number {
  return poisson((gamma(size, rand) * mu) / size, rand);
}

import { asStationId } from '../../src/platform/ids.ts';
import { hourCalendar } from '../../src/rebalancing/forecast/calendar.ts';
import type { FlowPanel } from '../../src/rebalancing/forecast/panel.ts';
import { rng } from '../../src/rebalancing/forecast/models/gbdt.ts';

/** A synthetic panel (UTC, US holidays) with NB counts of rate rate(s, t). */
export function simulatedPanel(S: number, T: number, rate: (s: number, t: number, cal: FlowPanel['calendar']) => number, seed = 1, size = 4): FlowPanel {
  const start = Date.parse('2023-01-02T00:00:00Z');
  const calendar = hourCalendar(start, T, 'UTC', 'US');
  const r = rng(seed);
  const pickups = new Float32Array(S * T);
  const returns = new Float32Array(S * T);
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < T; t++) {
      pickups[s * T + t] = negbin(rate(s, t, calendar), size, r);
      returns[s * T + t] = negbin(rate(s, (t + 3) % T, calendar), size, r);
    }
  }
  return {
    stations: Array.from({ length: S }, (_, s) => asStationId(`st${s}`)), start, hours: T, pickups, returns,
    emptyShare: new Float32Array(S * T), fullShare: new Float32Array(S * T),
    lat: Float64Array.from({ length: S }, (_, s) => 37.5 + 0.001 * s), lon: Float64Array.from({ length: S }, (_, s) => 127 + 0.001 * (s % 5)),
    calendar, weather: null,
  };
}
