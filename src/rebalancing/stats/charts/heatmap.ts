// Hour of day x weekday heatmap of mean rentals per day, and the hourly profile by day type.
import * as Plot from '@observablehq/plot';
import { interpolateYlGnBu } from 'd3-scale-chromatic';
import { THIN_COVERAGE, thinHours } from '../by-hour.ts';
import type { StatsReport } from '../report.ts';
import { WEEKDAYS } from '../types.ts';
import type { Chart } from '../../../platform/charts/chart.ts';
import type { ChartContext } from './context.ts';
import { frame, plotSvg } from '../../../platform/charts/svg.ts';

const RAMP = Array.from({ length: 9 }, (_, i) => interpolateYlGnBu(i / 8));

export function heatmapChart(r: StatsReport, ctx: ChartContext): Chart | null {
  if (r.by_hour_weekday.length === 0) return null;
  const max = Math.max(...r.by_hour_weekday.map((d) => d.rentals_per_day));
  const width = 900;
  const svg = plotSvg({
    width, height: 300, marginLeft: 50, marginBottom: 40,
    x: { label: `Hour of day (${ctx.timezone})`, type: 'band', domain: Array.from({ length: 24 }, (_, i) => i) },
    y: { label: null, domain: [...WEEKDAYS] },
    color: { type: 'linear', domain: [0, max], scheme: 'ylgnbu' },
    marks: [
      Plot.cell(r.by_hour_weekday, { x: 'hour', y: 'weekday', fill: 'rentals_per_day', inset: 0.5 }),
      Plot.text(r.by_hour_weekday, {
        x: 'hour', y: 'weekday', text: (d: { rentals_per_day: number; thin: boolean }) => `${fmtShort(d.rentals_per_day)}${d.thin ? '*' : ''}`, fontSize: 9,
        fill: (d: { rentals_per_day: number }) => (d.rentals_per_day > max * 0.6 ? 'white' : 'black'),
      }),
    ],
  } as Plot.PlotOptions);
  return {
    name: 'heatmap_hour_weekday',
    svg: frame({
      width,
      title: `Rentals per day by hour and weekday: ${ctx.system}`,
      subtitle: [
        `Mean rentals in each hour over the observed time of the days of that weekday; hours in ${ctx.timezone}; ${ctx.span}; source: ${r.sources.usage}`,
        ...(r.by_hour_weekday.some((d) => d.thin) ? [`* coverage thin: under ${pct(THIN_COVERAGE)} of the cell's hours observed (feed outages); its mean rests on fewer hours`] : []),
      ],
      legends: [{ kind: 'ramp', label: 'rentals per day in that hour', colors: RAMP, min: 0, max }],
      panels: [{ svg, x: 0, y: 0, width, height: 300 }],
    }),
  };
}

export function dayTypeProfileChart(r: StatsReport, ctx: ChartContext): Chart | null {
  if (r.by_hour_daytype.length === 0) return null;
  const width = 900;
  const colors: Record<string, string> = { weekday: '#1f77b4', weekend: '#ff7f0e', holiday: '#d62728' };
  const types = [...new Set(r.by_hour_daytype.map((d) => d.day_type))];
  const thinBands = [...new Set(r.by_hour_daytype.filter((d) => d.thin).map((d) => d.hour))].map((h) => ({ x1: h - 0.5, x2: h + 0.5 }));
  const thin = thinHours(r.by_hour_daytype);
  const svg = plotSvg({
    width, height: 340, marginLeft: 60, marginBottom: 40, grid: true,
    x: { label: `Hour of day (${ctx.timezone})`, domain: [0, 23], ticks: 24 },
    y: { label: 'Rentals per day in that hour', zero: true },
    color: { domain: types, range: types.map((t) => colors[t]!) },
    marks: [
      // Thin coverage: a grey band behind the hours, a ring round the point.
      Plot.rect(thinBands, { x1: 'x1', x2: 'x2', fill: '#999', fillOpacity: 0.18 }),
      Plot.lineY(r.by_hour_daytype, { x: 'hour', y: 'rentals_per_day', stroke: 'day_type', strokeWidth: 2 }),
      Plot.dot(r.by_hour_daytype, { x: 'hour', y: 'rentals_per_day', fill: 'day_type', r: 2.5 }),
      Plot.dot(r.by_hour_daytype.filter((d) => d.thin), { x: 'hour', y: 'rentals_per_day', stroke: 'black', r: 6, strokeWidth: 1.2 }),
    ],
  } as Plot.PlotOptions);
  const days = Object.fromEntries(r.by_hour_daytype.map((d) => [d.day_type, d.days]));
  return {
    name: 'hourly_profile_by_day_type',
    svg: frame({
      width,
      title: `Hourly usage by day type: ${ctx.system}`,
      subtitle: [
        `Mean rentals per day in each hour, over observed time only; hours in ${ctx.timezone}; ${ctx.span}; source: ${r.sources.usage}`,
        ...(thin ? [`Grey band, ringed points: coverage thin (under ${pct(THIN_COVERAGE)} of the hours observed, feed outages): ${thin}`] : []),
      ],
      legends: [{ kind: 'swatches', items: types.map((t) => ({ label: `${t} (${days[t]} days)`, color: colors[t]! })) }],
      panels: [{ svg, x: 0, y: 0, width, height: 340 }],
      footer: [`Holidays: public holidays of ${r.country ?? 'no country'} (substitute and lunar holidays included); they count as holidays whatever the weekday.`],
    }),
  };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function fmtShort(x: number): string {
  if (x >= 10_000) return `${Math.round(x / 1000)}k`;
  if (x >= 1000) return `${(x / 1000).toFixed(1)}k`;
  if (x >= 10) return String(Math.round(x));
  return x.toFixed(1);
}
