// Gives each UTC hour of a system-wide series its local date, hour, weekday and day type.
import { dayTypeOf } from './day-type.ts';
import type { HolidayCalendar } from './holidays.ts';
import type { Localizer } from '../../platform/time/index.ts';
import type { HourTotal, LocalHourTotal } from './types.ts';

export function localizeHours(hours: readonly HourTotal[], clock: Localizer, calendar: HolidayCalendar): LocalHourTotal[] {
  return hours.map((h) => {
    const c = clock(h.hourUtc);
    return { ...h, date: c.date, hour: c.hour, weekday: c.weekday, dayType: dayTypeOf(c, calendar) };
  });
}

/** The local years a series touches (to load holiday calendars for). */
export function yearsOf(hours: readonly HourTotal[], clock: Localizer): number[] {
  const years = new Set<number>();
  for (const h of hours) years.add(Number(clock(h.hourUtc).date.slice(0, 4)));
  return [...years].sort();
}
