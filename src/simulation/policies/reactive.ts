// `reactive`: the online greedy dispatcher. Each free truck goes to the nearest station in need that
// it can help with what it carries: a station at or below `low` of its docks gets bikes up to half
// full, one at or above `high` gives bikes down to half full; with nothing urgent near, a truck
// that is empty collects from the fullest station near it, and one that is full drops at the
// emptiest, so it is ready for the next need. Among the `nearest` helpable stations it takes the one
// with the largest need, as the planning greedy (src/rebalancing/planning/greedy.ts) does; it sees
// only the live bikes, never a forecast.
import { haversineKm } from '../../rebalancing/planning/travel.ts';
import type { Job, Policy, WorldView } from './policy.ts';

export interface ReactiveOptions {
  low: number;
  high: number;
  nearest: number;
}

export const REACTIVE_DEFAULTS: ReactiveOptions = { low: 0.15, high: 0.85, nearest: 10 };

export function reactivePolicy(opts: ReactiveOptions = REACTIVE_DEFAULTS): Policy {
  return {
    name: 'reactive',
    usesTrucks: true,
    replans: 0,
    dispatch(ti: number, v: WorldView): Job {
      const truck = v.trucks[ti]!;
      const { stations, bikes, fleet } = v;
      const minMove = fleet.minMove;
      const taken = new Set<number>();
      for (const t of v.trucks) if (t.heading >= 0) taken.add(t.heading);
      const room = truck.capacity - truck.load;
      const left = truck.shiftEnd - v.t;
      type Option = { s: number; km: number; q: number; urgent: boolean };
      const options: Option[] = [];
      for (let s = 0; s < bikes.length; s++) {
        if (taken.has(s)) continue;
        const cap = stations.capacity[s]!;
        const b = bikes[s]!;
        const half = Math.round(cap / 2);
        let q = 0;
        let urgent = false;
        if (b <= opts.low * cap && truck.load >= minMove) {
          q = -Math.min(half - b, truck.load);
          urgent = true;
        } else if (b >= opts.high * cap && room >= minMove) {
          q = Math.min(b - half, room);
          urgent = true;
        } else if (truck.load < minMove && b > half + minMove) q = Math.min(b - half, room);
        else if (room < minMove && b < half - minMove) q = -Math.min(half - b, truck.load);
        if (Math.abs(q) < minMove) continue;
        const km = haversineKm(truck.pos, { lat: stations.lat[s]!, lon: stations.lon[s]! }) * fleet.detour;
        const need = (km / fleet.speedKmh) * 3600 + fleet.stopMinutes * 60 + fleet.handlingSPerBike * Math.abs(q);
        if (need > left) continue;
        options.push({ s, km, q, urgent });
      }
      const urgent = options.filter((o) => o.urgent);
      const pool = (urgent.length > 0 ? urgent : options).sort((a, b) => a.km - b.km || a.s - b.s).slice(0, opts.nearest);
      if (pool.length === 0) return null;
      let pick = pool[0]!;
      for (const o of pool) if (Math.abs(o.q) > Math.abs(pick.q)) pick = o;
      return { station: pick.s, bikes: pick.q };
    },
  };
}
