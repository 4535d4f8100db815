// Usage by hour of day, split by day type or by weekday. Rentals are totals over the period;
// `days` counts the distinct local dates of that kind that carry data, so `rentals_per_day` is the
// mean for an hour on such a day (the figure to compare across kinds, which differ in count).
import type { DayType, LocalHourTotal } from './types.ts';
import { DAY_TYPES, WEEKDAYS } from './types.ts';

export interface HourDayTypeRow {
  hour: number;
  day_type: DayType;
  rentals: number;
  days: number;
  rentals_per_day: number;
}

export interface HourWeekdayRow {
  weekday: string;
  weekday_index: number; // 0 = Monday
  hour: number;
  rentals: number;
  days: number;
  rentals_per_day: number;
}

export interface WeekdayRow {
  weekday: string;
  weekday_index: number;
  rentals: number;
  days: number;
  rentals_per_day: number;
}

export function byHourDayType(hours: readonly LocalHourTotal[]): HourDayTypeRow[] {
  const sums = new Map<string, number>();
  const dates = new Map<DayType, Set<string>>(DAY_TYPES.map((t) => [t, new Set<string>()]));
  for (const h of hours) {
    const k = `${h.dayType}|${h.hour}`;
    sums.set(k, (sums.get(k) ?? 0) + h.rentals);
    dates.get(h.dayType)!.add(h.date);
  }
  const rows: HourDayTypeRow[] = [];
  for (const t of DAY_TYPES) {
    const days = dates.get(t)!.size;
    if (days === 0) continue;
    for (let hour = 0; hour < 24; hour++) {
      const rentals = sums.get(`${t}|${hour}`) ?? 0;
      rows.push({ hour, day_type: t, rentals, days, rentals_per_day: round(rentals / days) });
    }
  }
  return rows;
}

export function byHourWeekday(hours: readonly LocalHourTotal[]): HourWeekdayRow[] {
  const sums = new Float64Array(7 * 24);
  const dates = Array.from({ length: 7 }, () => new Set<string>());
  for (const h of hours) {
    sums[h.weekday * 24 + h.hour]! += h.rentals;
    dates[h.weekday]!.add(h.date);
  }
  const rows: HourWeekdayRow[] = [];
  for (let w = 0; w < 7; w++) {
    const days = dates[w]!.size;
    if (days === 0) continue;
    for (let hour = 0; hour < 24; hour++) {
      const rentals = sums[w * 24 + hour]!;
      rows.push({ weekday: WEEKDAYS[w]!, weekday_index: w, hour, rentals, days, rentals_per_day: round(rentals / days) });
    }
  }
  return rows;
}

export function byWeekday(hours: readonly LocalHourTotal[]): WeekdayRow[] {
  const rows: WeekdayRow[] = [];
  const grid = byHourWeekday(hours);
  for (let w = 0; w < 7; w++) {
    const cells = grid.filter((r) => r.weekday_index === w);
    if (cells.length === 0) continue;
    const rentals = cells.reduce((a, r) => a + r.rentals, 0);
    const days = cells[0]!.days;
    rows.push({ weekday: WEEKDAYS[w]!, weekday_index: w, rentals, days, rentals_per_day: round(rentals / days) });
  }
  return rows;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
