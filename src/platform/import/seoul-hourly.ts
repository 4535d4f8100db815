// `seoul-hourly`: Seoul's system-wide rentals per hour with the hour's weather and air quality
// (the series published for the city's bike-demand forecasting contest; bundled:
// usage/system_hourly_rentals_weather_air_2021-04_2021-11.csv). Header, measured on that file:
//   date (yyyy-mm-dd, KST), hour (0-23), PM10, PM2.5 (ug/m3), ozone (ppm), temperature (C),
//   precipitation, windspeed (m/s), humidity (%), visibility (10 m units, 2000 = 20 km), count
// - `precipitation` is a 0/1 flag (5,387 zeros and 440 ones; no amounts), so it goes to
//   weather_hourly.rain and precipitation_mm stays NULL; any other value is rejected.
// - PM10 / PM2.5 / ozone are empty in ~100 hours: stored as NULL, the hour kept.
// Rentals -> system_hourly (source 'seoul-hourly'); weather -> weather_hourly and air quality ->
// air_quality_hourly, both under station 'seoul-hourly'.
import { SEOUL_SYSTEM } from '../ids.ts';
import { kstHourToUtc, mapColumns, parseCsvTable, parseDecimals } from './csv-records.ts';
import { readText } from './file-input.ts';
import { writeAirQuality, writeSystemHours, type AirQualityRow, type SystemHourRow } from './hourly-series-rows.ts';
import type { Importer } from './importer.ts';
import type { Rejects } from './rejects.ts';
import { writeWeatherRows, type WeatherRow } from './weather-rows.ts';

const STATION = 'seoul-hourly';
const is = (name: string) => (n: string) => n === name;

const COLUMNS = {
  date: { label: 'date', required: true, match: is('date') },
  hour: { label: 'hour', required: true, match: is('hour') },
  count: { label: 'count', required: true, match: is('count') },
  pm10: { label: 'PM10', required: false, match: is('pm10') },
  pm25: { label: 'PM2.5', required: false, match: is('pm25') },
  ozone: { label: 'ozone', required: false, match: is('ozone') },
  temperature: { label: 'temperature', required: false, match: is('temperature') },
  precipitation: { label: 'precipitation', required: false, match: is('precipitation') },
  wind: { label: 'windspeed', required: false, match: is('windspeed') },
  humidity: { label: 'humidity', required: false, match: is('humidity') },
  visibility: { label: 'visibility', required: false, match: is('visibility') },
};

const NUMERIC = ['pm10', 'pm25', 'ozone', 'temperature', 'precipitation', 'wind', 'humidity', 'visibility'] as const;

export interface SeoulHourlyParsed {
  hours: SystemHourRow[];
  weather: WeatherRow[];
  air: AirQualityRow[];
}

export function parseSeoulHourly(text: string, file: string, rejects: Rejects): SeoulHourlyParsed {
  const { header, records } = parseCsvTable(text, file);
  const col = mapColumns(header, COLUMNS, file);
  const hasWeather = ['temperature', 'precipitation', 'wind', 'humidity', 'visibility'].some((k) => col[k as keyof typeof COLUMNS] !== undefined);
  const hasAir = col.pm10 !== undefined || col.pm25 !== undefined || col.ozone !== undefined;
  const out: SeoulHourlyParsed = { hours: [], weather: [], air: [] };
  const reject = (line: number, key: keyof typeof COLUMNS, raw: string, why = 'unparseable') =>
    rejects.add(`${why} ${COLUMNS[key].label}`, { line, field: COLUMNS[key].label, raw });
  for (const { line, values } of records) {
    const v = (k: keyof typeof COLUMNS) => (col[k] === undefined ? undefined : values[col[k]!]!.trim());
    const raw = values.join(',');
    const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v('date')!);
    const h = /^\d{1,2}$/.test(v('hour')!) ? Number(v('hour')) : NaN;
    if (!dm) { reject(line, 'date', raw); continue; }
    if (!(h >= 0 && h <= 23)) { reject(line, 'hour', raw); continue; }
    const hour = kstHourToUtc(+dm[1]!, +dm[2]!, +dm[3]!, h);
    if (!hour) { reject(line, 'date', raw); continue; }
    const count = /^\d+$/.test(v('count')!) ? Number(v('count')) : NaN;
    if (Number.isNaN(count)) { reject(line, 'count', raw); continue; }
    const { nums, bad } = parseDecimals(NUMERIC, v);
    if (bad) { reject(line, bad, raw); continue; }
    if (nums.precipitation !== null && nums.precipitation !== 0 && nums.precipitation !== 1) { reject(line, 'precipitation', raw, 'not a 0/1 flag:'); continue; }
    out.hours.push({ line, hour, rentals: count, holiday: null, functioning_day: null });
    if (hasWeather) {
      out.weather.push({
        line, station: STATION, hour, temperature_c: nums.temperature, precipitation_mm: null, wind_ms: nums.wind,
        humidity_pct: nums.humidity, visibility_m: nums.visibility === null ? null : nums.visibility * 10, dewpoint_c: null,
        solar_mj: null, snow_cm: null, rain: nums.precipitation === null ? null : nums.precipitation === 1,
      });
    }
    if (hasAir) out.air.push({ line, station: STATION, hour, pm10_ugm3: nums.pm10, pm25_ugm3: nums.pm25, ozone_ppm: nums.ozone });
  }
  return out;
}

export const importer: Importer = {
  kind: 'seoul-hourly',
  timeZone: 'Asia/Seoul',
  description: "Seoul system-wide hourly rentals with weather and air quality (CSV: date, hour, PM10, ..., count)",
  defaultSystem: SEOUL_SYSTEM,
  async load(ctx) {
    const { text, encoding } = await readText(ctx.file.path);
    const parsed = parseSeoulHourly(text, ctx.file.path, ctx.rejects);
    ctx.progress.start(parsed.hours.length, `seoul-hourly ${ctx.file.name}`);
    const imported = await writeSystemHours(ctx, 'seoul-hourly', parsed.hours);
    await writeWeatherRows(ctx, parsed.weather, false);
    await writeAirQuality(ctx, parsed.air);
    ctx.progress.update(parsed.hours.length);
    ctx.progress.stop();
    return { imported, encoding };
  },
};
