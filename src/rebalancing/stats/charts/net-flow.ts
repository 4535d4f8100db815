// Net flow (returns - pickups) per day by hour of day for the most imbalanced stations, one small
// panel each: bars above zero fill the station, below zero drain it.
import * as Plot from '@observablehq/plot';
import type { NetByHourRow } from '../net-by-hour.ts';
import type { StatsReport } from '../report.ts';
import { safeLabel, type Chart } from '../../../platform/charts/chart.ts';
import type { ChartContext } from './context.ts';
import { frame, plotSvg, type Panel } from '../../../platform/charts/svg.ts';

export function netFlowChart(r: StatsReport, ctx: ChartContext): Chart | null {
  if (r.station_net_by_hour.length === 0) return null;
  const ids = [...new Set(r.station_net_by_hour.map((x) => x.station_id))];
  const order = new Map(r.stations.map((s, i) => [s.station_id, i]));
  ids.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const byId = new Map(r.stations.map((s) => [s.station_id, s]));
  const lim = Math.max(0.5, ...r.station_net_by_hour.map((x) => Math.abs(x.net_per_day))) * 1.05;
  const cols = 2;
  const pw = 440;
  const ph = 170;
  const panels: Panel[] = ids.map((id, i) => {
    const s = byId.get(id);
    const name = safeLabel(s?.name, ctx.korean);
    const title = `${id}${name ? ` ${name}` : ''}: ${s?.class ?? ''}, net ${s?.net ?? ''}`;
    const rows = r.station_net_by_hour.filter((x) => x.station_id === id);
    return { svg: panel(rows, title, lim, pw, ph, ctx.timezone), x: (i % cols) * (pw + 10) + 10, y: Math.floor(i / cols) * (ph + 6), width: pw, height: ph };
  });
  return {
    name: 'net_flow_top_stations',
    svg: frame({
      width: cols * pw + 30,
      title: `Net flow by hour, most imbalanced stations: ${ctx.system}`,
      subtitle: [
        'Bikes per day: returns - pickups in each hour, averaged over the days with data (above 0 fills, below 0 drains)',
        `Hours in ${ctx.timezone}; ${ctx.span}; source: ${r.sources.stations}`,
      ],
      legends: [{ kind: 'swatches', items: [{ label: 'more returns (fills)', color: '#2166ac', shape: 'rect' }, { label: 'more pickups (drains)', color: '#b2182b', shape: 'rect' }] }],
      panels,
      footer: [`Class rule: ${r.rule.text}`],
    }),
  };
}

function panel(rows: NetByHourRow[], title: string, lim: number, w: number, h: number, tz: string): string {
  return plotSvg({
    width: w, height: h, marginLeft: 44, marginTop: 22, marginBottom: 34,
    x: { label: `Hour (${tz})`, type: 'band', domain: Array.from({ length: 24 }, (_, i) => i), tickFormat: (d: number) => (d % 3 === 0 ? String(d) : '') },
    y: { label: null, domain: [-lim, lim], grid: true },
    marks: [
      Plot.barY(rows, { x: 'hour', y: 'net_per_day', fill: (d: NetByHourRow) => (d.net_per_day >= 0 ? '#2166ac' : '#b2182b') }),
      Plot.ruleY([0]),
      Plot.text([title], { frameAnchor: 'top-left', dy: -14, dx: 2, fontSize: 11, fontWeight: 'bold' }),
    ],
  } as Plot.PlotOptions);
}
