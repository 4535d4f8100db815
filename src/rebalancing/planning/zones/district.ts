// Zones by district (자치구): the way Seoul's operators already divide the work. Each district is a
// zone, then districts are merged until the count fits the fleet:
//  - while there are more zones than trucks, and
//  - while a zone holds less than half of one truck's fair share of the work (W / trucks), since a
//    truck of its own would idle there while busier zones queue.
// The zone with the least work joins the neighbour whose nearest station is closest to its own
// (single linkage: districts that touch have stations a few hundred metres apart). Districts are
// never split: a busy district gets several trucks, which the planner routes together.
import { geoArea, geoContains } from 'd3-geo';
import { toPlane } from './plane.ts';
import { allocateTrucks } from './trucks.ts';
import type { DistrictShape } from '../../../platform/charts/basemap.ts';
import { workOf, type ZoneAssignment, type ZoneStation } from './types.ts';


export interface DistrictOptions {
  /** A zone with less work than this share of one truck's fair share is merged (default 0.5). */
  minTruckShare?: number;
}

/**
 * Fills in stations' missing districts: the boundary that contains the station, else the district
 * of the nearest station that has one. Returns the stations (copies where changed) and how many
 * were filled each way.
 */
export function resolveDistricts(stations: readonly ZoneStation[], shapes: readonly DistrictShape[]): { stations: ZoneStation[]; byShape: number; byNeighbour: number; none: number } {
  let byShape = 0;
  let byNeighbour = 0;
  let none = 0;
  const known = stations.filter((s) => s.district !== null);
  // d3-geo reads rings on the sphere: a ring wound the other way (RFC 7946's counter-clockwise
  // exterior) encloses the rest of the world. Such a shape covers over half the sphere: flip it.
  const inverted = shapes.map((d) => geoArea(d.geometry as Parameters<typeof geoArea>[0]) > 2 * Math.PI);
  const out = stations.map((s) => {
    if (s.district !== null) return s;
    for (const [k, d] of shapes.entries()) {
      if (d.name && geoContains(d.geometry as Parameters<typeof geoContains>[0], [s.lon, s.lat]) !== inverted[k]) {
        byShape++;
        return { ...s, district: d.name };
      }
    }
    let best: ZoneStation | null = null;
    let bestD = Infinity;
    for (const k of known) {
      const dd = (k.lat - s.lat) ** 2 + ((k.lon - s.lon) * Math.cos((s.lat * Math.PI) / 180)) ** 2;
      if (dd < bestD) {
        bestD = dd;
        best = k;
      }
    }
    if (best) {
      byNeighbour++;
      return { ...s, district: best.district };
    }
    none++;
    return s;
  });
  return { stations: out, byShape, byNeighbour, none };
}

export function districtZones(stations: readonly ZoneStation[], trucks: number, opts: DistrictOptions = {}): ZoneAssignment {
  const minShare = opts.minTruckShare ?? 0.5;
  const missing = stations.filter((s) => s.district === null).length;
  if (missing) throw new Error(`${missing} stations have no district: resolve them first (resolveDistricts)`);
  const names = [...new Set(stations.map((s) => s.district!))].sort();
  if (names.length === 0) throw new Error('no stations to zone');
  const index = new Map(names.map((n, i) => [n, i]));
  const of = Int32Array.from(stations, (s) => index.get(s.district!)!);
  const D = names.length;

  // Each group: its member districts, its work. `link[a][b]`: nearest stations' distance (km).
  const groups = names.map((n) => ({ members: [n], work: 0, alive: true }));
  stations.forEach((s, i) => (groups[of[i]!]!.work += workOf(s)));
  const link = linkDistances(stations, of, D);

  const total = groups.reduce((a, g) => a + g.work, 0);
  const fair = total / trucks;
  const notes: string[] = [];
  let alive = D;
  for (;;) {
    const live = groups.map((g, i) => ({ g, i })).filter((x) => x.g.alive);
    const smallest = live.reduce((a, b) => (b.g.work < a.g.work ? b : a));
    const tooMany = alive > trucks;
    const tooSmall = alive > 1 && smallest.g.work < minShare * fair;
    if (!tooMany && !tooSmall) break;
    let into = -1;
    let bestD = Infinity;
    for (const x of live) {
      if (x.i === smallest.i) continue;
      const d = link[smallest.i]![x.i]!;
      if (into === -1 || d < bestD || (d === bestD && x.g.work < groups[into]!.work)) {
        bestD = d;
        into = x.i;
      }
    }
    const a = groups[into]!;
    notes.push(`${smallest.g.members.join('+')} (work ${smallest.g.work}) joined ${a.members.join('+')}: ${tooMany ? 'more zones than trucks' : `under ${minShare} of a truck's share (${fair.toFixed(1)} bikes)`}`);
    a.members.push(...smallest.g.members);
    a.work += smallest.g.work;
    smallest.g.alive = false;
    for (let k = 0; k < D; k++) {
      const d = Math.min(link[into]![k]!, link[smallest.i]![k]!);
      link[into]![k] = d;
      link[k]![into] = d;
    }
    alive--;
  }

  // Zones in order of work (largest first); each named by its districts, the busiest first.
  const live = groups.map((g, i) => ({ g, i })).filter((x) => x.g.alive).sort((a, b) => b.g.work - a.g.work || a.g.members[0]!.localeCompare(b.g.members[0]!));
  const districtWork = new Map<string, number>();
  stations.forEach((s) => districtWork.set(s.district!, (districtWork.get(s.district!) ?? 0) + workOf(s)));
  const zoneOfGroup = new Map<number, number>();
  live.forEach((x, z) => zoneOfGroup.set(x.i, z));
  const zoneOfDistrict = new Map<string, number>();
  live.forEach((x, z) => x.g.members.forEach((m) => zoneOfDistrict.set(m, z)));
  const zones = live.map((x) => [...x.g.members].sort((p, q) => (districtWork.get(q) ?? 0) - (districtWork.get(p) ?? 0) || p.localeCompare(q)).join('+'));
  const trucksPer = allocateTrucks(live.map((x) => x.g.work), trucks);
  notes.unshift(`${D} districts -> ${live.length} zones; trucks by Sainte-Laguë on work (every zone with work gets one)`);
  return {
    method: 'district',
    zones,
    trucks: trucksPer,
    zoneOf: Int32Array.from(stations, (s) => zoneOfDistrict.get(s.district!)!),
    notes,
  };
}

/** Single-linkage distances (km) between groups of stations: the closest pair of their stations. */
export function linkDistances(stations: readonly { lat: number; lon: number }[], of: Int32Array, groups: number): number[][] {
  const p = toPlane(stations);
  const link = Array.from({ length: groups }, () => new Array<number>(groups).fill(Infinity));
  const n = stations.length;
  for (let i = 0; i < n; i++) {
    const gi = of[i]!;
    const xi = p.x[i]!;
    const yi = p.y[i]!;
    const row = link[gi]!;
    for (let j = i + 1; j < n; j++) {
      const gj = of[j]!;
      if (gj === gi) continue;
      const d = Math.hypot(p.x[j]! - xi, p.y[j]! - yi);
      if (d < row[gj]!) {
        row[gj] = d;
        link[gj]![gi] = d;
      }
    }
  }
  return link;
}
