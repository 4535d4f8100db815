// A driver's stop list as CSV: stop order, station number and name, collect or drop and how many,
// arrival in local time, bikes on the truck after the stop. RFC 4180 quoting (the platform's
// `toCsv`). Written with a UTF-8 byte order mark: without it, Excel on a Korean Windows reads the
// file as CP949 and garbles the station names.
import { toCsv } from '../../../platform/output/csv.ts';
import type { PlanRoute } from '../plan.ts';
import { actionOf } from './geojson.ts';
import { localClock } from './local-time.ts';

export const CSV_COLUMNS = ['stop', 'station_number', 'station_name', 'action', 'bikes', 'arrival', 'load_after', 'station_id'] as const;

export function driverCsvRows(route: PlanRoute, timeZone?: string): Record<(typeof CSV_COLUMNS)[number], string | number>[] {
  return route.stops.map((s, i) => {
    const a = actionOf(s);
    return {
      stop: i + 1,
      station_number: s.number ?? '',
      station_name: s.name ?? '',
      action: a.action,
      bikes: a.bikes,
      arrival: localClock(s.arrival, timeZone).time,
      load_after: s.load_after,
      station_id: s.station_id,
    };
  });
}

export function driverCsv(route: PlanRoute, timeZone?: string): string {
  const rows = driverCsvRows(route, timeZone);
  return '\uFEFF' + toCsv(rows, CSV_COLUMNS);
}
