// The policies that plan through the real chain (issue 21): `static`, `rolling` and `oracle`. Each
// hands the simulated state at its instant to the one re-plan step the live service runs
// (src/rebalancing/realtime/replan.ts: targets from the bikes now and the rates, then every truck
// planned from where it is), and the trucks execute the plan stop by stop; a truck collects or
// drops what is really there and fits (the replay does that and logs the difference).
//   static:  one plan at each shift start, executed as written.
//   rolling: a re-plan every `replanS` (and when a truck finishes its stop list) with the forecast
//            predicted from the state at that instant; each truck keeps the stop it drives to, the
//            previous plan warm-starts the search.
//   oracle:  rolling fed the real future flows instead of the forecast (a bound, not a policy).
// The policy sees the world only through WorldView (the bikes now, the trucks) and its rates
// source, which is asked only for the instant of the re-plan.
import type { Fleet, Truck } from '../../rebalancing/planning/fleet.ts';
import type { Plan } from '../../rebalancing/planning/plan.ts';
import { MIN_SHIFT_LEFT_S, PLAN_DRIVE_HOME_MINUTES, REPLAN_DEFAULTS, replanFleet, type ReplanInput, type ReplanOptions, type ReplanStation } from '../../rebalancing/realtime/replan.ts';
import type { StationNow } from '../../rebalancing/targets/run.ts';
import type { Job, Policy, WorldView } from './policy.ts';

export interface PlannedPolicyOptions {
  name: 'static' | 'rolling' | 'oracle';
  system: string;
  timeZone: string;
  /** The world's stations as the re-plan reads them, index for index with WorldView.stations. */
  stations: readonly ReplanStation[];
  /** Seconds between re-plans; null: one plan per shift (static). */
  replanS: number | null;
  /** The rates at a re-plan instant, from what is known then (the forecast) or, for the oracle, the real flows. */
  rates: (atS: number, view: WorldView) => ReplanInput['rates'];
  replan: ReplanOptions;
  /** Minutes of work a rolling re-plan gives each truck (the curves may see further); default the curves' horizon. */
  planMinutes?: number;
  /** Called after each re-plan (timings, the bench). */
  onReplan?: (atS: number, r: ReturnType<typeof replanFleet>) => void;
}

interface Stop { station: number; bikes: number }


export function plannedPolicy(o: PlannedPolicyOptions): Policy & { readonly plans: number } {
  const index = new Map(o.stations.map((s, i) => [s.station_id as string, i]));
  let queues: Stop[][] = [];
  /** What a truck driving to a stop does there (the plan's first stop), by truck. */
  let atArrival = new Map<number, number>();
  /** The shift (its end) each truck's stop list was planned for; static plans once per shift. */
  const plannedShift = new Map<number, number>();
  /** Trucks that had stops since the last re-plan: finishing them triggers one. */
  const hadStops = new Set<number>();
  let previous: Plan | null = null;
  let lastAt = -Infinity;
  let replans = 0;
  /** Ticks start at the first truck's first call (its shift start) and step every replanS from there. */
  let nextTick = Infinity;
  const window = (o.planMinutes ?? o.replan.horizonMinutes ?? REPLAN_DEFAULTS.horizonMinutes) + PLAN_DRIVE_HOME_MINUTES;

  const onShift = (v: WorldView, ti: number) => {
    const t = v.trucks[ti]!;
    const start = t.shiftEnd - v.fleet.trucks[ti]!.shiftMinutes * 60;
    return v.t >= start && t.shiftEnd - v.t >= MIN_SHIFT_LEFT_S;
  };

  function plan(v: WorldView): void {
    lastAt = v.t;
    const trucks: Truck[] = [];
    const which: number[] = [];
    v.trucks.forEach((t, ti) => {
      if (!onShift(v, ti)) return;
      const base = v.fleet.trucks[ti]!;
      // Rolling plans the next horizon of work (plus the drive home), not the whole shift: the curves
      // see no further, the next re-plan comes in minutes, and long routes only slow the search.
      const left = (t.shiftEnd - v.t) / 60;
      const truck: Truck = { ...base, shiftMinutes: o.replanS === null ? left : Math.min(left, window), startLoad: t.load, start: t.pos, ownStart: true };
      delete truck.headingTo;
      delete truck.readyMinutes;
      if (t.heading >= 0) truck.headingTo = { stationId: o.stations[t.heading]!.station_id, minutes: Math.max(0, (t.nextAt - v.t) / 60) };
      // In the middle of a stop (parked, handling bikes): it leaves from there once the stop is done.
      else if (!t.waiting && t.nextAt > v.t) truck.readyMinutes = (t.nextAt - v.t) / 60;
      trucks.push(truck);
      which.push(ti);
    });
    if (trucks.length === 0) return;
    const state = new Map<string, StationNow>();
    for (let s = 0; s < o.stations.length; s++) state.set(o.stations[s]!.station_id, { bikes: v.bikes[s]!, racks: v.stations.capacity[s]!, usable: v.stations.capacity[s]! });
    const fleet: Fleet = { ...v.fleet, trucks };
    const r = replanFleet({ system: o.system, timeZone: o.timeZone, atS: v.t, stations: o.stations, state, rates: o.rates(v.t, v), fleet, previous }, o.replan);
    replans++;
    previous = r.plan;
    o.onReplan?.(v.t, r);
    const next: Stop[][] = v.trucks.map((_, ti) => (which.includes(ti) ? [] : queues[ti] ?? []));
    const arrival = new Map(atArrival);
    which.forEach((ti, k) => {
      const route = r.plan.routes.find((x) => x.truck === trucks[k]!.id);
      const stops: Stop[] = (route?.stops ?? []).map((s) => ({ station: index.get(s.station_id)!, bikes: s.collect ?? -(s.drop ?? 0) }));
      const heading = v.trucks[ti]!.heading;
      if (heading >= 0) {
        // The stop it drives to stays first: what the plan does there is done on arrival (nothing if it left it out).
        const first = stops[0]?.station === heading ? stops.shift()! : null;
        arrival.set(ti, first ? first.bikes : 0);
      }
      next[ti] = stops;
      plannedShift.set(ti, v.trucks[ti]!.shiftEnd);
      if (stops.length) hadStops.add(ti); else hadStops.delete(ti);
    });
    queues = next;
    atArrival = arrival;
  }

  return {
    name: o.name,
    usesTrucks: true,
    get replans() { return replans; },
    get plans() { return replans; },
    ...(o.replanS === null ? {} : {
      nextTickAt: () => nextTick,
      tick(v: WorldView) {
        // Only while some truck is on shift; the clock steps on in any case.
        if (v.trucks.some((_, ti) => onShift(v, ti))) plan(v);
        nextTick = v.t + o.replanS!;
      },
    }),
    arrivalMove(ti: number, v: WorldView): number {
      const t = v.trucks[ti]!;
      const q = atArrival.get(ti);
      atArrival.delete(ti);
      return q ?? t.planned;
    },
    dispatch(ti: number, v: WorldView): Job {
      if (o.replanS !== null && nextTick === Infinity) nextTick = v.t + o.replanS;
      const t = v.trucks[ti]!;
      const fresh = plannedShift.get(ti) !== t.shiftEnd;
      const finished = (queues[ti]?.length ?? 0) === 0 && hadStops.has(ti);
      if (finished) hadStops.delete(ti);
      // Static: the shift's one plan. Rolling: also when a truck has done its list (once per instant).
      if ((fresh || (o.replanS !== null && finished)) && lastAt < v.t) plan(v);
      const stop = queues[ti]?.shift();
      if (!stop) return null;
      // A truck driving to a stop is never dispatched: the heading stop was taken out at planning.
      return { station: stop.station, bikes: stop.bikes };
    },
  };
}
