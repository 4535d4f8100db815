// The state a re-plan starts from, 15 minutes after a plan (bench/replan.ts, bench/planner-compare.ts):
// each truck has made the stops the plan reached by then (their bikes moved at the stations), its
// load is what the plan says after them, and it is driving to its next stop (kept first); SYNTHETIC
// demand: 30% of stations (seeded) gain or lose one bike.
import { mulberry32 } from '../../src/platform/util/random.ts';
import type { PlanStationRow } from '../../src/rebalancing/planning/build.ts';
import type { Fleet } from '../../src/rebalancing/planning/fleet.ts';
import type { Plan } from '../../src/rebalancing/planning/plan.ts';

export const STEP_S = 15 * 60;

/** The state STEP_S after `plan`: stops reached done, trucks heading to their next stop, one-bike drift. */
export function later(plan: Plan, stations: readonly PlanStationRow[], fleet: Fleet, atS: number, seed: number): { stations: PlanStationRow[]; fleet: Fleet } {
  const at2 = atS + STEP_S;
  const bikes = new Map<string, number>();
  const trucks = fleet.trucks.map((t) => {
    const route = plan.routes.find((r) => r.truck === t.id)!;
    const done = route.stops.filter((s) => Date.parse(s.arrival) / 1000 < at2);
    for (const s of done) bikes.set(s.station_id, s.bikes_after!);
    const next = route.stops.find((s) => Date.parse(s.arrival) / 1000 >= at2);
    const load = done.length ? done[done.length - 1]!.load_after : t.startLoad;
    const shiftMinutes = t.shiftMinutes - STEP_S / 60;
    if (next) return { ...t, startLoad: load, shiftMinutes, headingTo: { stationId: next.station_id, minutes: (Date.parse(next.arrival) / 1000 - at2) / 60 } };
    // Done with its stops (or none): where its last stop was, or still at its start.
    const last = done[done.length - 1];
    return { ...t, startLoad: load, shiftMinutes, ...(last ? { start: { lat: last.lat, lon: last.lon }, ownStart: true } : {}) };
  });
  const u = mulberry32(seed);
  const next = stations.map((s) => {
    let b = bikes.get(s.station_id) ?? s.current;
    if (b !== null && u() < 0.3) b = Math.max(0, b + (u() < 0.5 ? -1 : 1));
    return { ...s, current: b };
  });
  return { stations: next, fleet: { ...fleet, trucks } };
}

