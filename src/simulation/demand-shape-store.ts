// Reads the forecast's hourly shape for the simulated window from the store: the hourly flows of
// the SHAPE_WEEKS before --from through the forecast's own panel loader and cell profile, laid on
// the window's local calendar; and the window's own hourly flows for the censoring estimate.
import type { Store } from '../platform/store/connection.ts';
import { hourDayTypeCell } from '../platform/calendar/historical-average.ts';
import { cellProfile, CELLS } from '../rebalancing/forecast/baselines.ts';
import { hourCalendar } from '../rebalancing/forecast/calendar.ts';
import { loadPanel, systemInfo } from '../rebalancing/forecast/store.ts';
import type { DemandShape } from './demand-shape.ts';
import type { Stations } from './world.ts';

/** Weeks of flows before --from the shape is fitted on. */
export const SHAPE_WEEKS = 8;

/** The shape, or null when the store has no hourly flows before `from` (a system without status history). */
export async function loadDemandShape(store: Store, systemId: string, stations: Stations, from: number, to: number): Promise<DemandShape | null> {
  const fitFrom = from - SHAPE_WEEKS * 7 * 86400;
  const has = await store.all<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM hourly_flows WHERE system_id = $1 AND hour >= to_timestamp($2) AND hour < to_timestamp($3)', [systemId, fitFrom, from],
  );
  if (!has[0]?.n) return null;
  const panel = await loadPanel(store, systemId, { from: fitFrom * 1000, to: from * 1000 });
  const info = await systemInfo(store, systemId);
  const start = Math.floor(from / 3600) * 3600;
  const hours = Math.max(1, Math.ceil((to - start) / 3600));
  const cal = hourCalendar(start * 1000, hours, info.timezone, info.country);
  const rowOf = new Map<string, number>(panel.stations.map((id, i) => [id as string, i]));
  const S = stations.ids.length;
  let withProfile = 0;
  for (const id of stations.ids) if (rowOf.has(id)) withProfile++;
  const lay = (flow: 'pickups' | 'returns', censoring: 'exclude' | 'ignore') => {
    const prof = cellProfile(panel, flow, 0, panel.hours, censoring);
    const out = new Float64Array(S * hours);
    for (let s = 0; s < S; s++) {
      const row = rowOf.get(stations.ids[s]!);
      for (let h = 0; h < hours; h++) {
        const cell = hourDayTypeCell(cal.dayType[h]!, cal.localHour[h]!);
        out[s * hours + h] = row === undefined ? prof.global[cell]! : prof.mean[row * CELLS + cell]!;
      }
    }
    return out;
  };
  return {
    start, hours,
    pickups: lay('pickups', 'exclude'), returns: lay('returns', 'exclude'),
    pickupsIgnore: lay('pickups', 'ignore'), returnsIgnore: lay('returns', 'ignore'),
    stationsWithProfile: withProfile, fittedFrom: Math.max(fitFrom, panel.start / 1000), fittedTo: from,
  };
}

/** The window's own hourly flows (empty and full minutes per station-hour), for the censoring estimate. */
export async function loadWindowHours(store: Store, systemId: string, stations: Stations, from: number, to: number) {
  const index = new Map(stations.ids.map((id, i) => [id, i]));
  const rows = await store.all<{ station_id: string; t: number; e: number; f: number }>(
    `SELECT station_id, epoch(hour) AS t, minutes_empty AS e, minutes_full AS f FROM hourly_flows
     WHERE system_id = $1 AND hour >= to_timestamp($2) AND hour < to_timestamp($3) AND (minutes_empty > 0 OR minutes_full > 0)`,
    [systemId, Math.floor(from / 3600) * 3600, to],
  );
  const out: Array<{ station: number; t: number; minutesEmpty: number; minutesFull: number }> = [];
  for (const r of rows) {
    const s = index.get(r.station_id);
    if (s !== undefined) out.push({ station: s, t: r.t, minutesEmpty: r.e, minutesFull: r.f });
  }
  return out;
}
