// Day types. Rule: a public holiday is 'holiday' whatever the weekday (it takes precedence over
// 'weekend', as in the UCI Seoul data's own Holiday flag); otherwise Saturday and Sunday are
// 'weekend' and the rest 'weekday'.
import type { HolidayCalendar } from './holidays.ts';
import type { LocalClock } from './local-time.ts';
import type { DayType } from './types.ts';

export const DAY_TYPE_RULE = "holiday = a public holiday of the system's country (any weekday); weekend = Saturday or Sunday; weekday = the rest";

export function dayTypeOf(clock: Pick<LocalClock, 'date' | 'weekday'>, calendar: HolidayCalendar): DayType {
  if (calendar.names.has(clock.date)) return 'holiday';
  return clock.weekday >= 5 ? 'weekend' : 'weekday';
}
