// Public-holiday calendars. Korea: `@hyunbinseo/holidays-kr`, which follows the official gazette
// (월력요항) and so includes election days, temporary holidays (임시공휴일) and every substitute
// holiday; it has presets for 2018 onwards only. For other years, and for every other country,
// `date-holidays` (its multi-day holidays such as 설날 and 추석 are expanded day by day). Checked
// against the gazette for 2017-2025 in holidays.test.ts: `date-holidays` misses Korean election days
// and temporary holidays and puts 설날 one day late (corrected below), hence the gazette library
// first and the small supplement.
import Holidays from 'date-holidays';
import { getHolidayPreset } from '@hyunbinseo/holidays-kr';

export interface HolidayCalendar {
  country: string | null;
  /** Which library answered for each year. */
  sources: Record<number, string>;
  /** Local date YYYY-MM-DD -> holiday name(s). */
  names: ReadonlyMap<string, string>;
}

/**
 * Korean public holidays of years the gazette library has no preset for, that `date-holidays`
 * lacks (it knows the fixed, lunar and substitute holidays but not these). From the gazette.
 */
const KR_SUPPLEMENT: Record<number, Record<string, string>> = {
  2017: { '2017-05-09': '제19대 대통령선거', '2017-10-02': '임시공휴일' },
};

export async function loadHolidayCalendar(country: string | null | undefined, years: readonly number[]): Promise<HolidayCalendar> {
  const names = new Map<string, string>();
  const sources: Record<number, string> = {};
  const code = country ? country.toUpperCase() : null;
  if (!code) return { country: null, sources, names };
  for (const year of [...new Set(years)].sort()) {
    if (code === 'KR') {
      const preset = await koreanGazette(year);
      if (preset) {
        for (const [d, n] of Object.entries(preset)) names.set(d, n.join(', '));
        sources[year] = '@hyunbinseo/holidays-kr (official gazette)';
        continue;
      }
    }
    const found = dateHolidays(code, year);
    if (found === null) {
      sources[year] = `none (no calendar for country ${code})`;
      continue;
    }
    for (const [d, n] of found) names.set(d, n);
    let source = 'date-holidays';
    if (code === 'KR' && KR_SUPPLEMENT[year]) {
      for (const [d, n] of Object.entries(KR_SUPPLEMENT[year]!)) names.set(d, n);
      source += ' + gazette supplement';
    }
    sources[year] = source;
  }
  return { country: code, sources, names };
}

async function koreanGazette(year: number): Promise<Record<string, readonly string[]> | null> {
  try {
    return (await getHolidayPreset(String(year) as Parameters<typeof getHolidayPreset>[0])) as Record<string, readonly string[]>;
  } catch (err) {
    if (err instanceof RangeError) return null; // no preset for that year
    throw err;
  }
}

const DAY_MS = 86_400_000;

/** Public holidays of a country and year as local dates; null when the library does not know the country. */
const instances = new Map<string, Holidays | null>();

export function dateHolidays(country: string, year: number): Map<string, string> | null {
  // One instance per country: building one parses the library's whole rule set.
  let hd = instances.get(country);
  if (hd === undefined) {
    const probe = new Holidays();
    hd = country in probe.getCountries() ? new Holidays(country) : null;
    instances.set(country, hd);
  }
  if (hd === null) return null;
  const out = new Map<string, string>();
  for (const h of hd.getHolidays(year)) {
    if (h.type !== 'public') continue;
    // `date` is the local start ("YYYY-MM-DD hh:mm:ss"); start/end are instants, so their
    // difference counts the days of a multi-day holiday (설날 and 추석 are three days long).
    const first = h.date.slice(0, 10);
    const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
    // date-holidays (3.37) spans 설날 from the day itself to two days after; the law (and the
    // gazette) gives the day before, the day and the day after. 추석 it spans correctly.
    const shift = country === 'KR' && h.name === '설날' && days === 3 ? -1 : 0;
    const [y, m, d] = first.split('-').map(Number) as [number, number, number];
    for (let i = shift; i < days + shift; i++) {
      const date = new Date(Date.UTC(y, m - 1, d) + i * DAY_MS).toISOString().slice(0, 10);
      const prev = out.get(date);
      out.set(date, prev && prev !== h.name ? `${prev}, ${h.name}` : h.name);
    }
  }
  return out;
}
