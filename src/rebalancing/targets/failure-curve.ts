// The expected-failures curve: expected failed rentals plus failed returns over the horizon as a
// function of the starting inventory. This is what the routing engine minimises when it decides how
// many bikes to drop or collect at a station.
import type { TransientCurves } from './birth-death.ts';

export interface FailureCurve {
  /** Expected failed rentals by start inventory 0..capacity. */
  rentals: number[];
  /** Expected failed returns by start inventory. */
  returns: number[];
  /** rentals + returns. */
  total: number[];
  /** The start inventory with the fewest expected failures (the lowest such, on ties). */
  best: number;
}

/** Failed returns only count where capacity binds; `returnWeight` 0 ignores them (soft capacity). */
export function failureCurve(curves: TransientCurves, returnWeight = 1): FailureCurve {
  const rentals = Array.from(curves.failedRentals);
  const returns = Array.from(curves.failedReturns);
  const total = rentals.map((r, n) => r + returnWeight * returns[n]!);
  let best = 0;
  for (let n = 1; n < total.length; n++) if (total[n]! < total[best]! - 1e-12) best = n;
  return { rentals, returns, total, best };
}
