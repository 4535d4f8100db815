// The targets' charts, drawn with the stats stage's chart stack (Observable Plot into linkedom,
// framed by platform/charts/svg.ts, PNG by resvg):
// - a station's failure curve: expected failed rentals, failed returns and their sum over the
//   horizon against the bikes it starts with, the target interval shaded, the current bikes marked;
//   below it the risk P(empty) + P(full) that defines the interval, against 1 - service;
// - a map of the stations coloured by class (shortage / surplus / balanced) over the districts.
import * as Plot from '@observablehq/plot';
import { safeLabel, type Chart } from '../../platform/charts/chart.ts';
import { districtBasemap, MAP_HEIGHT, MAP_WIDTH, stationMapOptions, type DistrictShape } from '../../platform/charts/basemap.ts';
import { frame, plotSvg } from '../../platform/charts/svg.ts';
import type { TargetClass } from './classify.ts';
import type { FailureCurve } from './failure-curve.ts';

export interface TargetsChartContext {
  system: string;
  /** ISO time of `current` and the horizon's start. */
  at: string;
  horizonMinutes: number;
  service: number;
  rates: string;
  capacityPolicy: string;
  runId: string;
  /** Whether Korean text can be drawn. */
  korean: boolean;
}

export interface CurveStation {
  station_id: string;
  name: string | null;
  capacity: number;
  racks: number | null;
  current: number | null;
  min: number;
  max: number;
  feasible: boolean;
  class: TargetClass | null;
  curve: FailureCurve;
  p_empty: readonly number[];
  p_full: readonly number[];
}

const COLORS = { rentals: '#b2182b', returns: '#2166ac', total: '#9a9a9a', interval: '#1b9e77' } as const;

const bikes = (n: number) => `${n} bike${n === 1 ? '' : 's'}`;

function horizonText(c: TargetsChartContext): string {
  const h = c.horizonMinutes / 60;
  return `${Number.isInteger(h) ? `${h} h` : `${c.horizonMinutes} min`} from ${c.at.replace('.000Z', 'Z')}`;
}

export function failureCurveChart(s: CurveStation, ctx: TargetsChartContext): Chart {
  const C = s.capacity;
  const width = 760;
  const rows = s.curve.total.map((_, n) => ({ n, rentals: s.curve.rentals[n]!, returns: s.curve.returns[n]!, total: s.curve.total[n]! }));
  const risk = s.p_empty.map((e, n) => ({ n, empty: e, full: s.p_full[n]!, sum: Math.min(1, e + s.p_full[n]!) }));
  const band = [{ x1: s.min - 0.5, x2: s.max + 0.5 }];
  const current = s.current === null ? [] : [Math.min(s.current, C)];
  const x = { label: 'Bikes at the start of the horizon', domain: [-0.5, C + 0.5] };
  const yMax = Math.max(0.05, ...rows.map((r) => r.total)) * 1.08;
  const top = plotSvg({
    width, height: 300, marginLeft: 52, marginTop: 16, marginBottom: 36,
    x, y: { label: 'Expected failures over the horizon', domain: [0, yMax], grid: true },
    marks: [
      Plot.rectX(band, { x1: 'x1', x2: 'x2', y1: 0, y2: yMax, fill: COLORS.interval, fillOpacity: 0.15 }),
      Plot.ruleX(current, { stroke: '#555', strokeDasharray: '4,3' }),
      // The sum wide and grey underneath, so that the part it is made of stays visible on top.
      Plot.line(rows, { x: 'n', y: 'total', stroke: COLORS.total, strokeWidth: 5, strokeOpacity: 0.8 }),
      Plot.line(rows, { x: 'n', y: 'rentals', stroke: COLORS.rentals, strokeWidth: 1.5 }),
      Plot.line(rows, { x: 'n', y: 'returns', stroke: COLORS.returns, strokeWidth: 1.5 }),
      Plot.dot(rows, { x: 'n', y: 'total', r: 1.6, fill: '#333' }),
      current.length ? Plot.text(current, { x: (d: number) => d, y: yMax, text: () => `now ${bikes(s.current!)}`, dy: 8, dx: current[0]! > C / 2 ? -4 : 4, textAnchor: current[0]! > C / 2 ? 'end' : 'start', fontSize: 10, fill: '#333' }) : null,
    ],
  } as Plot.PlotOptions);
  const alpha = 1 - ctx.service;
  const bottom = plotSvg({
    width, height: 210, marginLeft: 52, marginTop: 22, marginBottom: 36,
    x, y: { label: 'P(runs empty / full)', domain: [0, 1], grid: true },
    marks: [
      Plot.rectX(band, { x1: 'x1', x2: 'x2', y1: 0, y2: 1, fill: COLORS.interval, fillOpacity: 0.15 }),
      Plot.ruleY([alpha], { stroke: COLORS.interval, strokeDasharray: '5,3' }),
      Plot.text([alpha], { x: C + 0.5, y: alpha, text: () => `1 - service = ${Number(alpha.toFixed(4))}`, textAnchor: 'end', dy: -6, fontSize: 10, fill: COLORS.interval }),
      Plot.ruleX(current, { stroke: '#555', strokeDasharray: '4,3' }),
      Plot.line(risk, { x: 'n', y: 'sum', stroke: COLORS.total, strokeWidth: 5, strokeOpacity: 0.8 }),
      Plot.line(risk, { x: 'n', y: 'empty', stroke: COLORS.rentals, strokeWidth: 1.5 }),
      Plot.line(risk, { x: 'n', y: 'full', stroke: COLORS.returns, strokeWidth: 1.5 }),
    ],
  } as Plot.PlotOptions);
  const name = safeLabel(s.name, ctx.korean);
  const cap = s.racks !== null && s.racks !== C ? `capacity ${C} in the model (${s.racks} racks, ${ctx.capacityPolicy})` : `capacity ${C} (${ctx.capacityPolicy})`;
  const cls = s.class === null ? 'no status at the start' : `${s.class}${s.current === null ? '' : `: ${bikes(s.current)} now`}`;
  return {
    name: `failure_curve_${s.station_id.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    svg: frame({
      width,
      title: `Failure curve: ${name || `station ${s.station_id}`}`,
      subtitle: [
        `Station ${s.station_id}, ${ctx.system}, ${horizonText(ctx)}; service level ${ctx.service}; ${cap}; rates: ${ctx.rates}`,
        `Target interval [${s.min}, ${s.max}]${s.feasible ? '' : ' (no start meets the service level: the least risky start)'}; ${cls}; fewest expected failures at ${bikes(s.curve.best)}`,
      ],
      legends: [{ kind: 'swatches', items: [
        { label: 'failed rentals (station empty)', color: COLORS.rentals, shape: 'rect' },
        { label: 'failed returns (station full)', color: COLORS.returns, shape: 'rect' },
        { label: 'sum', color: COLORS.total, shape: 'rect' },
        { label: 'target interval', color: '#c6e8dd', shape: 'rect' },
      ] }],
      panels: [{ svg: top, x: 0, y: 0, width, height: 300 }, { svg: bottom, x: 0, y: 306, width, height: 210 }],
      footer: [
        'Exact time-varying birth-death process on 0..capacity (not sampled), averaged over the forecast spread. Top: expected failed rentals and returns over the horizon by starting bikes. Bottom: the probability of running empty (red), full (blue) and their sum (grey); the interval is where the sum stays within 1 - service.',
        `Run ${ctx.runId}.`,
      ],
    }),
  };
}

export interface MapStation {
  station_id: string;
  lat: number | null;
  lon: number | null;
  class: TargetClass | null;
  bring: number;
  take: number;
}

const CLASS_COLORS: Record<TargetClass | 'none', string> = { shortage: '#b2182b', surplus: '#2166ac', balanced: '#bbbbbb', none: '#ffffff' };

export function classMapChart(stations: readonly MapStation[], districts: readonly DistrictShape[], ctx: TargetsChartContext): Chart | null {
  const placed = stations.filter((s) => s.lat !== null && s.lon !== null && Number.isFinite(s.lat) && Number.isFinite(s.lon));
  if (placed.length === 0) return null;
  const rank = { none: 0, balanced: 1, surplus: 2, shortage: 3 } as const;
  const key = (s: MapStation) => s.class ?? 'none';
  // Balanced (and unknown) first so that the stations needing a truck are drawn on top.
  const dots = [...placed].sort((a, b) => rank[key(a)] - rank[key(b)]);
  const base = districtBasemap(districts, placed.map((s) => ({ lon: s.lon!, lat: s.lat! })), { names: ctx.korean });
  const width = MAP_WIDTH, height = MAP_HEIGHT;
  const maxMove = Math.max(1, ...placed.map((s) => s.bring + s.take));
  const svg = plotSvg(stationMapOptions(base,
    Plot.dot(dots, {
      x: 'lon', y: 'lat', r: (d: MapStation) => d.bring + d.take,
      fill: (d: MapStation) => CLASS_COLORS[key(d)], fillOpacity: 0.9,
      stroke: (d: MapStation) => (d.class === null ? '#888' : 'white'), strokeWidth: 0.4,
    }),
    [1.6, 7], maxMove, [base.names]));
  const count = (c: TargetClass | 'none') => placed.filter((s) => key(s) === c).length;
  const bring = placed.reduce((a, s) => a + s.bring, 0), take = placed.reduce((a, s) => a + s.take, 0);
  const unplaced = stations.length - placed.length;
  return {
    name: 'target_classes_map',
    svg: frame({
      width,
      title: `Stations by class against their targets: ${ctx.system}`,
      subtitle: [
        `${horizonText(ctx)}; service level ${ctx.service}; rates: ${ctx.rates}; capacity ${ctx.capacityPolicy}`,
        `${placed.length} stations placed${unplaced ? ` (${unplaced} without coordinates left off)` : ''}${districts.length ? `, over ${districts.length} district boundaries` : ''}; dot area grows with the bikes to bring or take (${bring} to bring, ${take} to take in all)`,
      ],
      legends: [{ kind: 'swatches', items: [
        { label: `shortage: below min (${count('shortage')})`, color: CLASS_COLORS.shortage },
        { label: `surplus: above max (${count('surplus')})`, color: CLASS_COLORS.surplus },
        { label: `balanced (${count('balanced')})`, color: CLASS_COLORS.balanced },
        ...(count('none') ? [{ label: `no status (${count('none')})`, color: '#eeeeee' }] : []),
      ] }],
      panels: [{ svg, x: 0, y: 0, width, height }],
      footer: [`Class: the station's bikes at the start against its target interval [min, max] (run ${ctx.runId}).`],
    }),
  };
}
