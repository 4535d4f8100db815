// The solver's working model of an Instance: the depot plus one "visit" per stop a truck must make.
// In the visit_all form a visit is a station; otherwise stations with nothing to move are left out
// and a station whose demand exceeds a truck's capacity becomes several co-located visits of at most
// the capacity each (split evenly, so each piece fits as many load profiles as possible).
import type { Instance } from './instance.ts';

export interface Visits {
  readonly instance: Instance;
  /** Number of nodes: the depot (0) and the visits 1..n-1. */
  readonly n: number;
  /** Station (instance index) of each node. */
  readonly station: Int32Array;
  /** Bikes collected (> 0) or dropped (< 0) at each node. */
  readonly q: Int32Array;
  /** Travel cost between nodes, n x n row-major. */
  readonly dist: Float64Array;
  /** For each visit, the other visits nearest first (symmetrised cost), at most `maxNeighbours`. */
  readonly neighbours: readonly Int32Array[];
}

export function buildVisits(instance: Instance, maxNeighbours = 100): Visits {
  const N = instance.ids.length;
  const Q = instance.capacity;
  const station: number[] = [0];
  const q: number[] = [0];
  for (let s = 1; s < N; s++) {
    const d = instance.demand[s]!;
    if (instance.visitAll) {
      station.push(s);
      q.push(d);
      continue;
    }
    if (d === 0) continue;
    const pieces = Math.ceil(Math.abs(d) / Q);
    const base = Math.floor(Math.abs(d) / pieces);
    let extra = Math.abs(d) - base * pieces;
    for (let k = 0; k < pieces; k++) {
      const size = base + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
      station.push(s);
      q.push(Math.sign(d) * size);
    }
  }
  const n = station.length;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const si = station[i]! * N;
    for (let j = 0; j < n; j++) dist[i * n + j] = instance.cost[si + station[j]!]!;
  }
  const neighbours: Int32Array[] = [new Int32Array(0)];
  const k = Math.min(maxNeighbours, Math.max(0, n - 2));
  const key = new Float64Array(n);
  const order: number[] = [];
  for (let i = 1; i < n; i++) {
    order.length = 0;
    for (let j = 1; j < n; j++) {
      if (j === i) continue;
      key[j] = dist[i * n + j]! + dist[j * n + i]!;
      order.push(j);
    }
    order.sort((a, b) => key[a]! - key[b]! || a - b);
    neighbours.push(Int32Array.from(order.slice(0, k)));
  }
  return { instance, n, station: Int32Array.from(station), q: Int32Array.from(q), dist, neighbours };
}
