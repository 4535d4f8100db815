// A station far outside its system's area (issue 20, 5): a place no truck or rider of the system
// reaches, nearly always a wrong coordinate (a sign lost, lat and lon swapped, a test entry). The
// system's area is its own stations': a station is a stray when it is far from their centre
// (component-wise median, which a few strays do not move) AND far from every other station. The
// second test keeps a real outlying cluster (Bay Wheels' San Jose, ~65 km from San Francisco)
// while a lone misplaced station is caught.
import { metresBetween } from './in-service.ts';

export const STRAY_FROM_CENTRE_KM = 50;
export const STRAY_FROM_NEAREST_KM = 20;

export interface Stray {
  index: number;
  kmFromCentre: number;
  kmToNearest: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The stations (by index) that stand far outside the area the others cover. */
export function strayStations(points: readonly { lat: number; lon: number }[], fromCentreKm = STRAY_FROM_CENTRE_KM, fromNearestKm = STRAY_FROM_NEAREST_KM): Stray[] {
  if (points.length < 3) return [];
  const cLat = median(points.map((p) => p.lat));
  const cLon = median(points.map((p) => p.lon));
  const out: Stray[] = [];
  points.forEach((p, i) => {
    const fromCentre = metresBetween(cLat, cLon, p.lat, p.lon) / 1000;
    if (fromCentre <= fromCentreKm) return;
    let nearest = Infinity;
    for (let j = 0; j < points.length && nearest > fromNearestKm; j++) {
      if (j !== i) nearest = Math.min(nearest, metresBetween(p.lat, p.lon, points[j]!.lat, points[j]!.lon) / 1000);
    }
    if (nearest > fromNearestKm) out.push({ index: i, kmFromCentre: fromCentre, kmToNearest: nearest });
  });
  return out;
}
