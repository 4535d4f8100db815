// The simulator's two charts, through the platform chart kit (Observable Plot into linkedom, framed
// by `frame`): failures per hour by policy, and a map of where each policy's failures happened
// (stationMapOptions over the district boundaries, where the store has them).
import * as Plot from '@observablehq/plot';
import { schemeTableau10 } from 'd3-scale-chromatic';
import type { Chart } from '../platform/charts/chart.ts';
import { districtBasemap, MAP_HEIGHT, MAP_WIDTH, stationMapOptions, type DistrictShape } from '../platform/charts/basemap.ts';
import { frame, plotSvg } from '../platform/charts/svg.ts';
import type { ReplayResult } from './replay.ts';
import type { Stations } from './world.ts';

export interface ChartRun {
  system: string;
  /** Epoch seconds. */
  from: number;
  to: number;
  timeZone: string;
  demand: 'status' | 'trips';
  /** One line saying what the demand is (and what of it is generated). */
  source: string;
}

const colourOf = (k: number) => schemeTableau10[k % schemeTableau10.length]!;

/** Local wall-clock time of an instant as a Date whose UTC fields read as local (Plot draws UTC). */
function localDate(t: number, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t * 1000));
  const v = (k: string) => parts.find((p) => p.type === k)!.value;
  return new Date(`${v('year')}-${v('month')}-${v('day')}T${v('hour')}:${v('minute')}:00Z`);
}

export function failuresByHourChart(run: ChartRun, results: readonly ReplayResult[]): Chart {
  const rows: Array<{ at: Date; failures: number; policy: string }> = [];
  for (const r of results) r.failuresByHour.forEach((f, h) => rows.push({ at: localDate(run.from + h * 3600, run.timeZone), failures: f, policy: r.policy }));
  const policies = results.map((r) => r.policy);
  const width = 900;
  const height = 380;
  const svg = plotSvg({
    width, height, marginLeft: 50, marginBottom: 40,
    x: { type: 'utc', label: `hour starting (local time, ${run.timeZone})` },
    y: { label: 'failed rentals + returns', grid: true, zero: true },
    color: { domain: policies, range: policies.map((_, k) => colourOf(k)) },
    marks: [Plot.line(rows, { x: 'at', y: 'failures', stroke: 'policy', strokeWidth: 1.4, curve: 'step-after' }), Plot.ruleY([0])],
  } as Plot.PlotOptions);
  return {
    name: 'failures_by_hour',
    svg: frame({
      width,
      title: `Failed rentals + returns per hour by policy: ${run.system}`,
      subtitle: [
        `${new Date(run.from * 1000).toISOString().slice(0, 16)}Z to ${new Date(run.to * 1000).toISOString().slice(0, 16)}Z; the same ${run.demand} demand and fleet for every policy`,
        run.source,
      ],
      legends: [{ kind: 'swatches', items: results.map((r, k) => ({ label: `${r.policy}: ${r.failedRentals} rentals + ${r.failedReturns} returns failed`, color: colourOf(k) })) }],
      panels: [{ svg, x: 0, y: 0, width, height }],
    }),
  };
}

export function failureMapChart(run: ChartRun, stations: Stations, r: ReplayResult, districts: readonly DistrictShape[], maxFailures: number): Chart {
  const dots: Array<{ lon: number; lat: number; failures: number }> = [];
  const quiet: Array<{ lon: number; lat: number }> = [];
  for (let s = 0; s < stations.ids.length; s++) {
    const p = { lon: stations.lon[s]!, lat: stations.lat[s]! };
    if (r.failuresByStation[s]! > 0) dots.push({ ...p, failures: r.failuresByStation[s]! });
    else quiet.push(p);
  }
  dots.sort((a, b) => b.failures - a.failures);
  const all = [...dots, ...quiet];
  const base = districtBasemap(districts, all, { names: false, stroke: '#aaa', strokeWidth: 0.6 });
  const width = MAP_WIDTH;
  const height = MAP_HEIGHT;
  const svg = plotSvg(stationMapOptions(base,
    Plot.dot(dots, { x: 'lon', y: 'lat', r: 'failures', fill: '#c0392b', fillOpacity: 0.6, stroke: 'white', strokeWidth: 0.4 }),
    [1.5, 14], Math.max(1, maxFailures),
    [Plot.dot(quiet, { x: 'lon', y: 'lat', r: 1, fill: '#777', fillOpacity: 0.5 })]));
  const top = dots.slice(0, 3).map((d) => d.failures);
  return {
    name: `failure_map_${r.policy}`,
    svg: frame({
      width,
      title: `Where riders failed under '${r.policy}': ${run.system}`,
      subtitle: [
        `Dot area grows with failed rentals + returns at the station (the same scale on every policy's map, up to ${maxFailures}); grey: no failure. ${dots.length} of ${stations.ids.length} stations had failures${top.length ? ` (the most: ${top.join(', ')})` : ''}`,
        `${new Date(run.from * 1000).toISOString().slice(0, 16)}Z to ${new Date(run.to * 1000).toISOString().slice(0, 16)}Z; ${run.source}`,
      ],
      panels: [{ svg, x: 0, y: 0, width, height }],
      footer: [`${r.failedRentals} failed rentals, ${r.failedReturns} failed returns${r.detours ? ` (${r.detours} riders rode on, ${r.detourKm.toFixed(1)} km extra)` : ''}, ${r.bikesMoved} bikes moved`],
    }),
  };
}

export function simulationCharts(run: ChartRun, stations: Stations, results: readonly ReplayResult[], districts: readonly DistrictShape[]): Chart[] {
  let max = 1;
  for (const r of results) for (const f of r.failuresByStation) if (f > max) max = f;
  return [failuresByHourChart(run, results), ...results.map((r) => failureMapChart(run, stations, r, districts, max))];
}
