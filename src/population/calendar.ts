// Day classes for the population model: the weekday, or 'holiday' for a Korean public holiday
// (lunar holidays and substitute days included, from the platform's holiday calendar). Finer than
// the project's day types (src/platform/calendar/day-types.ts: weekday, weekend, holiday), which
// group them: the model's profile keeps each weekday apart, the historical-average baseline groups.
import { dayTypeIndex, type DayTypeIndex } from '../platform/calendar/day-types.ts';
import { holidaysOf } from '../platform/calendar/holidays.ts';
import { isoDateOfDay } from './series.ts';

export const DAY_CLASSES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] as const;
export type DayClassName = (typeof DAY_CLASSES)[number];
export const N_DAY_CLASSES = DAY_CLASSES.length;
export const HOLIDAY = 7;

/** Weekday of a local day number, 0 = Monday. (1970-01-01 was a Thursday.) */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function isKoreanHoliday(day: number): boolean {
  const date = isoDateOfDay(day);
  return holidaysOf('KR', Number(date.slice(0, 4))).has(date);
}

/** Day class (index into DAY_CLASSES) of each day from `firstDay`, `days` of them. */
export function dayClasses(firstDay: number, days: number): Int8Array {
  const out = new Int8Array(days);
  for (let d = 0; d < days; d++) out[d] = isKoreanHoliday(firstDay + d) ? HOLIDAY : weekdayOf(firstDay + d);
  return out;
}

/** The day type (index into the platform's DAY_TYPES) of a day class. */
export function dayTypeOfClass(dayClass: number): DayTypeIndex {
  return dayTypeIndex(dayClass, dayClass === HOLIDAY);
}
