// Zones by balanced clustering of the stations' work: compact territories whose work is close to
// proportional to the trucks each gets.
//
// 1. Start: k-means (ml-kmeans, k-means++ seeding) on the work itself, each station's point
//    repeated once per bike to move, so centres sit where the work is.
// 2. Balance (written here: no npm clustering library takes a size target per cluster): a station
//    goes to the zone minimising `distance to the zone's centre - λ_zone`. The λs are Lagrange
//    multipliers of the work targets, raised for zones short of their share and lowered for zones
//    over it (subgradient steps that shrink over time); every few rounds each centre moves to the
//    work-weighted mean of its stations. Zones stay compact: a cost `distance - λ` splits the
//    plane into star-shaped cells (an additively weighted Voronoi diagram), never into scattered
//    pieces. The assignment with the smallest largest deviation from the targets is kept.
import { kmeans } from 'ml-kmeans';
import { LINK_KM, stationClusters, trucksByWork } from './clusters.ts';
import { toPlane } from './plane.ts';
import { evenTrucks } from './trucks.ts';
import { workOf, type ZoneAssignment, type ZoneStation } from './types.ts';

export interface BalancedOptions {
  /** Number of zones (default: one per 2 trucks, at least 1). */
  count?: number;
  seed?: number;
  /** Balance rounds (default 600). */
  rounds?: number;
  /** Stop early once every zone's work is within this share of its target (default 0.03). */
  tolerance?: number;
  /** Stations this close are one cluster (default LINK_KM); zones never span two clusters. Infinity: one cluster. */
  linkKm?: number;
}

export function defaultZoneCount(trucks: number): number {
  return Math.max(1, Math.round(trucks / 2));
}

/**
 * Balanced zones that respect the system's separate clusters (./clusters.ts): each cluster gets
 * trucks by its work (every cluster with work one first, while the fleet allows) and zones by its
 * trucks, and is zoned on its own, so no zone joins places far apart by road (Bay Wheels: San
 * Francisco, the East Bay, San Jose). A cluster without a truck is one zone, its work unserved.
 */
export function balancedZones(stations: readonly ZoneStation[], trucks: number, opts: BalancedOptions = {}): ZoneAssignment {
  if (stations.length === 0) throw new Error('no stations to zone');
  const { of, count } = stationClusters(stations, opts.linkKm ?? LINK_KM);
  if (count === 1) return balancedWithin(stations, trucks, opts);
  const members = Array.from({ length: count }, () => [] as number[]);
  of.forEach((c, i) => members[c]!.push(i));
  const work = members.map((m) => m.reduce((a, i) => a + workOf(stations[i]!), 0));
  if (work.every((w) => w <= 0)) throw new Error('no work in the target run (no station short of or over its interval): nothing to balance');
  const tr = trucksByWork(work, trucks);
  const wanted = Math.min(opts.count ?? defaultZoneCount(trucks), trucks);
  const parts: { stations: number[]; zoneOf: Int32Array; zones: number; trucks: number[]; work: number[] }[] = [];
  const notes = [`${count} separate clusters (no station within ${opts.linkKm ?? LINK_KM} km of another cluster's): ${members.map((m, c) => `${m.length} stations, ${work[c]} bikes of work, ${tr[c]} truck(s)`).join('; ')}`];
  members.forEach((m, c) => {
    const sub = m.map((i) => stations[i]!);
    if (tr[c] === 0 || work[c]! <= 0) {
      parts.push({ stations: m, zoneOf: new Int32Array(m.length), zones: 1, trucks: [tr[c]!], work: [work[c]!] });
      return;
    }
    // Zones in proportion to the cluster's trucks, at least one.
    const k = Math.max(1, Math.min(tr[c]!, Math.round((wanted * tr[c]!) / trucks)));
    const a = balancedWithin(sub, tr[c]!, { ...opts, count: k });
    const zw = a.zones.map(() => 0);
    a.zoneOf.forEach((z, j) => (zw[z]! += workOf(sub[j]!)));
    parts.push({ stations: m, zoneOf: a.zoneOf, zones: a.zones.length, trucks: a.trucks, work: zw });
  });
  // One numbering over all clusters: Z01 the zone with most work.
  const all = parts.flatMap((p, c) => p.work.map((w, z) => ({ c, z, w, t: p.trucks[z]! })));
  all.sort((a, b) => b.w - a.w || a.c - b.c || a.z - b.z);
  const width = String(all.length).length < 2 ? 2 : String(all.length).length;
  const number = new Map(all.map((x, r) => [`${x.c}:${x.z}`, r]));
  const zoneOf = new Int32Array(stations.length);
  parts.forEach((p, c) => p.stations.forEach((i, j) => (zoneOf[i] = number.get(`${c}:${p.zoneOf[j]}`)!)));
  return { method: 'balanced', zones: all.map((_, r) => `Z${String(r + 1).padStart(width, '0')}`), trucks: all.map((x) => x.t), zoneOf, notes };
}

/** Balanced zones of one cluster. */
function balancedWithin(stations: readonly ZoneStation[], trucks: number, opts: BalancedOptions = {}): ZoneAssignment {
  if (stations.length === 0) throw new Error('no stations to zone');
  const work = stations.map(workOf);
  const total = work.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error('no work in the target run (no station short of or over its interval): nothing to balance');
  const withWork = work.filter((w) => w > 0).length;
  const wanted = Math.min(opts.count ?? defaultZoneCount(trucks), trucks);
  const K = Math.max(1, Math.min(wanted, withWork));
  const notes: string[] = [];
  if (K < wanted) notes.push(`${wanted} zones asked, ${K} made: only ${withWork} stations have work`);
  const p = toPlane(stations);
  const n = stations.length;

  // 1. k-means on the work (a point per bike to move).
  const data: number[][] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < work[i]!; k++) data.push([p.x[i]!, p.y[i]!]);
  const km = kmeans(data, K, { initialization: 'kmeans++', seed: opts.seed ?? 1, maxIterations: 100 });
  const cx = Float64Array.from(km.centroids, (c) => c[0]!);
  const cy = Float64Array.from(km.centroids, (c) => c[1]!);

  // Trucks: as even as the fleet allows; the zones with the most work after k-means get the extra.
  const even = evenTrucks(trucks, K);
  const kmWork = new Float64Array(K);
  km.clusters.forEach((c) => (kmWork[c]! += 1));
  const order = [...Array(K).keys()].sort((a, b) => kmWork[b]! - kmWork[a]!);
  const tr = new Array<number>(K);
  order.forEach((k, r) => (tr[k] = even[r]!));
  const target = tr.map((t) => (total * t) / trucks);

  // 2. Balance.
  const lambda = new Float64Array(K);
  const zoneOf = new Int32Array(n);
  const load = new Float64Array(K);
  // Step size: a share of a zone's typical radius (area / K as a disc).
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, p.x[i]!); maxX = Math.max(maxX, p.x[i]!);
    minY = Math.min(minY, p.y[i]!); maxY = Math.max(maxY, p.y[i]!);
  }
  const radius = Math.sqrt(((maxX - minX) * (maxY - minY) + 1e-9) / (Math.PI * K));
  const step0 = 0.5 * radius;
  const rounds = opts.rounds ?? 600;
  const tol = opts.tolerance ?? 0.03;
  let best: { dev: number; zoneOf: Int32Array; round: number } | null = null;
  const assign = () => {
    load.fill(0);
    for (let i = 0; i < n; i++) {
      let bk = 0;
      let bc = Infinity;
      for (let k = 0; k < K; k++) {
        const c = Math.hypot(p.x[i]! - cx[k]!, p.y[i]! - cy[k]!) - lambda[k]!;
        if (c < bc) { bc = c; bk = k; }
      }
      zoneOf[i] = bk;
      load[bk]! += work[i]!;
    }
    let dev = 0;
    for (let k = 0; k < K; k++) dev = Math.max(dev, Math.abs(load[k]! / target[k]! - 1));
    return dev;
  };
  const recentre = () => {
    const sx = new Float64Array(K), sy = new Float64Array(K), sw = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const k = zoneOf[i]!;
      const w = work[i]!;
      sx[k]! += w * p.x[i]!; sy[k]! += w * p.y[i]!; sw[k]! += w;
    }
    for (let k = 0; k < K; k++) if (sw[k]! > 0) { cx[k] = sx[k]! / sw[k]!; cy[k] = sy[k]! / sw[k]!; }
  };
  let round = 0;
  for (; round < rounds; round++) {
    const dev = assign();
    if (!best || dev < best.dev - 1e-12) best = { dev, zoneOf: zoneOf.slice(), round };
    if (dev <= tol && round > 0) break;
    const step = step0 / (1 + round / 40);
    for (let k = 0; k < K; k++) lambda[k]! += step * Math.max(-1, Math.min(1, 1 - load[k]! / target[k]!));
    if (round % 10 === 9) recentre();
  }
  notes.push(`k-means on the work then ${round + 1} balance rounds; best largest deviation from a zone's work target ${(100 * best!.dev).toFixed(1)}% (round ${best!.round + 1})`);

  // Name zones Z01.. in order of work, largest first.
  const finalLoad = new Float64Array(K);
  best!.zoneOf.forEach((k, i) => (finalLoad[k]! += work[i]!));
  const rank = [...Array(K).keys()].sort((a, b) => finalLoad[b]! - finalLoad[a]! || a - b);
  const renum = new Int32Array(K);
  rank.forEach((k, r) => (renum[k] = r));
  const width = String(K).length < 2 ? 2 : String(K).length;
  return {
    method: 'balanced',
    zones: rank.map((_, r) => `Z${String(r + 1).padStart(width, '0')}`),
    trucks: rank.map((k) => tr[k]!),
    zoneOf: Int32Array.from(best!.zoneOf, (k) => renum[k]!),
    notes,
  };
}
