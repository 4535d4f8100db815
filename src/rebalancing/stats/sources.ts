// Which of a system's data answers which question. A system can hold several kinds at once (Seoul:
// a trip sample, station-months, a city-wide hourly series; Bay Wheels: status-derived flows and a
// few days of trips). Rule, stated in every report: usage patterns come from the hourly series with
// the most rentals in the period; per-station figures from the station source with the most
// pickups; the weather response from the hourly series with the most hours that have weather.
import type { HourTotal, StationTotal, WeatherHour } from './types.ts';

export interface HourlySeries {
  /** 'trips' | 'status' | 'system_hourly:<source>' */
  source: string;
  hours: HourTotal[];
}

export interface StationSource {
  /** 'trips' | 'status' | 'station_monthly' */
  source: string;
  totals: StationTotal[];
}

export const SOURCE_RULE =
  'usage by hour/weekday: the hourly series with the most rentals in the period; stations: the station source with the most pickups; ' +
  'weather: the hourly series with the most hours that have weather';

const total = (s: HourlySeries) => s.hours.reduce((a, h) => a + h.rentals, 0);

export function chooseUsageSeries(candidates: readonly HourlySeries[]): HourlySeries | null {
  let best: HourlySeries | null = null;
  let bestTotal = 0;
  for (const c of candidates) {
    const t = total(c);
    if (t > bestTotal) [best, bestTotal] = [c, t];
  }
  return best;
}

export function chooseWeatherSeries(candidates: readonly HourlySeries[], weather: readonly WeatherHour[]): HourlySeries | null {
  const have = new Set(weather.map((w) => Math.round(w.hourUtc / 3_600_000)));
  let best: HourlySeries | null = null;
  let bestKey: [number, number] = [0, 0];
  for (const c of candidates) {
    const key: [number, number] = [c.hours.filter((h) => have.has(Math.round(h.hourUtc / 3_600_000))).length, total(c)];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[0] > 0 && key[1] > bestKey[1])) [best, bestKey] = [c, key];
  }
  return best;
}

export function chooseStationSource(candidates: readonly StationSource[]): StationSource | null {
  let best: StationSource | null = null;
  let bestTotal = 0;
  for (const c of candidates) {
    const t = c.totals.reduce((a, s) => a + s.pickups, 0);
    if (t > bestTotal) [best, bestTotal] = [c, t];
  }
  return best;
}
