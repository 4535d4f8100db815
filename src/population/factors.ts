// What moves a dong's living population, measured on its own series: hour of day, weekday,
// holidays (lunar ones apart), school vacations, season, and the 2020 break. Each effect is a
// ratio to a local level, so effects of different years compare. Also where the model's change
// detector fires when run causally over the whole series (month by month, each month with a
// profile fitted on data before it only).
import { N_BANDS, BANDS } from '../platform/store/population-bands.ts';
import { holidaysOf } from '../platform/calendar/holidays.ts';
import { DAY_CLASSES, dayClasses, HOLIDAY, weekdayOf } from './calendar.ts';
import { DEFAULT_CONFIG, estimateProfile, levelPass, type ModelConfig } from './model.ts';
import { isoDateOfDay, type PopulationSeries } from './series.ts';

export interface FactorReport {
  span: { from: string; to: string; hours: number; missing_hours: number };
  hour_of_day: Array<{ hour: number; weekday: number; weekend_or_holiday: number }>;
  weekday: Array<{ day: string; ratio: number; days: number }>;
  holiday: { ratio: number; days: number; lunar_ratio: number; lunar_days: number; other_ratio: number; sunday_ratio: number };
  school_vacation: { weekday_ratio_vacation: number; weekday_ratio_term: number; youth_share_daytime_vacation: number; youth_share_daytime_term: number; shows: boolean; note: string };
  season: Array<{ month: number; ratio: number }>;
  covid_2020: { level_2019: number; level_2020_03_12: number; change: number; day_night_2019: number; day_night_2020_03_12: number; change_points: string[] };
  in_the_model: string[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function measureFactors(s: PopulationSeries, config: ModelConfig = DEFAULT_CONFIG): FactorReport {
  const y = s.total;
  const nDays = y.length / 24;
  const types = dayClasses(s.startDay, nDays);
  const daily = new Float64Array(nDays).fill(NaN);
  for (let d = 0; d < nDays; d++) {
    let sum = 0;
    let h = 0;
    for (; h < 24 && !Number.isNaN(y[d * 24 + h]!); h++) sum += y[d * 24 + h]!;
    if (h === 24) daily[d] = sum / 24;
  }
  const centred = (d: number, half: number) => {
    const xs: number[] = [];
    for (let k = Math.max(0, d - half); k <= Math.min(nDays - 1, d + half); k++) if (!Number.isNaN(daily[k]!)) xs.push(daily[k]!);
    return xs.length >= half ? mean(xs) : NaN;
  };
  const week = Float64Array.from({ length: nDays }, (_, d) => centred(d, 3));
  const quarter = Float64Array.from({ length: nDays }, (_, d) => centred(d, 45));
  const dates = Array.from({ length: nDays }, (_, d) => isoDateOfDay(s.startDay + d));

  // Hour of day: the hour's value over its day's mean.
  const hourRatios = Array.from({ length: 24 }, () => [[], []] as [number[], number[]]);
  for (let d = 0; d < nDays; d++) {
    if (Number.isNaN(daily[d]!)) continue;
    const k = types[d]! >= 5 ? 1 : 0;
    for (let h = 0; h < 24; h++) hourRatios[h]![k].push(y[d * 24 + h]! / daily[d]!);
  }
  // Weekday and holidays: the day's mean over its week's (centred 7-day) mean.
  const byType = Array.from({ length: DAY_CLASSES.length }, () => [] as number[]);
  const lunar: number[] = [];
  const otherHol: number[] = [];
  for (let d = 0; d < nDays; d++) {
    const r = daily[d]! / week[d]!;
    if (Number.isNaN(r)) continue;
    byType[types[d]!]!.push(r);
    if (types[d] === HOLIDAY) {
      const names = holidaysOf('KR', Number(dates[d]!.slice(0, 4))).get(dates[d]!) ?? [];
      (names.some((n) => /설날|추석/.test(n)) ? lunar : otherHol).push(r);
    }
  }
  // School vacations (approximate: 20 Jul - 20 Aug, 24 Dec - 28 Feb; 2020 left out, when schools
  // were shut for months): weekday level against the 91-day mean, and the share of ages 10-19 in
  // weekday daytime (10-16 h).
  const youth = BANDS.map((b, i) => (b.ageFrom >= 10 && b.ageFrom < 20 ? i : -1)).filter((i) => i >= 0);
  const vac = { level: [] as number[], share: [] as number[] };
  const term = { level: [] as number[], share: [] as number[] };
  for (let d = 0; d < nDays; d++) {
    const date = dates[d]!;
    if (types[d]! >= 5 || date.startsWith('2020')) continue;
    const md = date.slice(5);
    const inVac = (md >= '07-20' && md <= '08-20') || md >= '12-24' || md <= '02-28';
    const target = inVac ? vac : term;
    const lr = daily[d]! / quarter[d]!;
    if (!Number.isNaN(lr)) target.level.push(lr);
    for (let h = 10; h <= 16; h++) {
      const i = d * 24 + h;
      const tot = y[i]!;
      let sh = 0;
      for (const b of youth) sh += s.bands[i * N_BANDS + b]!;
      if (tot > 0 && !Number.isNaN(sh)) target.share.push(sh / tot);
    }
  }
  const vacLevel = mean(vac.level);
  const termLevel = mean(term.level);
  const shows = Math.abs(vacLevel / termLevel - 1) > 0.01;
  // Season: each month's mean over the centred 12-month mean, averaged over the years.
  const monthly = new Map<string, number[]>();
  for (let d = 0; d < nDays; d++) if (!Number.isNaN(daily[d]!)) {
    const k = dates[d]!.slice(0, 7);
    monthly.set(k, [...(monthly.get(k) ?? []), daily[d]!]);
  }
  const months = [...monthly.keys()].sort();
  const mMean = months.map((k) => mean(monthly.get(k)!));
  const season = Array.from({ length: 12 }, () => [] as number[]);
  for (let i = 6; i + 6 < months.length; i++) {
    const around = mean([...mMean.slice(i - 6, i + 6), mMean[i + 6]!].map((v, j) => (j === 0 || j === 12 ? v / 2 : v))) * 13 / 12;
    season[Number(months[i]!.slice(5)) - 1]!.push(mMean[i]! / around);
  }
  // The 2020 break.
  const levelOf = (from: string, to: string) => mean(dates.flatMap((dt, d) => (dt >= from && dt <= to && !Number.isNaN(daily[d]!) ? [daily[d]!] : [])));
  const dayNight = (from: string, to: string) => {
    const day: number[] = [];
    const night: number[] = [];
    for (let d = 0; d < nDays; d++) {
      if (dates[d]! < from || dates[d]! > to || types[d]! >= 5) continue;
      for (let h = 10; h <= 16; h++) if (!Number.isNaN(y[d * 24 + h]!)) day.push(y[d * 24 + h]!);
      for (let h = 0; h <= 5; h++) if (!Number.isNaN(y[d * 24 + h]!)) night.push(y[d * 24 + h]!);
    }
    return mean(day) / mean(night);
  };
  const before = levelOf('2019-03-01', '2020-01-31');
  const after = levelOf('2020-03-01', '2020-12-31');
  return {
    span: { from: dates[0]!, to: dates[nDays - 1]!, hours: y.length, missing_hours: y.reduce((n, v) => n + (Number.isNaN(v) ? 1 : 0), 0) },
    hour_of_day: hourRatios.map(([wd, we], hour) => ({ hour, weekday: r3(mean(wd)), weekend_or_holiday: r3(mean(we)) })),
    weekday: DAY_CLASSES.map((day, k) => ({ day, ratio: r3(mean(byType[k]!)), days: byType[k]!.length })),
    holiday: {
      ratio: r3(mean(byType[HOLIDAY]!)), days: byType[HOLIDAY]!.length, lunar_ratio: r3(mean(lunar)), lunar_days: lunar.length,
      other_ratio: r3(mean(otherHol)), sunday_ratio: r3(mean(byType[6]!)),
    },
    school_vacation: {
      weekday_ratio_vacation: r3(vacLevel), weekday_ratio_term: r3(termLevel),
      youth_share_daytime_vacation: r3(mean(vac.share)), youth_share_daytime_term: r3(mean(term.share)), shows,
      note: shows
        ? 'weekday level differs by more than 1% in vacations: the model follows it through its level (no vacation term)'
        : 'weekday level within 1% of term time: not a factor of the model',
    },
    season: season.map((xs, i) => ({ month: i + 1, ratio: r3(mean(xs)) })),
    covid_2020: {
      level_2019: Math.round(before), level_2020_03_12: Math.round(after), change: r3(after / before - 1),
      day_night_2019: r3(dayNight('2019-03-01', '2020-01-31')), day_night_2020_03_12: r3(dayNight('2020-03-01', '2020-12-31')),
      change_points: detectChanges(s, config).map((i) => isoDateOfDay(s.startDay + Math.floor(i / 24))),
    },
    in_the_model: [
      'hour of day x day type (Mon..Sun, holiday): the profile Q, recency-weighted (half-life ' + config.profileHalfLifeDays + ' days; holidays ' + config.holidayHalfLifeDays + ')',
      'Korean public holidays incl. Seollal, Chuseok, substitute and election days: their own day type',
      'season and slow drift: the level L (half-life ' + config.levelHalfLifeHours + ' h)',
      'level shifts (2020): the level, plus the change detector that resets it to a fast level',
      'short-term surprises: the persistence a_h of the last hour\'s error',
    ],
  };
}

/** Hours where the model's change detector fires, run causally month by month over the series. */
export function detectChanges(s: PopulationSeries, config: ModelConfig = DEFAULT_CONFIG): number[] {
  const nDays = s.total.length / 24;
  const cal = { firstDay: 0, types: dayClasses(s.startDay, nDays + 2) };
  const out: number[] = [];
  for (let cut = 24 * 56; cut < s.total.length; cut += 24 * 28) {
    const { profile } = estimateProfile(s, cut, cal, config, false);
    const pass = levelPass(s, profile, cal, cut - 21 * 24, Math.min(cut + 24 * 28, s.total.length), config);
    for (const c of pass.changes) if (c >= cut) out.push(c);
  }
  return out;
}

export { weekdayOf };
