// A system's separate clusters (issue 19, "zones a truck can serve"): stations linked when within
// LINK_KM of each other, the connected groups being the clusters. Bay Wheels is three: San Francisco
// (303 stations), the East Bay (131) and San Jose (84), the same at any link from 2 to 8 km, and
// far apart by road (the Bay Bridge, 70 km to San Jose) though the East Bay is 8 km across the water.
// A zone never spans two clusters: each cluster is zoned on its own, with trucks by its work.
import { toPlane } from './plane.ts';
import { allocateTrucks } from './trucks.ts';

/** Stations closer than this are in one cluster. */
export const LINK_KM = 3;

/** Cluster of each station (0 = the most stations), by single linkage at `linkKm`. */
export function stationClusters(stations: readonly { lat: number; lon: number }[], linkKm = LINK_KM): { of: Int32Array; count: number } {
  const n = stations.length;
  const p = toPlane(stations);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) { parent[x] = parent[parent[x]!]!; x = parent[x]!; }
    return x;
  };
  // A grid of linkKm cells: only stations in neighbouring cells can link.
  const cell = new Map<string, number[]>();
  const key = (i: number) => [Math.floor(p.x[i]! / linkKm), Math.floor(p.y[i]! / linkKm)] as const;
  for (let i = 0; i < n; i++) {
    const [cx, cy] = key(i);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of cell.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (Math.hypot(p.x[i]! - p.x[j]!, p.y[i]! - p.y[j]!) <= linkKm) parent[find(i)] = find(j);
        }
      }
    }
    const k = `${cx},${cy}`;
    (cell.get(k) ?? cell.set(k, []).get(k)!).push(i);
  }
  const size = new Map<number, number>();
  for (let i = 0; i < n; i++) size.set(find(i), (size.get(find(i)) ?? 0) + 1);
  const roots = [...size.keys()].sort((a, b) => size.get(b)! - size.get(a)! || a - b);
  const index = new Map(roots.map((r, k) => [r, k]));
  return { of: Int32Array.from({ length: n }, (_, i) => index.get(find(i))!), count: roots.length };
}

/**
 * Trucks per cluster by its work (allocateTrucks: Sainte-Laguë). As districts are (./district.ts), a
 * cluster with less than `minShare` of one truck's fair share of the work gets none, since its
 * truck would idle while the busier clusters queue, and it cannot lend it across the bay; nor does
 * one beyond the fleet, the busiest served first. Their work is reported unserved.
 */
export function trucksByWork(work: readonly number[], trucks: number, minShare = 0.5): number[] {
  const total = work.reduce((a, w) => a + Math.max(0, w), 0);
  const ranked = work.map((w, k) => [w, k] as const).filter(([w]) => w > 0).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const served = new Set(ranked.filter(([w], r) => r === 0 || w >= (minShare * total) / trucks).slice(0, trucks).map(([, k]) => k));
  if (served.size === 0) return allocateTrucks(work, trucks);
  return allocateTrucks(work.map((w, k) => (served.has(k) ? w : 0)), trucks).map((t, k) => (served.has(k) ? t : 0));
}
