// Every chart of the report that its data allows (a chart with nothing to show is left out).
import type { StatsReport } from '../report.ts';
import type { Chart } from '../../../platform/charts/chart.ts';
import { chartContext } from './context.ts';
import { dayTypeProfileChart, heatmapChart } from './heatmap.ts';
import { monthlyChart } from './monthly-trend.ts';
import { netFlowChart } from './net-flow.ts';
import type { DistrictShape } from '../../../platform/charts/basemap.ts';
import { stationMapChart } from './station-map.ts';
import { weatherChart } from './weather-response.ts';

export function buildCharts(r: StatsReport, districts: readonly DistrictShape[], korean: boolean): Chart[] {
  const ctx = chartContext(r, korean);
  return [
    heatmapChart(r, ctx),
    dayTypeProfileChart(r, ctx),
    weatherChart(r, ctx),
    netFlowChart(r, ctx),
    stationMapChart(r, ctx, districts),
    monthlyChart(r, ctx),
  ].filter((c): c is Chart => c !== null);
}
