// The whole stage-1 report as one plain value, built from plain inputs (no I/O here): the store
// edge (`store.ts`) loads the inputs, `run.ts` wires the two.
import { byHourDayType, byHourWeekday, byWeekday, THIN_COVERAGE, thinHours, type HourDayTypeRow, type HourWeekdayRow, type WeekdayRow } from './by-hour.ts';
import { DAY_TYPE_RULE } from './day-type.ts';
import type { HolidayCalendar } from './holidays.ts';
import { describeRule, type ImbalanceRule, type StationRow } from './imbalance.ts';
import type { Localizer } from '../../platform/time/index.ts';
import { localizeHours } from './localize.ts';
import { monthRows, monthsFromHours, type MonthRow } from './monthly.ts';
import { netByHour, type NetByHourRow } from './net-by-hour.ts';
import { chooseStationSource, chooseUsageSeries, chooseWeatherSeries, SOURCE_RULE, type HourlySeries, type StationSource } from './sources.ts';
import { classCounts, stationRows } from './stations.ts';
import type { MonthTotal, StationAvailability, StationHourOfDay, StationInfo, WeatherHour } from './types.ts';
import { weatherBands, type WeatherBandRow } from './weather.ts';

export interface StatsInputs {
  system: { id: string; name: string | null; timezone: string; country: string | null };
  period: { from: string | null; to: string | null };
  hourly: HourlySeries[];
  stationSources: StationSource[];
  /** Station-months summed per month (Seoul's published usage). */
  stationMonths: MonthTotal[];
  weather: WeatherHour[];
  availability: StationAvailability[];
  /** Per flow source ('trips', 'status'): station counts by UTC hour of day and offset. */
  stationHourOfDay: Record<string, StationHourOfDay[]>;
  stationInfo: StationInfo[];
}

export interface StatsOptions {
  rule: ImbalanceRule;
  /** How many of the most imbalanced stations get net flow by hour. */
  top: number;
}

export interface StatsReport {
  system: string;
  name: string | null;
  timezone: string;
  country: string | null;
  period: { from: string | null; to: string | null };
  span: { from: string | null; to: string | null; days: number; hours: number };
  sources: { usage: string | null; stations: string | null; weather: string | null; rule: string };
  day_type_rule: string;
  holidays: { calendars: Record<string, string>; dates: { date: string; name: string }[] };
  rule: { text: string; threshold: number; min_volume: number };
  summary: { rentals: number; returns: number | null; stations: number; classes: Record<'source' | 'sink' | 'balanced', number> };
  by_hour_daytype: HourDayTypeRow[];
  by_weekday: WeekdayRow[];
  by_hour_weekday: HourWeekdayRow[];
  weather: WeatherBandRow[];
  monthly: MonthRow[];
  stations: (StationRow & { lat: number | null; lon: number | null })[];
  station_net_by_hour: NetByHourRow[];
  notes: string[];
}

export function buildReport(inputs: StatsInputs, calendar: HolidayCalendar, clock: Localizer, opts: StatsOptions): StatsReport {
  const notes: string[] = [];
  const usage = chooseUsageSeries(inputs.hourly);
  const local = usage ? localizeHours(usage.hours, clock, calendar) : [];
  if (!usage) notes.push('no hourly usage in the period: by-hour and by-weekday tables are empty');

  const weatherSeries = chooseWeatherSeries(inputs.hourly, inputs.weather);
  const weatherLocal = weatherSeries === usage ? local : weatherSeries ? localizeHours(weatherSeries.hours, clock, calendar) : [];
  const weather = weatherBands(weatherLocal, inputs.weather);
  if (weather.length === 0) notes.push('no hour with both usage and weather in the period: weather tables are empty');

  const stationSource = chooseStationSource(inputs.stationSources);
  const info = new Map(inputs.stationInfo.map((s) => [s.stationId, s]));
  const availability = stationSource?.source === 'status' ? inputs.availability : [];
  const stations = stationSource ? stationRows(stationSource.totals, opts.rule, info, availability) : [];
  if (!stationSource) notes.push('no per-station counts in the period');
  const unplaced = stations.filter((s) => !info.get(s.station_id)?.lat).length;
  if (stations.length > 0 && unplaced > 0) notes.push(`${unplaced} of ${stations.length} stations have no coordinates in the stations table (left off the map)`);

  const monthly: MonthRow[] = [];
  if (inputs.stationMonths.length > 0) monthly.push(...monthRows(inputs.stationMonths, 'station_monthly'));
  for (const s of inputs.hourly) {
    const months = monthsFromHours(s === usage ? local : localizeHours(s.hours, clock, calendar));
    monthly.push(...monthRows(months, s.source));
  }

  const byHourDaytype = byHourDayType(local);
  const thin = thinHours(byHourDaytype);
  if (thin) notes.push(`coverage thin (under ${Math.round(THIN_COVERAGE * 100)}% of the hours observed, feed outages): ${thin}; their means rest on fewer hours`);

  const dates = [...new Set(local.map((h) => h.date))].sort();
  const from = dates[0] ?? null;
  const to = dates[dates.length - 1] ?? null;
  const rentals = local.reduce((a, h) => a + h.rentals, 0);
  const returns = local.every((h) => h.returns !== null) && local.length > 0 ? local.reduce((a, h) => a + (h.returns ?? 0), 0) : null;
  const years = Object.keys(calendar.sources);
  return {
    system: inputs.system.id,
    name: inputs.system.name,
    timezone: inputs.system.timezone,
    country: inputs.system.country,
    period: inputs.period,
    span: { from, to, days: dates.length, hours: local.length },
    sources: { usage: usage?.source ?? null, stations: stationSource?.source ?? null, weather: weather.length ? weatherSeries!.source : null, rule: SOURCE_RULE },
    day_type_rule: DAY_TYPE_RULE,
    holidays: {
      calendars: Object.fromEntries(years.map((y) => [y, calendar.sources[Number(y)]!])),
      dates: [...calendar.names.entries()].filter(([d]) => from !== null && d >= from && d <= to!).sort().map(([date, name]) => ({ date, name })),
    },
    rule: { text: describeRule(opts.rule), threshold: opts.rule.threshold, min_volume: opts.rule.minVolume },
    summary: { rentals, returns, stations: stations.length, classes: classCounts(stations) },
    by_hour_daytype: byHourDaytype,
    by_weekday: byWeekday(local),
    by_hour_weekday: byHourWeekday(local),
    weather,
    monthly,
    stations: stations.map((s) => ({ ...s, lat: info.get(s.station_id)?.lat ?? null, lon: info.get(s.station_id)?.lon ?? null })),
    station_net_by_hour: [],
    notes,
  };
}

/**
 * Net flow by local hour for the report's stations that `inputs.stationHourOfDay` covers (the
 * most imbalanced ones, loaded after the report named them), averaged over the days of the
 * station source's series.
 */
export function stationNetByHour(report: StatsReport, inputs: StatsInputs, clock: Localizer, stationIds: readonly string[]): NetByHourRow[] {
  const source = report.sources.stations;
  const hod = source ? inputs.stationHourOfDay[source] : undefined;
  if (!source || !hod) return [];
  const series = inputs.hourly.find((s) => s.source === source);
  const days = new Set(series?.hours.map((h) => clock(h.hourUtc).date)).size;
  return netByHour(hod, stationIds, days);
}
