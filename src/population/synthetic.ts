// A synthetic living-population series with known structure (tests and benchmarks): a daily shape
// by weekday/weekend, a level (with an optional step), band shares, and multiplicative noise
// with some persistence. Deterministic for a given seed.
import { N_BANDS } from '../platform/store/population-bands.ts';
import { dayClasses } from './calendar.ts';
import type { PopulationSeries } from './series.ts';

export interface SyntheticOptions {
  startDay: number;
  days: number;
  level?: number;
  /** Level multiplied by `factor` from hour index `at` on. */
  step?: { at: number; factor: number };
  noise?: number;
  seed?: number;
}

import { mulberry32 } from '../platform/util/random.ts';

export { mulberry32 };

/** The true shape: weekday daytime +10%, night -10%; weekends and holidays flatter and lower. */
export function trueShape(type: number, hour: number): number {
  const day = Math.sin(((hour - 3) / 24) * 2 * Math.PI);
  return type >= 5 ? 0.95 * (1 + 0.04 * day) : 1.02 * (1 + 0.1 * day);
}

export function syntheticSeries(dong: string, o: SyntheticOptions): PopulationSeries {
  const rand = mulberry32(o.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const n = o.days * 24;
  const types = dayClasses(o.startDay, o.days);
  const total = new Float64Array(n);
  const bands = new Float64Array(n * N_BANDS);
  const base = Array.from({ length: N_BANDS }, (_, b) => 1 + (b % 7) / 3);
  const baseSum = base.reduce((a, b) => a + b, 0);
  let ar = 0;
  for (let i = 0; i < n; i++) {
    const t = types[Math.floor(i / 24)]!;
    ar = 0.8 * ar + (o.noise ?? 0.01) * gauss();
    const level = (o.level ?? 30000) * (o.step && i >= o.step.at ? o.step.factor : 1);
    const v = level * trueShape(t, i % 24) * (1 + ar);
    total[i] = v;
    // Young bands peak in daytime on weekdays: shares move with the hour, and still add up.
    let sum = 0;
    for (let b = 0; b < N_BANDS; b++) {
      const w = base[b]! * (b % 14 < 4 && t < 5 && i % 24 >= 9 && i % 24 <= 17 ? 1.2 : 1);
      bands[i * N_BANDS + b] = w;
      sum += w;
    }
    for (let b = 0; b < N_BANDS; b++) bands[i * N_BANDS + b] = (v * bands[i * N_BANDS + b]!) / sum;
  }
  void baseSum;
  return { dong, startDay: o.startDay, total, bands };
}
