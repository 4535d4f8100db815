// Zone arithmetic for the whole project: the offset of a system's zone at an instant, the instant
// of a wall-clock time in a zone, and the wall clock of an instant. The zone rules come from
// temporal-polyfill (the Temporal API over the host's IANA database), never from hand-written
// offsets, so daylight-saving changes and historical offsets are the library's job. Results are
// cached (offsets per span between transitions, wall-clock instants per zone and hour): Temporal
// costs ~30-300 us a call, and hot paths (stats over a year of trips, status validation, the
// forecast's hour axis) ask for the same few thousand hours again and again.
import { Temporal } from 'temporal-polyfill';

/** The zone Seoul's files write their local times in (KST, UTC+9, no daylight saving since 1988). */
export const SEOUL_ZONE = 'Asia/Seoul';

const HOUR_MS = 3_600_000;

/** A wall-clock time in some zone; month 1-12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const validZones = new Map<string, boolean>();

/** Whether `zone` is an IANA zone name (or 'UTC') that the zone database knows. */
export function isTimeZone(zone: string): boolean {
  let ok = validZones.get(zone);
  if (ok === undefined) {
    try {
      Temporal.Now.zonedDateTimeISO(zone);
      ok = true;
    } catch {
      ok = false;
    }
    validZones.set(zone, ok);
  }
  return ok;
}

function checkZone(zone: string): void {
  if (!isTimeZone(zone)) throw new RangeError(`unknown time zone '${zone}'`);
}

/** A span of instants [from, to) over which a zone keeps one offset: between two of its transitions. */
interface OffsetSpan {
  from: number;
  to: number;
  off: number;
}

/** Per zone, the spans asked so far, sorted and disjoint (each is a whole span between two transitions). */
const offsetSpans = new Map<string, { spans: OffsetSpan[]; last: OffsetSpan | undefined }>();

const offsetAt = (zone: string, utcMs: number) => Temporal.Instant.fromEpochMilliseconds(utcMs).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;

/**
 * Offset of `zone` (local - UTC, ms) at the instant `utcMs`. Cached as the spans between the zone's
 * transitions (the library's getTimeZoneTransition): a zone changes offset at most twice a year,
 * so a year of hourly lookups costs a handful of library calls (~30-300 us each) and binary searches.
 */
export function offsetMs(zone: string, utcMs: number): number {
  let z = offsetSpans.get(zone);
  if (!z) {
    checkZone(zone);
    offsetSpans.set(zone, (z = { spans: [], last: undefined }));
  }
  const last = z.last;
  if (last && utcMs >= last.from && utcMs < last.to) return last.off;
  const spans = z.spans;
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.to <= utcMs) lo = mid + 1;
    else hi = mid;
  }
  const hit = spans[lo];
  if (hit && utcMs >= hit.from) return (z.last = hit).off;
  const at = Temporal.Instant.fromEpochMilliseconds(utcMs).toZonedDateTimeISO(zone);
  const off = at.offsetNanoseconds / 1e6;
  const next = at.getTimeZoneTransition('next');
  const prev = at.getTimeZoneTransition('previous');
  // 'previous' is the transition strictly before the instant: when the instant is itself a
  // transition, that one opens an earlier span with another offset, and this span starts here.
  const from = prev && offsetAt(zone, prev.epochMilliseconds) === off ? prev.epochMilliseconds : prev ? utcMs : -Infinity;
  const span = { from, to: next ? next.epochMilliseconds : Infinity, off };
  spans.splice(lo, 0, span);
  z.last = span;
  return off;
}

/** The wall clock of the instant `utcMs` in `zone`. */
export function wallClockOf(zone: string, utcMs: number): WallClock {
  const d = new Date(wallMsOf(zone, utcMs));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
  };
}

const wallCache = new Map<string, Map<number, number>>();

/**
 * The instant (epoch ms) of a valid wall-clock time in `zone`. A time that the clocks skip (02:30
 * on the night they spring forward) is read as the same time on the old offset (03:30 new time);
 * a time they pass twice (01:30 on the night they fall back) is the first of the two: Temporal's
 * 'compatible' rule, the one RFC 5545 and most calendars use.
 */
export function instantOfWallClock(zone: string, w: WallClock): number {
  return instantOfWallMs(zone, Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond));
}

/** The wall clock of the instant `utcMs` in `zone`, as epoch ms read as if it were UTC (for day and hour arithmetic on local time). */
export function wallMsOf(zone: string, utcMs: number): number {
  return utcMs + offsetMs(zone, utcMs);
}

/** The instant of a wall-clock time given as epoch ms read as if UTC (the inverse of wallMsOf), by the rule of instantOfWallClock. */
export function instantOfWallMs(zone: string, wall: number): number {
  let byHour = wallCache.get(zone);
  if (!byHour) {
    checkZone(zone);
    wallCache.set(zone, (byHour = new Map()));
  }
  const key = Math.floor(wall / HOUR_MS);
  let off = byHour.get(key);
  if (off === undefined) {
    const h = new Date(key * HOUR_MS);
    const at = Temporal.PlainDateTime.from({ year: h.getUTCFullYear(), month: h.getUTCMonth() + 1, day: h.getUTCDate(), hour: h.getUTCHours() })
      .toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
    const end = Temporal.PlainDateTime.from({ year: h.getUTCFullYear(), month: h.getUTCMonth() + 1, day: h.getUTCDate(), hour: h.getUTCHours(), minute: 59, second: 59 })
      .toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
    // The same offset at both ends of the wall hour holds for all of it; otherwise ask exactly.
    if (key * HOUR_MS - at !== key * HOUR_MS + HOUR_MS - 1000 - end) {
      const w = new Date(wall);
      return Temporal.PlainDateTime.from({
        year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: w.getUTCHours(), minute: w.getUTCMinutes(), second: w.getUTCSeconds(), millisecond: w.getUTCMilliseconds(),
      }).toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
    }
    byHour.set(key, (off = key * HOUR_MS - at));
  }
  return wall - off;
}

/** The instant local midnight starts the calendar day 'YYYY-MM-DD' in `zone`. */
export function startOfLocalDay(zone: string, date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return instantOfWallClock(zone, { year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 });
}

/** 'YYYY-MM-DD' of the local day that holds `utcMs` in `zone`. */
export function localDate(zone: string, utcMs: number): string {
  return new Date(wallMsOf(zone, utcMs)).toISOString().slice(0, 10);
}

/** ISO 8601 with the zone's offset at that instant, e.g. 2025-06-02T08:14:00+09:00 (to the second). */
export function isoInZone(zone: string, utcMs: number): string {
  const off = offsetMs(zone, utcMs);
  const local = new Date(utcMs + off).toISOString().slice(0, 19);
  const min = Math.round(Math.abs(off) / 60_000);
  return `${local}${off < 0 ? '-' : '+'}${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' of the calendar day `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Every local date in `zone` from the one that holds `fromMs` to the one that holds `toMs`, inclusive. */
export function localDatesBetween(zone: string, fromMs: number, toMs: number): string[] {
  const last = localDate(zone, toMs);
  const out: string[] = [];
  for (let d = localDate(zone, fromMs); d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The instant (epoch ms) the wall clock of `zone` shows `minutes` after midnight on `date`: a wall
 * time, so on a daylight-saving day 06:00 is still 06:00 local (5 or 7 hours of real time after
 * midnight, not 6), by the rule of instantOfWallClock for skipped and doubled times.
 */
export function instantOfLocalTime(zone: string, date: string, minutes: number): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return instantOfWallClock(zone, { year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/** 0 = Monday .. 6 = Sunday for a calendar date 'YYYY-MM-DD'. */
export function weekdayOfDate(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** An instant's place on a system's local calendar. */
export interface LocalClock {
  date: string; // YYYY-MM-DD
  hour: number; // 0..23
  weekday: number; // 0 = Monday .. 6 = Sunday
}

export type Localizer = (utcMs: number) => LocalClock;

/**
 * The local calendar (date, hour, weekday) of instants in `zone`, cached per local hour: the stats
 * and the forecast's hour axis ask for every hour of a year or more, at most 8,784 distinct ones.
 * Keyed on the wall clock, not the UTC hour, so zones half an hour off UTC get the right hour.
 */
export function localizer(zone: string): Localizer {
  checkZone(zone);
  const cache = new Map<number, LocalClock>();
  return (utcMs: number) => {
    const key = Math.floor(wallMsOf(zone, utcMs) / HOUR_MS);
    const hit = cache.get(key);
    if (hit) return hit;
    const local = new Date(key * HOUR_MS);
    const value: LocalClock = { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), weekday: (local.getUTCDay() + 6) % 7 };
    cache.set(key, value);
    return value;
  };
}
