// The holiday calendar the statistics use: the platform's (src/platform/calendar/holidays.ts:
// Korea from the official gazette via @hyunbinseo/holidays-kr for 2018 on, date-holidays' rules
// corrected for 설날 plus the 2017 one-off days before that; other countries from date-holidays),
// gathered for the years a report spans, with which source answered each year.
import * as gazette from '@hyunbinseo/holidays-kr/all';
import { holidaysOf } from '../../platform/calendar/holidays.ts';

export interface HolidayCalendar {
  country: string | null;
  /** Which calendar answered for each year. */
  sources: Record<number, string>;
  /** Local date YYYY-MM-DD -> holiday name(s). */
  names: ReadonlyMap<string, string>;
}

export async function loadHolidayCalendar(country: string | null | undefined, years: readonly number[]): Promise<HolidayCalendar> {
  const names = new Map<string, string>();
  const sources: Record<number, string> = {};
  const code = country ? country.toUpperCase() : null;
  if (!code) return { country: null, sources, names };
  for (const year of [...new Set(years)].sort()) {
    let cal;
    try {
      cal = holidaysOf(code, year);
    } catch (err) {
      sources[year] = `none (${(err as Error).message})`;
      continue;
    }
    for (const [d, n] of cal) names.set(d, n.join(', '));
    sources[year] =
      code === 'KR' && (gazette as unknown as Record<string, unknown>)[`y${year}`]
        ? '@hyunbinseo/holidays-kr (official gazette)'
        : code === 'KR'
          ? 'date-holidays rules, corrected, + gazette one-off days'
          : 'date-holidays';
  }
  return { country: code, sources, names };
}
