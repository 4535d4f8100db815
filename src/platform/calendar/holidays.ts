// Public holidays, as plain 'YYYY-MM-DD' local dates. Korea: the official gazette's list
// (@hyunbinseo/holidays-kr: 2018 onwards, election days and one-off holidays included); other years
// and other countries: date-holidays' rules. Pure after the first call per year (results are cached).
import * as gazette from '@hyunbinseo/holidays-kr/all';
import Holidays from 'date-holidays';

export type HolidayCalendar = ReadonlyMap<string, readonly string[]>;

const cache = new Map<string, HolidayCalendar>();

/** The holidays of `country` (ISO 3166-1 alpha-2) in `year`: date -> names. */
export function holidaysOf(country: string, year: number): HolidayCalendar {
  const key = `${country.toUpperCase()}:${year}`;
  let cal = cache.get(key);
  if (!cal) {
    cal = country.toUpperCase() === 'KR' ? koreanHolidays(year) : ruleHolidays(country.toUpperCase(), year);
    cache.set(key, cal);
  }
  return cal;
}

/** Whether the local date 'YYYY-MM-DD' is a public holiday in `country`. */
export function isHoliday(country: string, date: string): boolean {
  return holidaysOf(country, Number(date.slice(0, 4))).has(date);
}

/** Every holiday date of `country` between two years, inclusive, as a set. */
export function holidaySet(country: string, fromYear: number, toYear: number): Set<string> {
  const out = new Set<string>();
  for (let y = fromYear; y <= toYear; y++) for (const d of holidaysOf(country, y).keys()) out.add(d);
  return out;
}

function koreanHolidays(year: number): HolidayCalendar {
  const official = (gazette as unknown as Record<string, Record<string, readonly string[]> | undefined>)[`y${year}`];
  if (official) return new Map(Object.entries(official).map(([d, names]) => [d, [...names]]));
  // Before the gazette package's first year: the rules, with two corrections.
  const out = new Map<string, string[]>();
  const add = (d: string, name: string) => out.set(d, [...(out.get(d) ?? []), name]);
  for (const h of new Holidays('KR').getHolidays(year)) {
    if (h.type !== 'public') continue;
    // date-holidays starts Seollal on the lunar new year's day itself; the official three days are
    // the day before, the day, and the day after (Chuseok's rule already starts the day before).
    const first = h.name === '설날' ? addDays(h.date.slice(0, 10), -1) : h.date.slice(0, 10);
    const days = h.name === '설날' || h.name === '추석' ? 3 : 1;
    for (let i = 0; i < days; i++) add(addDays(first, i), h.name);
  }
  // One-off days the rules cannot know (presidential election, a temporary holiday), from the
  // 2017 gazette.
  for (const [d, name] of ONE_OFF_KR[year] ?? []) add(d, name);
  return out;
}

const ONE_OFF_KR: Record<number, ReadonlyArray<[string, string]>> = {
  2017: [['2017-05-09', '제19대 대통령선거'], ['2017-10-02', '임시공휴일']],
};

function ruleHolidays(country: string, year: number): HolidayCalendar {
  const out = new Map<string, string[]>();
  for (const h of new Holidays(country).getHolidays(year)) {
    if (h.type !== 'public') continue;
    const d = h.date.slice(0, 10);
    out.set(d, [...(out.get(d) ?? []), h.name]);
  }
  return out;
}

function addDays(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
