// Day types for the population model: the weekday, or 'holiday' for a Korean public holiday
// (lunar holidays and substitute days included, from the platform's holiday calendar).
import { holidaysOf } from '../platform/calendar/holidays.ts';
import { isoDateOfDay } from './series.ts';

export const DAY_TYPES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] as const;
export type DayTypeName = (typeof DAY_TYPES)[number];
export const N_DAY_TYPES = DAY_TYPES.length;
export const HOLIDAY = 7;

/** Weekday of a local day number, 0 = Monday. (1970-01-01 was a Thursday.) */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function isKoreanHoliday(day: number): boolean {
  const date = isoDateOfDay(day);
  return holidaysOf('KR', Number(date.slice(0, 4))).has(date);
}

/** Day type (index into DAY_TYPES) of each day from `firstDay`, `days` of them. */
export function dayTypes(firstDay: number, days: number): Int8Array {
  const out = new Int8Array(days);
  for (let d = 0; d < days; d++) out[d] = isKoreanHoliday(firstDay + d) ? HOLIDAY : weekdayOf(firstDay + d);
  return out;
}

/** The coarse day type of the historical-average baseline: 0 weekday, 1 weekend, 2 holiday. */
export function coarseDayType(type: number): number {
  return type === HOLIDAY ? 2 : type >= 5 ? 1 : 0;
}
