// The simulator's two charts, through the platform chart kit (Observable Plot into linkedom, framed
// by `frame`): failures per hour by policy, and a map of where each policy's failures happened
// (stationMapOptions over the district boundaries, where the store has them).
import * as Plot from '@observablehq/plot';
import { schemeTableau10 } from 'd3-scale-chromatic';
import type { Chart } from '../platform/charts/chart.ts';
import { districtBasemap, MAP_HEIGHT, MAP_WIDTH, stationMapOptions, type DistrictShape } from '../platform/charts/basemap.ts';
import { frame, plotSvg } from '../platform/charts/svg.ts';
import { haversineKm } from '../rebalancing/planning/travel.ts';
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

/** Share of all failures the map frames when a system spreads over several cities. */
const FRAME_SHARE = 0.9;

/**
 * Which stations a failure map shows. With district boundaries, all (the districts frame the
 * city). Without, a system like Bay Wheels spreads over three cities 60 km apart and the busy one
 * would be a smudge: the map frames the stations within the radius, around the failures'
 * weighted median, that holds FRAME_SHARE of all policies' failures (at least 2 km), and says
 * what it leaves off.
 */
export function framedStations(stations: Stations, failures: ArrayLike<number>, hasDistricts: boolean): { keep: Uint8Array; radiusKm: number | null } {
  const S = stations.ids.length;
  const keep = new Uint8Array(S).fill(1);
  let total = 0;
  for (let s = 0; s < S; s++) total += failures[s]!;
  if (hasDistricts || total === 0) return { keep, radiusKm: null };
  const wmedian = (v: Float64Array) => {
    const order = Array.from({ length: S }, (_, s) => s).filter((s) => failures[s]! > 0).sort((a, b) => v[a]! - v[b]!);
    let acc = 0;
    for (const s of order) { acc += failures[s]!; if (acc >= total / 2) return v[s]!; }
    return v[order[order.length - 1]!]!;
  };
  const centre = { lat: wmedian(stations.lat), lon: wmedian(stations.lon) };
  const dist = Array.from({ length: S }, (_, s) => haversineKm(centre, { lat: stations.lat[s]!, lon: stations.lon[s]! }));
  const byDist = Array.from({ length: S }, (_, s) => s).filter((s) => failures[s]! > 0).sort((a, b) => dist[a]! - dist[b]!);
  let acc = 0;
  let radius = 0;
  for (const s of byDist) {
    acc += failures[s]!;
    radius = dist[s]!;
    if (acc >= FRAME_SHARE * total) break;
  }
  radius = Math.max(2, radius * 1.1);
  for (let s = 0; s < S; s++) keep[s] = dist[s]! <= radius ? 1 : 0;
  return { keep, radiusKm: radius };
}

export function failureMapChart(run: ChartRun, stations: Stations, r: ReplayResult, districts: readonly DistrictShape[], maxFailures: number, frame_: { keep: Uint8Array; radiusKm: number | null }): Chart {
  const dots: Array<{ lon: number; lat: number; failures: number }> = [];
  const quiet: Array<{ lon: number; lat: number }> = [];
  let offStations = 0;
  let offFailures = 0;
  for (let s = 0; s < stations.ids.length; s++) {
    const f = r.failuresByStation[s]!;
    if (!frame_.keep[s]) {
      if (f > 0) { offStations++; offFailures += f; }
      continue;
    }
    const p = { lon: stations.lon[s]!, lat: stations.lat[s]! };
    if (f > 0) dots.push({ ...p, failures: f });
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
  const framedNote = frame_.radiusKm === null ? '' : `; framed on the ${frame_.radiusKm.toFixed(1)} km around the failures' centre (${Math.round(FRAME_SHARE * 100)}% of every policy's failures), ${offFailures} failures at ${offStations} stations beyond it left off`;
  return {
    name: `failure_map_${r.policy}`,
    svg: frame({
      width,
      title: `Where riders failed under '${r.policy}': ${run.system}`,
      subtitle: [
        `Dot area grows with failed rentals + returns at the station (the same scale on every policy's map, up to ${maxFailures}); grey: no failure. ${dots.length + offStations} of ${stations.ids.length} stations had failures${top.length ? ` (the most: ${top.join(', ')})` : ''}${framedNote}`,
        `${new Date(run.from * 1000).toISOString().slice(0, 16)}Z to ${new Date(run.to * 1000).toISOString().slice(0, 16)}Z; ${run.source}`,
      ],
      panels: [{ svg, x: 0, y: 0, width, height }],
      footer: [`${r.failedRentals} failed rentals, ${r.failedReturns} failed returns${r.detours ? ` (${r.detours} riders rode on, ${r.detourKm.toFixed(1)} km extra)` : ''}, ${r.bikesMoved} bikes moved`],
    }),
  };
}

export function simulationCharts(run: ChartRun, stations: Stations, results: readonly ReplayResult[], districts: readonly DistrictShape[]): Chart[] {
  let max = 1;
  const all = new Float64Array(stations.ids.length);
  for (const r of results) r.failuresByStation.forEach((f, s) => { all[s] = all[s]! + f; if (f > max) max = f; });
  const framed = framedStations(stations, all, districts.length > 0);
  return [failuresByHourChart(run, results), ...results.map((r) => failureMapChart(run, stations, r, districts, max, framed))];
}
