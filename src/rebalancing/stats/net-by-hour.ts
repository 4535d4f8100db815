// Net flow by local hour of day for chosen stations: mean (returns - pickups) per day at that
// hour, over the days that carry the station's data.
import { round } from './by-hour.ts';
import type { Localizer } from './local-time.ts';
import type { StationHour } from './types.ts';

export interface NetByHourRow {
  station_id: string;
  hour: number;
  pickups: number;
  returns: number;
  net_per_day: number;
  days: number;
}

export function netByHour(rows: readonly StationHour[], clock: Localizer, days: number): NetByHourRow[] {
  const acc = new Map<string, { p: Float64Array; r: Float64Array }>();
  for (const x of rows) {
    let a = acc.get(x.stationId);
    if (!a) acc.set(x.stationId, (a = { p: new Float64Array(24), r: new Float64Array(24) }));
    const h = clock(x.hourUtc).hour;
    a.p[h]! += x.pickups;
    a.r[h]! += x.returns;
  }
  const out: NetByHourRow[] = [];
  const d = Math.max(1, days);
  for (const [station_id, a] of acc) {
    for (let hour = 0; hour < 24; hour++) {
      out.push({ station_id, hour, pickups: a.p[hour]!, returns: a.r[hour]!, net_per_day: round((a.r[hour]! - a.p[hour]!) / d), days: d });
    }
  }
  return out;
}
