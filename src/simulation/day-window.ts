// The service day, 06:00-22:00 local, as UTC intervals: the `_day` metrics and the outage KPI count
// only inside it. Offsets from Intl (zoneOffset), so DST days are right and the host's zone never matters.
import { zoneOffset } from '../rebalancing/planning/assemble.ts';

export const DAY_START_HOUR = 6;
export const DAY_END_HOUR = 22;

/** Sorted, disjoint [start, end) epoch-second windows of 06:00-22:00 local covering [from, to). */
export function dayWindows(from: number, to: number, timeZone: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const offS = (t: number) => {
    const o = zoneOffset(t, timeZone);
    const sign = o.startsWith('-') ? -1 : 1;
    return sign * (Number(o.slice(1, 3)) * 3600 + Number(o.slice(4, 6)) * 60);
  };
  // Local midnights from the day before `from` to the day after `to`.
  for (let day = Math.floor((from + offS(from)) / 86400) - 1; day * 86400 - offS(day * 86400) < to + 86400; day++) {
    const mid = day * 86400;
    const a = mid + DAY_START_HOUR * 3600;
    const b = mid + DAY_END_HOUR * 3600;
    // Each end with the offset in force at it (a DST switch at 02:00 lies outside the window).
    const wa = a - offS(a - offS(a));
    const wb = b - offS(b - offS(b));
    if (wb > from && wa < to) out.push([Math.max(wa, from), Math.min(wb, to)]);
  }
  return out;
}

/** Seconds of [a, b) inside the windows. */
export function overlapSeconds(windows: ReadonlyArray<[number, number]>, a: number, b: number): number {
  let s = 0;
  for (const [wa, wb] of windows) {
    if (wb <= a) continue;
    if (wa >= b) break;
    s += Math.min(b, wb) - Math.max(a, wa);
  }
  return s;
}

/** The longest piece of [a, b) inside a single window (one day's 06:00-22:00), in seconds. */
export function longestInOneWindow(windows: ReadonlyArray<[number, number]>, a: number, b: number): number {
  let best = 0;
  for (const [wa, wb] of windows) {
    if (wb <= a) continue;
    if (wa >= b) break;
    best = Math.max(best, Math.min(b, wb) - Math.max(a, wa));
  }
  return best;
}
