// A plan as GeoJSON (RFC 7946) for maps: per truck a LineString from its start through its stops
// in order, a Point for its start, and a Point per stop carrying what happens there. Positions are
// [lon, lat] (RFC 7946 section 3.1.1), rounded to 6 decimals (about 0.1 m; section 11.2 advises
// no more precision than needed). No "crs" member: RFC 7946 coordinates are WGS 84 by definition.
// The return leg to the depot is not drawn: the plan gives when the truck is back, not where the
// depot is.
import type { Plan, PlanStop } from '../plan.ts';

type Position = [number, number];
export interface Feature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: Position } | { type: 'LineString'; coordinates: Position[] };
  properties: Record<string, string | number | null>;
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  bbox?: [number, number, number, number];
  features: Feature[];
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const pos = (p: { lat: number; lon: number }): Position => [r6(p.lon), r6(p.lat)];

export const actionOf = (s: PlanStop): { action: 'collect' | 'drop'; bikes: number } =>
  s.collect !== undefined && s.collect > 0 ? { action: 'collect', bikes: s.collect } : { action: 'drop', bikes: s.drop ?? 0 };

export function planToGeoJson(plan: Plan): FeatureCollection {
  const features: Feature[] = [];
  for (const r of plan.routes) {
    const line = [pos(r.start), ...r.stops.map(pos)];
    const zone = r.zone ?? null;
    // A LineString needs two positions (RFC 7946 3.1.4): a truck without stops has only its start.
    if (line.length >= 2) {
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: line },
        properties: { kind: 'route', truck: r.truck, zone, stops: r.stops.length, start_load: r.start_load, end: r.end, driving_minutes: r.driving_minutes, handling_minutes: r.handling_minutes },
      });
    }
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: pos(r.start) }, properties: { kind: 'start', truck: r.truck, zone, load: r.start_load } });
    r.stops.forEach((s, i) => {
      const a = actionOf(s);
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: pos(s) },
        properties: {
          kind: 'stop', truck: r.truck, zone, seq: i + 1, station_id: s.station_id, number: s.number, name: s.name,
          action: a.action, bikes: a.bikes, arrival: s.arrival, load_after: s.load_after,
          bikes_before: s.bikes_before, bikes_after: s.bikes_after, failures_before: s.failures_before, failures_after: s.failures_after,
        },
      });
    });
  }
  const out: FeatureCollection = { type: 'FeatureCollection', features };
  const all = features.flatMap((f) => (f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.coordinates));
  if (all.length) {
    const lons = all.map((p) => p[0]);
    const lats = all.map((p) => p[1]);
    out.bbox = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  }
  return out;
}
