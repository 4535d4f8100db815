// The service day, 06:00-22:00 local, as UTC intervals: the `_day` metrics and the outage KPI count
// only inside it. Local times through src/platform/time, so DST days are right and the host's zone never matters.
import { instantOfLocalTime, localDatesBetween } from '../platform/time/index.ts';

export const DAY_START_HOUR = 6;
export const DAY_END_HOUR = 22;

/** Sorted, disjoint [start, end) epoch-second windows of 06:00-22:00 local covering [from, to). */
export function dayWindows(from: number, to: number, timeZone: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const date of localDatesBetween(timeZone, from * 1000, to * 1000)) {
    // Wall-clock ends (src/platform/time), so a DST switch at 02:00 lies outside the window.
    const wa = instantOfLocalTime(timeZone, date, DAY_START_HOUR * 60) / 1000;
    const wb = instantOfLocalTime(timeZone, date, DAY_END_HOUR * 60) / 1000;
    if (wb > from && wa < to) out.push([Math.max(wa, from), Math.min(wb, to)]);
  }
  return out;
}

/** The pieces of [a, b) inside each window (sorted, disjoint windows), in seconds, folded by `add`. */
function foldPieces(windows: ReadonlyArray<[number, number]>, a: number, b: number, add: (acc: number, piece: number) => number): number {
  let acc = 0;
  for (const [wa, wb] of windows) {
    if (wb <= a) continue;
    if (wa >= b) break;
    acc = add(acc, Math.min(b, wb) - Math.max(a, wa));
  }
  return acc;
}

/** Seconds of [a, b) inside the windows. */
export function overlapSeconds(windows: ReadonlyArray<[number, number]>, a: number, b: number): number {
  return foldPieces(windows, a, b, (s, piece) => s + piece);
}

/** The longest piece of [a, b) inside a single window (one day's 06:00-22:00), in seconds. */
export function longestInOneWindow(windows: ReadonlyArray<[number, number]>, a: number, b: number): number {
  return foldPieces(windows, a, b, Math.max);
}
