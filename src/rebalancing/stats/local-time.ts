// UTC instants to the system's local calendar (date, hour, weekday). The zone's offsets come from
// the platform's time module (src/platform/time, a zone library); results are cached per UTC hour
// because a year of a system is at most 8,784 distinct hours.
import { offsetMs as zoneOffsetMs } from '../../platform/time/index.ts';

export interface LocalClock {
  date: string; // YYYY-MM-DD
  hour: number; // 0..23
  weekday: number; // 0 = Monday .. 6 = Sunday
}

export type Localizer = (utcMs: number) => LocalClock;

const HOUR_MS = 3_600_000;

export function localizer(timeZone: string): Localizer {
  const cache = new Map<number, LocalClock>();
  return (utcMs: number) => {
    const key = Math.floor(utcMs / HOUR_MS);
    const hit = cache.get(key);
    if (hit) return hit;
    const local = new Date(key * HOUR_MS + zoneOffsetMs(timeZone, key * HOUR_MS));
    const value: LocalClock = {
      date: local.toISOString().slice(0, 10),
      hour: local.getUTCHours(),
      weekday: (local.getUTCDay() + 6) % 7,
    };
    cache.set(key, value);
    return value;
  };
}

/** 0 = Monday .. 6 = Sunday for a calendar date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The calendar dates from `from` to `to` inclusive (YYYY-MM-DD). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  for (let t = Date.UTC(y, m - 1, d); ; t += 86_400_000) {
    const s = new Date(t).toISOString().slice(0, 10);
    if (s > to) break;
    out.push(s);
  }
  return out;
}

/** Offset (local - UTC, minutes) of a zone at an instant. */
export function offsetMinutes(timeZone: string, utcMs: number): number {
  return Math.round(zoneOffsetMs(timeZone, utcMs) / 60_000);
}

export interface OffsetRange {
  fromMs: number; // the offset holds from here (inclusive) to the next range's start
  offsetMin: number;
}

/**
 * The zone's offsets over [fromMs, toMs], as ranges starting at whole UTC hours. Checked day by day
 * (an offset changes at most once a day), then hour by hour on days where it changes.
 */
export function offsetRanges(timeZone: string, fromMs: number, toMs: number): OffsetRange[] {
  const H = 3_600_000;
  const out: OffsetRange[] = [];
  const push = (t: number, o: number) => {
    if (out.length === 0 || out[out.length - 1]!.offsetMin !== o) out.push({ fromMs: t, offsetMin: o });
  };
  const start = Math.floor(fromMs / (24 * H)) * 24 * H;
  for (let day = start; day <= toMs; day += 24 * H) {
    const a = offsetMinutes(timeZone, day);
    const b = offsetMinutes(timeZone, day + 23 * H);
    if (a === b) push(day, a);
    else for (let t = day; t < day + 24 * H; t += H) push(t, offsetMinutes(timeZone, t));
  }
  if (out.length) out[0]!.fromMs = fromMs;
  return out;
}

/** Whether the zone kept one offset over 1990-2040 (Seoul: yes; US zones: no). */
export function fixedOffset(timeZone: string): number | null {
  const first = offsetMinutes(timeZone, Date.UTC(1990, 0, 1));
  for (let y = 1990; y <= 2040; y++) {
    for (const m of [0, 3, 6, 9]) if (offsetMinutes(timeZone, Date.UTC(y, m, 1)) !== first) return null;
  }
  return first;
}
