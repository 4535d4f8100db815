// Hourly flows from a station status change log: the reference definition, in plain TypeScript.
// The store computes the same thing in SQL (derive-sql.ts) for millions of rows; tests check that
// both agree. The rules (docs/data-model.md, "Hourly flows"):
// - a station's state holds from its row until its next row (or the last snapshot, or its removal);
// - a change seen at snapshot t happened in the interval (previous snapshot, t]: when that interval
//   is a feed outage (a gap) the change is not counted as flow, and gap time is not observed time;
// - a change of at least `truckThreshold` docked bikes in one interval is a truck move;
// - a station's first row (it joins) carries no flow; it exists only from its first row on;
// - minutes while the station is not installed are not observed, and changes into or out of that
//   state are not flow.
import type { Gap } from './gaps.ts';

export interface StatusPoint {
  stationId: string;
  /** Epoch seconds (a snapshot time). */
  t: number;
  bikes: number;
  disabled: number | undefined;
  docks: number | undefined;
  installed: boolean;
}

export interface HourlyFlow {
  stationId: string;
  /** Epoch seconds of the UTC hour's start. */
  hour: number;
  pickups: number;
  returns: number;
  truckIn: number;
  truckOut: number;
  minutesObserved: number;
  minutesEmpty: number;
  minutesFull: number;
}

export interface FlowInput {
  /** Every snapshot time of the system (only its last one matters here: the end of coverage). */
  lastSnapshot: number;
  gaps: readonly Gap[];
  /** Rows of every station, any order. */
  rows: readonly StatusPoint[];
  /** Stations removed from the system, and when (epoch seconds). */
  removedAt?: ReadonlyMap<string, number>;
  /** Only hours at or after this one (epoch seconds, on an hour boundary). */
  fromHour?: number;
  truckThreshold: number;
}

const HOUR = 3600;

export function deriveHourlyFlows(input: FlowInput): HourlyFlow[] {
  const from = input.fromHour ?? -Infinity;
  const byStation = new Map<string, StatusPoint[]>();
  for (const r of input.rows) {
    let list = byStation.get(r.stationId);
    if (!list) byStation.set(r.stationId, (list = []));
    list.push(r);
  }
  const gapEnds = new Set(input.gaps.map((g) => g.end));
  const out = new Map<string, HourlyFlow>();
  const cell = (stationId: string, hour: number): HourlyFlow => {
    const key = `${stationId}\u0000${hour}`;
    let c = out.get(key);
    if (!c) out.set(key, (c = { stationId, hour, pickups: 0, returns: 0, truckIn: 0, truckOut: 0, minutesObserved: 0, minutesEmpty: 0, minutesFull: 0 }));
    return c;
  };

  for (const [stationId, list] of byStation) {
    list.sort((a, b) => a.t - b.t);
    const removed = input.removedAt?.get(stationId) ?? Infinity;
    for (let i = 0; i < list.length; i++) {
      const cur = list[i]!;
      // Time: the state holds over [start, end).
      const start = Math.max(cur.t, from);
      const end = Math.min(list[i + 1]?.t ?? input.lastSnapshot, removed);
      for (let h = floorHour(start); h < end; h += HOUR) {
        const a = Math.max(start, h);
        const b = Math.min(end, h + HOUR);
        if (b <= a) continue;
        let seconds = b - a;
        for (const g of input.gaps) seconds -= Math.max(0, Math.min(b, g.end) - Math.max(a, g.start));
        const c = cell(stationId, h);
        const observed = cur.installed ? seconds / 60 : 0;
        c.minutesObserved += observed;
        if (cur.bikes === 0) c.minutesEmpty += observed;
        if (cur.docks === 0) c.minutesFull += observed;
      }
      // Flow: the change from the previous row, seen at cur.t.
      const prev = list[i - 1];
      if (!prev || cur.t < from || cur.t >= removed) continue;
      if (gapEnds.has(cur.t)) continue;
      const change = changeSeen(prev, cur, input.truckThreshold);
      if (!change) continue;
      const c = cell(stationId, floorHour(cur.t));
      const d = change.bikes;
      if (change.truck) {
        if (d < 0) c.truckOut += -d;
        else c.truckIn += d;
      } else if (d < 0) c.pickups += -d;
      else c.returns += d;
    }
  }
  return [...out.values()].sort((x, y) => (x.stationId < y.stationId ? -1 : x.stationId > y.stationId ? 1 : x.hour - y.hour));
}

/** A change between a station's consecutive rows: signed docked bikes, and whether it was a truck. */
export interface ChangeSeen {
  bikes: number;
  /** At least truckThreshold bikes in one interval: the operator's truck, not riders. */
  truck: boolean;
}

/**
 * The flows' rule for one change (the simulator's status demand uses it too): the docked-bike
 * difference from `prev` to `cur`; none when either row is not installed or nothing changed. Whether
 * the interval was a feed outage is the caller's to judge (flows drop it, the simulator spreads it).
 */
export function changeSeen(prev: Pick<StatusPoint, 'bikes' | 'disabled' | 'installed'>, cur: Pick<StatusPoint, 'bikes' | 'disabled' | 'installed'>, truckThreshold: number): ChangeSeen | null {
  if (!prev.installed || !cur.installed) return null;
  const d = docked(cur) - docked(prev);
  if (d === 0) return null;
  return { bikes: d, truck: Math.abs(d) >= truckThreshold };
}

/** Bikes physically in the docks: a bike marked broken has not left, so it is no pickup. */
export function docked(p: Pick<StatusPoint, 'bikes' | 'disabled'>): number {
  return p.bikes + (p.disabled ?? 0);
}

export function floorHour(t: number): number {
  return Math.floor(t / HOUR) * HOUR;
}
