// Rider demand as the simulator replays it: one event per bike taken or returned, minute-exact,
// sorted by time. Plain typed arrays: the replay reads millions of them in a tight loop.

/** Events sorted by `t`. `delta` -1 is a rider taking a bike, +1 a rider returning one. */
export interface RiderEvents {
  /** Epoch seconds. */
  t: Float64Array;
  /** Index into the world's stations. */
  station: Int32Array;
  delta: Int8Array;
  /** 1 where the event was spread over a feed gap (the log saw only the net change across it). */
  fromGap: Uint8Array;
  /**
   * Trip demand only: for a pickup, the index of its trip's return (-1 for none); -1 for a return.
   * A rider whose rental fails does not return a bike.
   */
  pair?: Int32Array;
}

/** One change as read from a log before it becomes events: `n` bikes (signed) at a station. */
export interface DemandChange {
  station: number;
  /** When the change shows; for a gap, the end of the gap. */
  t: number;
  /** Signed bikes: -2 is two pickups. */
  n: number;
  /** Set for a net change across a feed gap: its events are spread over [gapStart, t). */
  gapStart?: number;
}

/** Where inside its gap one rider of a gap change came, for a uniform draw `u` in [0, 1). */
export type GapPlacement = (c: DemandChange, u: number) => number;

/** Uniformly over the gap: the placement when no hourly shape is known. */
export const uniformInGap: GapPlacement = (c, u) => c.gapStart! + u * (c.t - c.gapStart!);

/**
 * Changes to sorted events. A change seen between two regular snapshots happens at the time it
 * shows (the log knows no better); a net change across a gap is spread over the gap by `place`
 * (the forecast's hourly shape, demand-shape.ts placeInGap, where the store has one) at draws from
 * `rand`, so a seed fixes them.
 */
export function eventsFromChanges(changes: readonly DemandChange[], rand: () => number, place: GapPlacement = uniformInGap): RiderEvents {
  let total = 0;
  for (const c of changes) total += Math.abs(c.n);
  const t = new Float64Array(total);
  const station = new Int32Array(total);
  const delta = new Int8Array(total);
  const fromGap = new Uint8Array(total);
  let k = 0;
  for (const c of changes) {
    const d = c.n < 0 ? -1 : 1;
    for (let i = 0; i < Math.abs(c.n); i++, k++) {
      t[k] = c.gapStart === undefined ? c.t : place(c, rand());
      station[k] = c.station;
      delta[k] = d;
      fromGap[k] = c.gapStart === undefined ? 0 : 1;
    }
  }
  // Sort by time; at equal times returns first, then by station, so the order never depends on input order.
  const order = Int32Array.from({ length: total }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || delta[b]! - delta[a]! || station[a]! - station[b]!);
  return {
    t: Float64Array.from(order, (i) => t[i]!),
    station: Int32Array.from(order, (i) => station[i]!),
    delta: Int8Array.from(order, (i) => delta[i]!),
    fromGap: Uint8Array.from(order, (i) => fromGap[i]!),
  };
}

/** The events with t < until only: what a policy may know of the past at `until`. */
export function eventsBefore(ev: RiderEvents, until: number): RiderEvents {
  let hi = 0;
  while (hi < ev.t.length && ev.t[hi]! < until) hi++;
  return { t: ev.t.subarray(0, hi), station: ev.station.subarray(0, hi), delta: ev.delta.subarray(0, hi), fromGap: ev.fromGap.subarray(0, hi), ...(ev.pair ? { pair: ev.pair.subarray(0, hi) } : {}) };
}
