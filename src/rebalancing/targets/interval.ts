// The interval search: the range of starting inventories that keeps the risk of running empty (or,
// where capacity binds, full) over the horizon within 1 - service.
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
 * The starts n whose risk of a failure over the horizon, P(empty) + P(full), is within
 * 1 - service. The sum bounds P(empty or full) from above (exactly equal when one horizon cannot
 * both empty and fill the station, the usual case): the replay counts a station-horizon as failed
 * when it ran empty OR full, so a start whose two risks were each just within 1 - service could
 * fail twice as often as promised. P(empty) falls and P(full) rises with the start inventory (a
 * coupling argument: a station that starts with more bikes holds at least as many at every moment
 * under the same events), so each alone gives one interval; their sum nearly always does too, and
 * should it dip under 1 - service twice, the longest run of qualifying starts is taken, so that
 * every start inside [min, max] qualifies. `fullBinds` false ignores P(full) (a station whose
 * capacity never limits returns).
 */
export function targetInterval(curves: TransientCurves, service: number, fullBinds = true): TargetInterval {
  if (!(service > 0 && service < 1)) throw new RangeError(`service level must be in (0, 1), got ${service}`);
  const alpha = 1 - service;
  const c = curves.capacity;
  const risk = (n: number) => curves.pEmpty[n]! + (fullBinds ? curves.pFull[n]! : 0);
  let min = -1, max = -1;
  for (let n = 0, start = -1; n <= c + 1; n++) {
    if (n <= c && risk(n) <= alpha + SLACK) {
      if (start < 0) start = n;
    } else if (start >= 0) {
      if (min < 0 || n - 1 - start > max - min) { min = start; max = n - 1; }
      start = -1;
    }
  }
  if (min >= 0) return { min, max, feasible: true };
  // No start is safe enough: the start with the least risk.
  let best = 0;
  for (let n = 1; n <= c; n++) if (risk(n) < risk(best) - SLACK) best = n;
  return { min: best, max: best, feasible: false };
}

/** The middle of the interval (rounded down), where replay starts a station. */
export function midpoint(interval: TargetInterval): number {
  return Math.floor((interval.min + interval.max) / 2);
}
