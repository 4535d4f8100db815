// `uci-seoul`: the UCI "Seoul Bike Sharing Demand" file (SeoulBikeData.csv): city-wide rentals per
// hour, 2017-12-01..2018-11-30, with the weather of the hour, the holiday flag and whether the
// system was running. Rentals go to `system_hourly` (source 'uci'), the weather to
// `weather_hourly` (station 'UCI').
//
// Each column is found by its name, normalised (case, spaces, units' characters dropped), so the
// republished header (`Temperature(C)`, `Humidity(percentage)`) and the original one
// (`Temperature(°C)`, `Humidity(%)`) both map:
//   Date (dd/mm/yyyy, KST) + Hour (0-23)  -> hour (UTC instant of that KST hour)
//   Rented Bike Count                     -> system_hourly.rentals
//   Holiday ('Holiday' | 'No Holiday')    -> system_hourly.holiday
//   Functioning Day ('Yes' | 'No')        -> system_hourly.functioning_day (rentals are 0 when No)
//   Temperature, Humidity, Wind speed, Dew point temperature, Solar Radiation (MJ/m2),
//   Rainfall (mm), Snowfall (cm)          -> weather_hourly, same units
//   Visibility (10m)                      -> weather_hourly.visibility_m (x10)
//   Seasons                               -> not stored: it is a function of the date
import { SEOUL_SYSTEM } from '../ids.ts';
import { kstHourToUtc, mapColumns, parseCsvTable, parseDecimals } from './csv-records.ts';
import { readText } from './file-input.ts';
import { writeSystemHours, type SystemHourRow } from './hourly-series-rows.ts';
import type { Importer } from './importer.ts';
import type { Rejects } from './rejects.ts';
import { writeWeatherRows, type WeatherRow } from './weather-rows.ts';

const starts = (p: string) => (n: string) => n.startsWith(p);

const UCI_COLUMNS = {
  date: { label: 'Date', required: true, match: (n: string) => n === 'date' },
  rentals: { label: 'Rented Bike Count', required: true, match: starts('rentedbikecount') },
  hour: { label: 'Hour', required: true, match: (n: string) => n === 'hour' },
  temperature: { label: 'Temperature(C)', required: true, match: starts('temperature') },
  humidity: { label: 'Humidity(percentage)', required: true, match: starts('humidity') },
  wind: { label: 'Wind speed (m/s)', required: true, match: starts('windspeed') },
  visibility: { label: 'Visibility (10m)', required: true, match: starts('visibility') },
  dewpoint: { label: 'Dew point temperature(C)', required: true, match: starts('dewpoint') },
  solar: { label: 'Solar Radiation (MJ/m2)', required: true, match: starts('solarradiation') },
  rainfall: { label: 'Rainfall(mm)', required: true, match: starts('rainfall') },
  snowfall: { label: 'Snowfall (cm)', required: true, match: starts('snowfall') },
  holiday: { label: 'Holiday', required: true, match: (n: string) => n === 'holiday' },
  functioning: { label: 'Functioning Day', required: true, match: starts('functioningday') },
};

const NUMERIC = ['temperature', 'humidity', 'wind', 'visibility', 'dewpoint', 'solar', 'rainfall', 'snowfall'] as const;

export interface UciParsed {
  hours: SystemHourRow[];
  weather: WeatherRow[];
}

export function parseUciSeoul(text: string, file: string, rejects: Rejects): UciParsed {
  const { header, records } = parseCsvTable(text, file);
  const col = mapColumns(header, UCI_COLUMNS, file);
  const visibilityScale = /10\s*m/i.test(header[col.visibility!]!) ? 10 : 1;
  const hours: SystemHourRow[] = [];
  const weather: WeatherRow[] = [];
  const reject = (line: number, key: keyof typeof UCI_COLUMNS, raw: string) =>
    rejects.add(`unparseable ${UCI_COLUMNS[key].label}`, { line, field: UCI_COLUMNS[key].label, raw });
  for (const { line, values } of records) {
    const v = (k: keyof typeof UCI_COLUMNS) => values[col[k]!]!.trim();
    const raw = values.join(',');
    const dm = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v('date'));
    const h = /^\d{1,2}$/.test(v('hour')) ? Number(v('hour')) : NaN;
    if (!dm) { reject(line, 'date', raw); continue; }
    if (!(h >= 0 && h <= 23)) { reject(line, 'hour', raw); continue; }
    const hour = kstHourToUtc(+dm[3]!, +dm[2]!, +dm[1]!, h);
    if (!hour) { reject(line, 'date', raw); continue; }
    const rentals = /^\d+$/.test(v('rentals')) ? Number(v('rentals')) : NaN;
    if (Number.isNaN(rentals)) { reject(line, 'rentals', raw); continue; }
    const holiday = v('holiday') === 'Holiday' ? true : v('holiday') === 'No Holiday' ? false : undefined;
    if (holiday === undefined) { reject(line, 'holiday', raw); continue; }
    const functioning = v('functioning') === 'Yes' ? true : v('functioning') === 'No' ? false : undefined;
    if (functioning === undefined) { reject(line, 'functioning', raw); continue; }
    const { nums, bad } = parseDecimals(NUMERIC, v);
    if (bad) { reject(line, bad, raw); continue; }
    hours.push({ line, hour, rentals, holiday, functioning_day: functioning });
    weather.push({
      line, station: 'UCI', hour,
      temperature_c: nums.temperature, precipitation_mm: nums.rainfall, wind_ms: nums.wind, humidity_pct: nums.humidity,
      visibility_m: nums.visibility === null ? null : nums.visibility * visibilityScale, dewpoint_c: nums.dewpoint,
      solar_mj: nums.solar, snow_cm: nums.snowfall, rain: nums.rainfall === null ? null : nums.rainfall > 0,
    });
  }
  return { hours, weather };
}

export const importer: Importer = {
  kind: 'uci-seoul',
  timeZone: 'Asia/Seoul',
  description: 'UCI Seoul Bike Sharing Demand hourly file (rentals + weather)',
  defaultSystem: SEOUL_SYSTEM,
  async load(ctx) {
    const { text, encoding } = await readText(ctx.file.path);
    const { hours, weather } = parseUciSeoul(text, ctx.file.path, ctx.rejects);
    ctx.progress.start(hours.length, `uci-seoul ${ctx.file.name}`);
    const imported = await writeSystemHours(ctx, 'uci', hours);
    await writeWeatherRows(ctx, weather, false);
    ctx.progress.update(hours.length);
    ctx.progress.stop();
    return { imported, encoding };
  },
};
