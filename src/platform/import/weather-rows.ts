// Hourly weather rows as every weather source gives them, and how they land in `weather_hourly`:
// one row per (system, weather station, UTC hour), a later file replacing an earlier one's hour.
import { upsertRows, dedupeByKey } from '../store/upsert.ts';
import type { ImportContext } from './importer.ts';

export interface WeatherRow {
  line: number;
  station: string;
  hour: Date;
  temperature_c: number | null;
  precipitation_mm: number | null;
  wind_ms: number | null;
  humidity_pct: number | null;
  visibility_m: number | null;
  dewpoint_c: number | null;
  solar_mj: number | null;
  snow_cm: number | null;
  /** Whether precipitation fell in the hour: precipitation_mm > 0, or a source's own 0/1 flag. */
  rain: boolean | null;
}

export const WEATHER_VALUE_COLUMNS = [
  'temperature_c', 'precipitation_mm', 'wind_ms', 'humidity_pct', 'visibility_m', 'dewpoint_c', 'solar_mj', 'snow_cm', 'rain',
] as const;

/**
 * Upsert the rows. Two rows of one file for the same station and hour: the later line wins and
 * the earlier is counted as a reject ('duplicate hour in file'), so nothing vanishes unexplained.
 */
export async function writeWeatherRows(ctx: ImportContext, rows: readonly WeatherRow[], countDuplicates = true): Promise<number> {
  const { rows: unique, duplicates } = dedupeByKey(rows, (r) => `${r.station}\u0000${r.hour.getTime()}`);
  // Files that carry rentals too count their duplicate hours once, with the rentals.
  if (countDuplicates) for (const d of duplicates) ctx.rejects.add('duplicate hour in file', { line: d.line, field: 'hour' });
  await upsertRows(
    ctx.store,
    'weather_hourly',
    ['system_id', 'station', 'hour', ...WEATHER_VALUE_COLUMNS, 'import_id'],
    ['system_id', 'station', 'hour'],
    unique.map((r) => [ctx.systemId, r.station, r.hour.toISOString(), ...WEATHER_VALUE_COLUMNS.map((c) => r[c]), ctx.importId]),
  );
  return unique.length;
}
