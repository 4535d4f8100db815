// Local calendar of an hourly UTC axis: local hour, weekday, public holiday, day type.
// Public holidays come from the platform's calendar (src/platform/calendar/holidays.ts).
import { dayTypeIndex } from '../../platform/calendar/day-types.ts';
import { holidaySet } from '../../platform/calendar/holidays.ts';

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

/** Calendar for `length` hours from `start` (epoch ms, UTC) in an IANA time zone. */
export function hourCalendar(start: number, length: number, timeZone: string, country?: string | null): HourCalendar {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short',
  });
  const localHour = new Uint8Array(length);
  const weekday = new Uint8Array(length);
  const holiday = new Uint8Array(length);
  const dayType = new Uint8Array(length);
  const dayOfYear = new Uint16Array(length);
  const days: string[] = new Array(length);
  const years = new Set<number>();
  const wd: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  for (let i = 0; i < length; i++) {
    const parts = fmt.formatToParts(new Date(start + i * HOUR_MS));
    let y = '', m = '', d = '', h = 0, w = 0;
    for (const p of parts) {
      if (p.type === 'year') y = p.value;
      else if (p.type === 'month') m = p.value;
      else if (p.type === 'day') d = p.value;
      else if (p.type === 'hour') h = Number(p.value);
      else if (p.type === 'weekday') w = wd[p.value] ?? 0;
    }
    days[i] = `${y}-${m}-${d}`;
    years.add(Number(y));
    localHour[i] = h;
    weekday[i] = w;
    dayOfYear[i] = Math.floor((Date.parse(`${y}-${m}-${d}T00:00:00Z`) - Date.parse(`${y}-01-01T00:00:00Z`)) / 86_400_000);
  }
  const hol = country && years.size ? holidaySet(country, Math.min(...years), Math.max(...years)) : new Set<string>();
  for (let i = 0; i < length; i++) {
    holiday[i] = hol.has(days[i]!) ? 1 : 0;
    dayType[i] = dayTypeIndex(weekday[i]!, holiday[i] === 1);
  }
  return { start, length, localHour, weekday, holiday, dayType, dayOfYear };
}
