// Net flow by local hour of day for chosen stations: mean (returns - pickups) per day at that
// hour, over the days that carry the station's data.
import { round } from './by-hour.ts';
import type { StationHourOfDay } from './types.ts';

export interface NetByHourRow {
  station_id: string;
  hour: number;
  pickups: number;
  returns: number;
  net_per_day: number;
  days: number;
}

/** Local hour of day of an hour starting at UTC hour-of-day `utcHour` under offset `offsetMin`. */
export function localHourOf(utcHour: number, offsetMin: number): number {
  return Math.floor((((utcHour * 60 + offsetMin) % 1440) + 1440) % 1440 / 60);
}

export function netByHour(rows: readonly StationHourOfDay[], stationIds: readonly string[], days: number): NetByHourRow[] {
  const wanted = new Set(stationIds);
  const acc = new Map<string, { p: Float64Array; r: Float64Array }>(stationIds.map((id) => [id, { p: new Float64Array(24), r: new Float64Array(24) }]));
  for (const x of rows) {
    if (!wanted.has(x.stationId)) continue;
    const a = acc.get(x.stationId)!;
    const h = localHourOf(x.utcHour, x.offsetMin);
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
