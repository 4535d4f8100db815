// Month-by-month rentals, one line per source (station-months, city-wide series, trips, status).
import * as Plot from '@observablehq/plot';
import type { MonthRow } from '../monthly.ts';
import type { StatsReport } from '../report.ts';
import type { Chart } from '../../../platform/charts/chart.ts';
import type { ChartContext } from './context.ts';
import { frame, plotSvg } from '../../../platform/charts/svg.ts';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

export function monthlyChart(r: StatsReport, ctx: ChartContext): Chart | null {
  if (r.monthly.length < 2) return null;
  const sources = [...new Set(r.monthly.map((m) => m.source))];
  const rows = r.monthly.map((m) => ({ ...m, date: new Date(`${m.month}-01T00:00:00Z`) }));
  const width = 900;
  const svg = plotSvg({
    width, height: 320, marginLeft: 70, marginBottom: 40, grid: true,
    x: { label: 'Month', type: 'utc' },
    y: { label: 'Rentals per month', zero: true },
    color: { domain: sources, range: PALETTE },
    marks: [
      Plot.lineY(rows, { x: 'date', y: 'rentals', stroke: 'source', z: 'source', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'date', y: 'rentals', fill: 'source', r: 2.5 }),
    ],
  } as Plot.PlotOptions);
  const months = (s: string) => r.monthly.filter((m: MonthRow) => m.source === s);
  return {
    name: 'monthly_trend',
    svg: frame({
      width,
      title: `Rentals month by month: ${ctx.system}`,
      subtitle: [`Local calendar months (${ctx.timezone}); one line per data source; months without data are not drawn`],
      legends: [{ kind: 'swatches', items: sources.map((s, i) => ({ label: `${s} (${months(s)[0]!.month} to ${months(s).at(-1)!.month})`, color: PALETTE[i % PALETTE.length]! })) }],
      panels: [{ svg, x: 0, y: 0, width, height: 320 }],
    }),
  };
}
