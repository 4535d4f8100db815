// A city is small enough for a flat map: an equirectangular projection around the stations' mean
// latitude gives kilometres with under 0.1% error across Seoul (about 30 km), which is all the
// zoning needs for distances and centres.

export interface PlanePoints {
  x: Float64Array;
  y: Float64Array;
  /** The projection's origin, to map centres back to lat/lon. */
  lat0: number;
  lon0: number;
  kx: number;
  ky: number;
}

const KM_PER_DEG_LAT = 111.32;

export function toPlane(points: readonly { lat: number; lon: number }[]): PlanePoints {
  const n = points.length;
  let lat0 = 0;
  let lon0 = 0;
  for (const p of points) {
    lat0 += p.lat / n;
    lon0 += p.lon / n;
  }
  const ky = KM_PER_DEG_LAT;
  const kx = KM_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  points.forEach((p, i) => {
    x[i] = (p.lon - lon0) * kx;
    y[i] = (p.lat - lat0) * ky;
  });
  return { x, y, lat0, lon0, kx, ky };
}

export function fromPlane(p: PlanePoints, x: number, y: number): { lat: number; lon: number } {
  return { lat: p.lat0 + y / p.ky, lon: p.lon0 + x / p.kx };
}
