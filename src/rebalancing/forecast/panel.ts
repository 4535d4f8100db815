// The station x hour panel every station-level model reads: dense typed arrays, index s * hours + t.
// An hour that was not observed (feed outage, station not yet installed) is NaN.
import type { StationId } from '../../platform/ids.ts';
import type { HourCalendar } from './calendar.ts';

export type Flow = 'pickups' | 'returns';
export const FLOWS: readonly Flow[] = ['pickups', 'returns'];

export interface Weather {
  temperature: Float32Array;
  precipitation: Float32Array;
  wind: Float32Array;
  humidity: Float32Array;
}

/**
 * Bikes and docks on hand at the start of each hour (index s * hours + t): the station's last
 * status before that instant, NaN where unknown. Known at a forecast origin, and telling: an
 * e-bike-less station loses most of its pickups (riders here pick e-bikes first), a station with
 * few docks loses returns.
 */
export interface Stock {
  bikes: Float32Array;
  ebikes: Float32Array;
  docks: Float32Array;
}

export interface FlowPanel {
  readonly stations: readonly StationId[];
  /** Epoch ms of hour index 0 (UTC). */
  readonly start: number;
  readonly hours: number;
  readonly pickups: Float32Array;
  readonly returns: Float32Array;
  /** Share of the observed minutes the station was empty (pickups censored) / full (returns censored). */
  readonly emptyShare: Float32Array;
  readonly fullShare: Float32Array;
  readonly lat: Float64Array | null;
  readonly lon: Float64Array | null;
  readonly calendar: HourCalendar;
  /** Per hour, NaN where unknown; null if the system has no weather. */
  readonly weather: Weather | null;
  /** Stock at each hour start; absent or null if the system has no status history. */
  readonly stock?: Stock | null;
}

/** How censored hours are treated: dropped from fitting (default) or used as if uncensored. */
export type Censoring = 'exclude' | 'ignore';

/** An hour is censored for a flow when the station was empty (pickups) / full (returns) this long. */
export const CENSORED_SHARE = 0.5;

export function flowValues(p: FlowPanel, flow: Flow): Float32Array {
  return flow === 'pickups' ? p.pickups : p.returns;
}

export function censorShare(p: FlowPanel, flow: Flow): Float32Array {
  return flow === 'pickups' ? p.emptyShare : p.fullShare;
}

/** Whether cell i may be used to fit or score `flow`. */
export function usable(p: FlowPanel, flow: Flow, i: number, censoring: Censoring): boolean {
  const v = flowValues(p, flow)[i]!;
  if (Number.isNaN(v)) return false;
  return censoring === 'ignore' || !(censorShare(p, flow)[i]! >= CENSORED_SHARE);
}

/** Hour index of an instant (floored), relative to the panel. */
export function hourIndex(p: { start: number }, ms: number): number {
  return Math.floor((ms - p.start) / 3_600_000);
}
