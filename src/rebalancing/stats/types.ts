// Plain values the statistics stage works on. Times are UTC instants (epoch ms) until `localize`
// gives them the system's calendar; station ids are strings as the store holds them.

import type { DayType } from '../../platform/calendar/day-types.ts';

export { DAY_TYPES, type DayType } from '../../platform/calendar/day-types.ts';

/** ISO weekday names, Monday first (index 0 = Monday). */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** System-wide counts for one UTC hour. `returns` is null where the source only counts rentals. */
export interface HourTotal {
  hourUtc: number;
  rentals: number;
  returns: number | null;
  /**
   * Share of the hour the source observed (0..1): a feed outage (the `gaps` table) leaves part of
   * an hour, or all of it, unseen, and its counts cover only the seen part. Absent = fully observed
   * (trip files and published totals have no outages).
   */
  observed?: number;
}

/** The same hour on the system's local calendar. */
export interface LocalHourTotal extends HourTotal {
  date: string; // local YYYY-MM-DD
  hour: number; // local 0..23
  weekday: number; // 0 = Monday .. 6 = Sunday
  dayType: DayType;
}

/** Per-station totals over the period. */
export interface StationTotal {
  stationId: string;
  pickups: number;
  returns: number;
}

/**
 * Per-station counts summed by UTC hour of day and the zone's UTC offset then in force (so that the
 * local hour of day is exact across DST changes without reading every station-hour back).
 */
export interface StationHourOfDay {
  stationId: string;
  utcHour: number; // 0..23
  offsetMin: number; // local - UTC, minutes
  pickups: number;
  returns: number;
}

/** Minutes a station was observed, empty and full (status history only). */
export interface StationAvailability {
  stationId: string;
  minutesObserved: number;
  minutesEmpty: number;
  minutesFull: number;
}

/** One month of counts (station-months summed, or hours summed to months). */
export interface MonthTotal {
  month: string; // YYYY-MM (local)
  rentals: number;
  returns: number | null;
  stations?: number;
}

/** Weather for one UTC hour (averaged over weather stations when several report). */
export interface WeatherHour {
  hourUtc: number;
  temperatureC: number | null;
  precipitationMm: number | null;
  /** Whether it rained in the hour, where a source says only that (else precipitationMm > 0). */
  rain: boolean | null;
  windMs: number | null;
  humidityPct: number | null;
}

export interface StationInfo {
  stationId: string;
  name: string | null;
  district: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
}
