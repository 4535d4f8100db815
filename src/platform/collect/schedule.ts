// When to poll next: at the feed's ttl, never faster than the floor, with jitter so that many
// pollers started together do not hit a server in step.
export interface ScheduleOptions {
  /** Never poll faster than this, whatever the ttl says (seconds). */
  floorS: number;
  /** Fraction of the interval added at random, 0..1. */
  jitter: number;
  /** Interval when the feed gives no ttl (seconds). */
  defaultS: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = { floorS: 60, jitter: 0.1, defaultS: 60 };

export function pollIntervalMs(ttlS: number | undefined, random: () => number, opts: ScheduleOptions = DEFAULT_SCHEDULE): number {
  const base = Math.max(opts.floorS, ttlS !== undefined && Number.isFinite(ttlS) && ttlS > 0 ? ttlS : opts.defaultS);
  return Math.round(base * 1000 * (1 + opts.jitter * random()));
}

/**
 * A gap is an interval with no good snapshot longer than `factor` intervals: returns it when the new
 * good snapshot at `nowMs` follows the previous good one at `lastGoodMs` by more than that.
 */
export function gapBetween(lastGoodMs: number | undefined, nowMs: number, intervalMs: number, factor = 2): { start: number; end: number } | undefined {
  if (lastGoodMs === undefined) return undefined;
  if (nowMs - lastGoodMs > factor * intervalMs) return { start: lastGoodMs, end: nowMs };
  return undefined;
}
