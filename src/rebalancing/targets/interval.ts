// The interval search: the range of starting inventories that keeps the risk of running empty (and,
// where capacity binds, of overflowing) over the horizon within 1 - service.
import type { TransientCurves } from './birth-death.ts';

export interface TargetInterval {
  min: number;
  max: number;
  /** False when no start meets the service level: then [min, max] is the single least risky start. */
  feasible: boolean;
}

/** Rounding slack so that a probability computed as alpha + 1e-15 still counts as alpha. */
const SLACK = 1e-12;

/**
 * P(empty) falls and P(full) rises with the start inventory (a coupling argument: a station that
 * starts with more bikes holds at least as many at every moment under the same events), so the
 * starts meeting both bounds form one interval. `fullBinds` false ignores P(full) (a station whose
 * capacity never limits returns).
 */
export function targetInterval(curves: TransientCurves, service: number, fullBinds = true): TargetInterval {
  if (!(service > 0 && service < 1)) throw new RangeError(`service level must be in (0, 1), got ${service}`);
  const alpha = 1 - service;
  const c = curves.capacity;
  let min = -1, max = -1;
  for (let n = 0; n <= c; n++) {
    const ok = curves.pEmpty[n]! <= alpha + SLACK && (!fullBinds || curves.pFull[n]! <= alpha + SLACK);
    if (ok) {
      if (min < 0) min = n;
      max = n;
    }
  }
  if (min >= 0) return { min, max, feasible: true };
  // No start is safe enough: the start with the least risk of either failure.
  // (P(empty) + P(full) bounds P(either) from above and is exact when both cannot happen.)
  const risk = (n: number) => curves.pEmpty[n]! + (fullBinds ? curves.pFull[n]! : 0);
  let best = 0;
  for (let n = 1; n <= c; n++) if (risk(n) < risk(best) - SLACK) best = n;
  return { min: best, max: best, feasible: false };
}

/** The middle of the interval (rounded down), where replay starts a station. */
export function midpoint(interval: TargetInterval): number {
  return Math.floor((interval.min + interval.max) / 2);
}
