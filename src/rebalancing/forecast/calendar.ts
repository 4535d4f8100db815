// Local calendar of an hourly UTC axis: local hour, weekday, public holiday, day type.
// Public holidays come from the platform's calendar (src/platform/calendar/holidays.ts).
import { dayTypeIndex } from '../../platform/calendar/day-types.ts';
import { holidaySet } from '../../platform/calendar/holidays.ts';
import { localizer } from '../../platform/time/index.ts';

export const HOUR_MS = 3_600_000;

export interface HourCalendar {
  /** First hour of the axis, epoch ms (UTC, on the hour). */
  readonly start: number;
  readonly length: number;
  readonly localHour: Uint8Array;
  /** 0 = Monday ... 6 = Sunday (local). */
  readonly weekday: Uint8Array;
  readonly holiday: Uint8Array;
  /** Index of the day type (src/platform/calendar/day-types.ts: 0 weekday, 1 weekend, 2 holiday). */
  readonly dayType: Uint8Array;
  /** Local day of year 0..365, for seasonality. */
  readonly dayOfYear: Uint16Array;
}

/** Calendar for `length` hours from `start` (epoch ms, UTC) in an IANA time zone (local time from src/platform/time). */
export function hourCalendar(start: number, length: number, timeZone: string, country?: string | null): HourCalendar {
  const clock = localizer(timeZone);
  const localHour = new Uint8Array(length);
  const weekday = new Uint8Array(length);
  const holiday = new Uint8Array(length);
  const dayType = new Uint8Array(length);
  const dayOfYear = new Uint16Array(length);
  const days: string[] = new Array(length);
  const years = new Set<number>();
  for (let i = 0; i < length; i++) {
    const c = clock(start + i * HOUR_MS);
    const y = Number(c.date.slice(0, 4));
    days[i] = c.date;
    years.add(y);
    localHour[i] = c.hour;
    weekday[i] = c.weekday;
    dayOfYear[i] = Math.round((Date.parse(`${c.date}T00:00:00Z`) - Date.UTC(y, 0, 1)) / 86_400_000);
  }
  const hol = country && years.size ? holidaySet(country, Math.min(...years), Math.max(...years)) : new Set<string>();
  for (let i = 0; i < length; i++) {
    holiday[i] = hol.has(days[i]!) ? 1 : 0;
    dayType[i] = dayTypeIndex(weekday[i]!, holiday[i] === 1);
  }
  return { start, length, localHour, weekday, holiday, dayType, dayOfYear };
}
