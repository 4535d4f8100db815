// Usage by hour of day, split by day type or by weekday. Rentals are totals over the period;
// `days` counts the distinct local dates of that kind that carry data, and `observed_days` the
// observed time of that hour over those dates in days (an hour half lost to a feed outage counts
// 0.5), so `rentals_per_day` = rentals / observed_days is the mean for an hour on such a day over
// observed time only: averaging gap hours as if observed made the Bay Wheels evening (where most of
// its 919 outages fall) look empty. `coverage` = observed_days / days; `thin` marks a cell whose
// coverage is below THIN_COVERAGE, whose mean rests on few observed hours.
import type { DayType, LocalHourTotal } from './types.ts';
import { DAY_TYPES, WEEKDAYS } from './types.ts';

/** Below this share of its hours observed, a cell's mean is marked thin (tables, charts, notes). */
export const THIN_COVERAGE = 0.8;

interface Coverage {
  observed_days: number;
  coverage: number;
  thin: boolean;
}

export interface HourDayTypeRow extends Coverage {
  hour: number;
  day_type: DayType;
  rentals: number;
  days: number;
  rentals_per_day: number;
}

export interface HourWeekdayRow extends Coverage {
  weekday: string;
  weekday_index: number; // 0 = Monday
  hour: number;
  rentals: number;
  days: number;
  rentals_per_day: number;
}

export interface WeekdayRow extends Coverage {
  weekday: string;
  weekday_index: number;
  rentals: number;
  days: number;
  rentals_per_day: number;
}

/** The share of an hour its source observed (absent = all of it). */
export function observedShare(h: { observed?: number }): number {
  return h.observed ?? 1;
}

/** Rentals per observed day and the coverage of a cell of `days` dates. */
function perObservedDay(rentals: number, observedDays: number, days: number): Coverage & { rentals_per_day: number } {
  const coverage = days > 0 ? observedDays / days : 0;
  return {
    rentals_per_day: observedDays > 0 ? round(rentals / observedDays) : 0,
    observed_days: round(observedDays),
    coverage: round(coverage),
    thin: coverage < THIN_COVERAGE,
  };
}

export function byHourDayType(hours: readonly LocalHourTotal[]): HourDayTypeRow[] {
  const sums = new Map<string, number>();
  const seen = new Map<string, number>();
  const dates = new Map<DayType, Set<string>>(DAY_TYPES.map((t) => [t, new Set<string>()]));
  for (const h of hours) {
    const k = `${h.dayType}|${h.hour}`;
    sums.set(k, (sums.get(k) ?? 0) + h.rentals);
    seen.set(k, (seen.get(k) ?? 0) + observedShare(h));
    dates.get(h.dayType)!.add(h.date);
  }
  const rows: HourDayTypeRow[] = [];
  for (const t of DAY_TYPES) {
    const days = dates.get(t)!.size;
    if (days === 0) continue;
    for (let hour = 0; hour < 24; hour++) {
      const k = `${t}|${hour}`;
      const rentals = sums.get(k) ?? 0;
      rows.push({ hour, day_type: t, rentals, days, ...perObservedDay(rentals, seen.get(k) ?? 0, days) });
    }
  }
  return rows;
}

export function byHourWeekday(hours: readonly LocalHourTotal[]): HourWeekdayRow[] {
  const sums = new Float64Array(7 * 24);
  const seen = new Float64Array(7 * 24);
  const dates = Array.from({ length: 7 }, () => new Set<string>());
  for (const h of hours) {
    sums[h.weekday * 24 + h.hour]! += h.rentals;
    seen[h.weekday * 24 + h.hour]! += observedShare(h);
    dates[h.weekday]!.add(h.date);
  }
  const rows: HourWeekdayRow[] = [];
  for (let w = 0; w < 7; w++) {
    const days = dates[w]!.size;
    if (days === 0) continue;
    for (let hour = 0; hour < 24; hour++) {
      const rentals = sums[w * 24 + hour]!;
      rows.push({ weekday: WEEKDAYS[w]!, weekday_index: w, hour, rentals, days, ...perObservedDay(rentals, seen[w * 24 + hour]!, days) });
    }
  }
  return rows;
}

/** A weekday's rentals per day: the sum of its 24 hours' means over observed time. */
export function byWeekday(hours: readonly LocalHourTotal[]): WeekdayRow[] {
  const rows: WeekdayRow[] = [];
  const grid = byHourWeekday(hours);
  for (let w = 0; w < 7; w++) {
    const cells = grid.filter((r) => r.weekday_index === w);
    if (cells.length === 0) continue;
    const rentals = cells.reduce((a, r) => a + r.rentals, 0);
    const days = cells[0]!.days;
    const observedDays = cells.reduce((a, r) => a + r.observed_days, 0) / 24;
    const coverage = days > 0 ? observedDays / days : 0;
    rows.push({
      weekday: WEEKDAYS[w]!, weekday_index: w, rentals, days,
      rentals_per_day: round(cells.reduce((a, r) => a + r.rentals_per_day, 0)),
      observed_days: round(observedDays), coverage: round(coverage), thin: coverage < THIN_COVERAGE,
    });
  }
  return rows;
}

/** Local hours of day whose cells are thin for some day type, e.g. "17-18 h (weekday, holiday)". */
export function thinHours(rows: readonly HourDayTypeRow[]): string | null {
  const byHour = new Map<number, string[]>();
  for (const r of rows) if (r.thin) byHour.set(r.hour, [...(byHour.get(r.hour) ?? []), r.day_type]);
  if (byHour.size === 0) return null;
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < hours.length; ) {
    let j = i;
    while (j + 1 < hours.length && hours[j + 1] === hours[j]! + 1) j++;
    const types = [...new Set(hours.slice(i, j + 1).flatMap((h) => byHour.get(h)!))];
    runs.push(`${hours[i] === hours[j] ? hours[i] : `${hours[i]}-${hours[j]}`} h (${types.join(', ')})`);
    i = j + 1;
  }
  return runs.join('; ');
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
