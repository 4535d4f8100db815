// The zone map: stations coloured by zone over the district boundaries, each zone labelled at its
// work centre with its trucks. Drawn with the statistics' chart stack (Observable Plot into
// linkedom, framed by `frame`, PNG by resvg). Neighbouring zones get different colours: a greedy
// colouring of the graph of zones whose stations come within NEIGHBOUR_KM of each other.
import * as Plot from '@observablehq/plot';
import { schemeTableau10 } from 'd3-scale-chromatic';
import { safeLabel } from '../../../platform/charts/chart.ts';
import { districtBasemap, MAP_HEIGHT, MAP_WIDTH, stationMapOptions } from '../../../platform/charts/basemap.ts';
import { frame, plotSvg } from '../../../platform/charts/svg.ts';
import type { DistrictShape } from '../../../platform/charts/basemap.ts';
import { linkDistances } from './district.ts';
import type { ZoneAssignment, ZoneSetReport, ZoneStation } from './types.ts';

const NEIGHBOUR_KM = 1.0;
// Ten well-separated colours plus two more, so that a zone with many neighbours still finds one.
const PALETTE = [...schemeTableau10, '#1b9e77', '#7570b3'];

/** A colour index per zone, different between neighbours where the palette allows. */
export function colourZones(stations: readonly ZoneStation[], a: ZoneAssignment): number[] {
  const K = a.zones.length;
  const link = linkDistances(stations, a.zoneOf, K);
  const degree = link.map((row) => row.filter((d) => d < NEIGHBOUR_KM).length);
  const order = [...Array(K).keys()].sort((x, y) => degree[y]! - degree[x]! || x - y);
  const colour = new Array<number>(K).fill(-1);
  const count = new Array<number>(PALETTE.length).fill(0);
  for (const k of order) {
    const used = new Set<number>();
    for (let j = 0; j < K; j++) if (j !== k && link[k]![j]! < NEIGHBOUR_KM && colour[j]! >= 0) used.add(colour[j]!);
    // Among the colours free of neighbours, the least used so far: the whole palette gets used.
    let c = -1;
    for (let q = 0; q < PALETTE.length; q++) if (!used.has(q) && (c < 0 || count[q]! < count[c]!)) c = q;
    if (c < 0) c = k % PALETTE.length;
    colour[k] = c;
    count[c]! += 1;
  }
  return colour;
}

export interface ZoneMapInput {
  system: string;
  name: string;
  stations: readonly ZoneStation[];
  assignment: ZoneAssignment;
  report: ZoneSetReport;
  districts: readonly DistrictShape[];
  /** Where the work figures come from (the target run), for the subtitle. */
  source: string;
  korean: boolean;
}

export function zoneMapSvg(m: ZoneMapInput): string {
  const colour = colourZones(m.stations, m.assignment);
  const dots = m.stations.map((s, i) => ({ lon: s.lon, lat: s.lat, work: s.bring + s.take, fill: PALETTE[colour[m.assignment.zoneOf[i]!]!]! }));
  const base = districtBasemap(m.districts, m.stations, { names: false, stroke: '#999', strokeWidth: 0.7 });
  const labels = m.report.zones.map((z) => ({ lon: z.lon, lat: z.lat, text: `${labelOf(z.zone, m.korean)} (${z.trucks})` }));
  const width = MAP_WIDTH, height = MAP_HEIGHT;
  const maxWork = Math.max(1, ...dots.map((d) => d.work));
  const svg = plotSvg(stationMapOptions(base,
    Plot.dot(dots, { x: 'lon', y: 'lat', r: (d: { work: number }) => Math.max(d.work, maxWork * 0.05), fill: 'fill', fillOpacity: 0.9, stroke: 'white', strokeWidth: 0.25 }),
    [1.1, 5], maxWork,
    [Plot.text(labels, { x: 'lon', y: 'lat', text: 'text', fontSize: 10, fontWeight: 'bold', fill: '#111', stroke: 'white', strokeWidth: 3, paintOrder: 'stroke' })]));
  const r = m.report;
  return frame({
    width,
    title: `Zones '${m.name}' of ${m.system}: ${r.zones.length} zones for ${r.trucks} trucks (${r.method})`,
    subtitle: [
      `Stations coloured by zone (neighbouring zones differ); dot area grows with the bikes to move (bring + take); label: zone (trucks)${m.districts.length ? `; over ${m.districts.length} district boundaries` : ''}`,
      `Work per truck within ${(100 * r.imbalance).toFixed(0)}% of the fleet's mean; work-weighted mean radius ${r.mean_radius_km.toFixed(2)} km; work from ${m.source}`,
    ],
    panels: [{ svg, x: 0, y: 0, width, height }],
    footer: r.notes.slice(0, 3).map((n) => safeLabel(n, m.korean)),
  });
}

/** Zone names are district names under the district method: ASCII-only fonts drop them. */
function labelOf(zone: string, korean: boolean): string {
  const l = safeLabel(zone, korean).replace(/^\++|\++$/g, '');
  return l || '?';
}
