// The report of a zone set: per zone its stations, trucks, imbalance and work; for the set how
// balanced (work per truck against the fleet's mean) and how compact (work-weighted radius) it is.
import { fromPlane, toPlane } from './plane.ts';
import { workOf, type ZoneAssignment, type ZoneSetReport, type ZoneStation, type ZoneSummary } from './types.ts';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function summarise(stations: readonly ZoneStation[], a: ZoneAssignment): ZoneSetReport {
  const K = a.zones.length;
  const p = toPlane(stations);
  const acc = Array.from({ length: K }, () => ({ n: 0, short: 0, over: 0, work: 0, failures: 0, sx: 0, sy: 0, sw: 0, mx: 0, my: 0 }));
  stations.forEach((s, i) => {
    const z = acc[a.zoneOf[i]!]!;
    const w = workOf(s);
    z.n++; z.short += s.bring; z.over += s.take; z.work += w; z.failures += s.failures;
    z.sx += w * p.x[i]!; z.sy += w * p.y[i]!; z.sw += w;
    z.mx += p.x[i]!; z.my += p.y[i]!;
  });
  // Centre: the work centre, or the plain mean for a zone without work.
  const cx = acc.map((z) => (z.sw > 0 ? z.sx / z.sw : z.n ? z.mx / z.n : 0));
  const cy = acc.map((z) => (z.sw > 0 ? z.sy / z.sw : z.n ? z.my / z.n : 0));
  const rad = new Float64Array(K);
  stations.forEach((s, i) => {
    const k = a.zoneOf[i]!;
    rad[k]! += workOf(s) * Math.hypot(p.x[i]! - cx[k]!, p.y[i]! - cy[k]!);
  });
  const totalWork = acc.reduce((x, z) => x + z.work, 0);
  const trucks = a.trucks.reduce((x, t) => x + t, 0);
  const mean = trucks ? totalWork / trucks : 0;
  let imbalance = 0;
  let unserved = 0;
  const zones: ZoneSummary[] = acc.map((z, k) => {
    const t = a.trucks[k]!;
    if (t > 0 && mean > 0) imbalance = Math.max(imbalance, Math.abs(z.work / t / mean - 1));
    if (t === 0) unserved += z.work;
    const c = fromPlane(p, cx[k]!, cy[k]!);
    return {
      zone: a.zones[k]!,
      stations: z.n,
      trucks: t,
      bikes_short: z.short,
      bikes_over: z.over,
      work: z.work,
      work_per_truck: t ? round(z.work / t, 1) : 0,
      expected_failures: round(z.failures, 2),
      radius_km: round(z.sw > 0 ? rad[k]! / z.sw : 0, 2),
      lat: round(c.lat, 6),
      lon: round(c.lon, 6),
    };
  });
  const meanRadius = totalWork > 0 ? rad.reduce((x, r) => x + r, 0) / totalWork : 0;
  return { method: a.method, trucks, zones, imbalance: round(imbalance, 3), mean_radius_km: round(meanRadius, 2), unserved_work: unserved, notes: a.notes };
}
