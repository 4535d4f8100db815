// A local day's day type, by the project's one rule (src/platform/calendar/day-types.ts), with the
// holidays of the calendar a report loaded.
import { dayTypeOf as dayTypeByRule, type DayType } from '../../platform/calendar/day-types.ts';
import type { HolidayCalendar } from './holidays.ts';
import type { LocalClock } from '../../platform/time/index.ts';

export { DAY_TYPE_RULE } from '../../platform/calendar/day-types.ts';

export function dayTypeOf(clock: Pick<LocalClock, 'date' | 'weekday'>, calendar: HolidayCalendar): DayType {
  return dayTypeByRule(clock.weekday, calendar.names.has(clock.date));
}
