// City-wide hourly series (rentals, air quality) as the UCI and Seoul hourly files give them, and
// how they land: one row per (system, source, UTC hour), a later file replacing an earlier hour.
import { dedupeByKey, upsertRows } from '../store/upsert.ts';
import type { ImportContext } from './importer.ts';

export interface SystemHourRow {
  line: number;
  hour: Date;
  rentals: number;
  holiday: boolean | null;
  functioning_day: boolean | null;
}

export interface AirQualityRow {
  line: number;
  station: string;
  hour: Date;
  pm10_ugm3: number | null;
  pm25_ugm3: number | null;
  ozone_ppm: number | null;
}

export async function writeSystemHours(ctx: ImportContext, source: string, rows: readonly SystemHourRow[]): Promise<number> {
  const { rows: unique, duplicates } = dedupeByKey(rows, (r) => String(r.hour.getTime()));
  for (const d of duplicates) ctx.rejects.add('duplicate hour in file', { line: d.line, field: 'hour' });
  await upsertRows(
    ctx.store,
    'system_hourly',
    ['system_id', 'source', 'hour', 'rentals', 'holiday', 'functioning_day', 'import_id'],
    ['system_id', 'source', 'hour'],
    unique.map((r) => [ctx.systemId, source, r.hour.toISOString(), r.rentals, r.holiday, r.functioning_day, ctx.importId]),
  );
  return unique.length;
}

/** Air-quality rows of the same file; duplicates were already counted with the rentals. */
export async function writeAirQuality(ctx: ImportContext, rows: readonly AirQualityRow[]): Promise<number> {
  const { rows: unique } = dedupeByKey(rows, (r) => `${r.station}\u0000${r.hour.getTime()}`);
  await upsertRows(
    ctx.store,
    'air_quality_hourly',
    ['system_id', 'station', 'hour', 'pm10_ugm3', 'pm25_ugm3', 'ozone_ppm', 'import_id'],
    ['system_id', 'station', 'hour'],
    unique.map((r) => [ctx.systemId, r.station, r.hour.toISOString(), r.pm10_ugm3, r.pm25_ugm3, r.ozone_ppm, ctx.importId]),
  );
  return unique.length;
}
