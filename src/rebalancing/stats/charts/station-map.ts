// Stations coloured by imbalance class over the district boundaries (Seoul's 25 자치구).
import * as Plot from '@observablehq/plot';
import type { StatsReport } from '../report.ts';
import type { Chart } from '../../../platform/charts/chart.ts';
import type { ChartContext } from './context.ts';
import { districtBasemap, MAP_HEIGHT, MAP_WIDTH, stationMapOptions, type DistrictShape } from '../../../platform/charts/basemap.ts';
import { frame, plotSvg } from '../../../platform/charts/svg.ts';


const CLASS_COLORS = { source: '#b2182b', sink: '#2166ac', balanced: '#bbbbbb' } as const;

export function stationMapChart(r: StatsReport, ctx: ChartContext, districts: readonly DistrictShape[]): Chart | null {
  const placed = r.stations.filter((s) => s.lat !== null && s.lon !== null);
  if (placed.length === 0) return null;
  // Balanced first so that the classified stations are drawn on top.
  const rank = { balanced: 0, sink: 1, source: 2 } as const;
  const dots = [...placed].sort((a, b) => rank[a.class] - rank[b.class]);
  const base = districtBasemap(districts, placed.map((s) => ({ lon: s.lon!, lat: s.lat! })), { names: ctx.korean });
  const width = MAP_WIDTH, height = MAP_HEIGHT;
  const maxVol = Math.max(...placed.map((s) => s.pickups + s.returns));
  const svg = plotSvg(stationMapOptions(base,
    Plot.dot(dots, { x: 'lon', y: 'lat', r: (d: { pickups: number; returns: number }) => d.pickups + d.returns, fill: (d: { class: keyof typeof CLASS_COLORS }) => CLASS_COLORS[d.class], fillOpacity: 0.85, stroke: 'white', strokeWidth: 0.3 }),
    [1.2, 6], maxVol, [base.names]));
  const c = r.summary.classes;
  const unplaced = r.stations.length - placed.length;
  return {
    name: 'station_classes_map',
    svg: frame({
      width,
      title: `Station imbalance classes: ${ctx.system}`,
      subtitle: [
        `Dot area grows with pickups + returns; ${placed.length} stations placed${unplaced ? ` (${unplaced} without coordinates left off)` : ''}${districts.length ? `, over ${districts.length} district boundaries` : ''}`,
        `${ctx.span}; source: ${r.sources.stations}`,
      ],
      legends: [{ kind: 'swatches', items: [
        { label: `source: drains (${c.source})`, color: CLASS_COLORS.source },
        { label: `sink: fills up (${c.sink})`, color: CLASS_COLORS.sink },
        { label: `balanced (${c.balanced})`, color: CLASS_COLORS.balanced },
      ] }],
      panels: [{ svg, x: 0, y: 0, width, height }],
      footer: [`Rule: ${r.rule.text}`],
    }),
  };
}
