// The base of every station map (stats classes, targets classes, zones): the district boundaries,
// a Mercator projection fitted to them (to the stations when there are none), and the districts'
// names at their centroids.
import * as Plot from '@observablehq/plot';

export interface DistrictShape {
  name: string | null;
  geometry: unknown;
}

export interface Basemap {
  projection: { type: 'mercator'; domain: unknown; inset: number };
  /** Draw first (under the stations); null without districts. */
  boundaries: Plot.Markish;
  /** Draw last (over the stations); null without districts or when names are not wanted. */
  names: Plot.Markish;
}

export function districtBasemap(
  districts: readonly DistrictShape[],
  places: readonly { lon: number; lat: number }[],
  opts: { names: boolean; stroke?: string; strokeWidth?: number },
): Basemap {
  const features = { type: 'FeatureCollection', features: districts.map((d) => ({ type: 'Feature', properties: { name: d.name }, geometry: d.geometry })) };
  const points = { type: 'MultiPoint', coordinates: places.map((s) => [s.lon, s.lat]) };
  const has = districts.length > 0;
  return {
    projection: { type: 'mercator', domain: has ? features : points, inset: 10 },
    boundaries: has ? Plot.geo(features, { fill: '#f4f4f0', stroke: opts.stroke ?? '#888', strokeWidth: opts.strokeWidth ?? 0.8 }) : null,
    names: opts.names && has ? Plot.text(features.features, Plot.centroid({ text: (d: { properties: { name: string | null } }) => d.properties.name, fontSize: 10, fill: '#555' })) : null,
  };
}

/** The size every station map is drawn at. */
export const MAP_WIDTH = 820;
export const MAP_HEIGHT = 680;

/**
 * The plot options of a station map: the basemap's projection, its boundaries under `dots` (sized
 * by their `r` channel over [0, rMax] into `rRange` pixels) and `over` (labels, the names) on top.
 */
export function stationMapOptions(base: Basemap, dots: Plot.Markish, rRange: [number, number], rMax: number, over: Plot.Markish[]): Plot.PlotOptions {
  return {
    width: MAP_WIDTH, height: MAP_HEIGHT, margin: 10,
    projection: base.projection,
    r: { range: rRange, domain: [0, rMax] },
    marks: [base.boundaries, dots, ...over],
  } as Plot.PlotOptions;
}
