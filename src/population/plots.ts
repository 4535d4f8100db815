// SVG plots of the population stage, drawn with Observable Plot (the platform's chart library)
// into a linkedom document, so they render without a browser:
// - forecast vs actual for one week, with the 80% and 95% intervals;
// - the average day by day type (Mon..Sun, holiday);
// - a choropleth of the dongs at one hour, dongs without data drawn as such.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { DAY_CLASSES, dayClasses } from './calendar.ts';
import { fitModel, forecast } from './model.ts';
import { indexOf, instantOf, wallMsAt, type PopulationSeries } from './series.ts';
import { kstString } from './time.ts';

let doc: Document | undefined;
function plotSvg(options: Plot.PlotOptions): string {
  doc ??= parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
  const el = Plot.plot({ ...options, document: doc }) as unknown as { outerHTML: string };
  return el.outerHTML;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A standalone SVG: title and notes above the plot (Plot's own titles need HTML figures). */
function titled(title: string, notes: string[], svg: string, width: number, height: number): string {
  const head = 26 + notes.length * 16;
  const inner = svg.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '').replace(/<style>[\s\S]*?<\/style>/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + head}" viewBox="0 0 ${width} ${height + head}" font-family="'Noto Sans CJK KR', 'DejaVu Sans', sans-serif" font-size="10">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="12" y="20" font-size="15" font-weight="bold">${esc(title)}</text>` +
    notes.map((n, i) => `<text x="12" y="${38 + i * 16}" font-size="11" fill="#444">${esc(n)}</text>`).join('') +
    `<g transform="translate(0,${head})" fill="black">${inner.replace(/currentColor/g, 'black')}</g></svg>\n`;
}

/** Forecast from `fromMs` (training strictly before it) for 168 h, against what happened. */
export function forecastWeekSvg(s: PopulationSeries, fromMs: number): string {
  const origin = indexOf(s, fromMs);
  const m = fitModel(s, origin);
  const fc = forecast(m, 168);
  const rows = fc.map((f) => {
    const t = new Date(wallMsAt(s, f.index)); // drawn in local wall-clock time on a UTC axis
    const actual = f.index < s.total.length ? s.total[f.index]! : NaN;
    return { t, mean: f.mean, lo95: f.interval[0], lo80: f.interval[1], hi80: f.interval[2], hi95: f.interval[3], actual };
  });
  const observed = rows.filter((r) => !Number.isNaN(r.actual));
  const inside80 = observed.filter((r) => r.actual >= r.lo80 && r.actual <= r.hi80).length;
  const inside95 = observed.filter((r) => r.actual >= r.lo95 && r.actual <= r.hi95).length;
  const mae = observed.reduce((a, r) => a + Math.abs(r.actual - r.mean), 0) / Math.max(1, observed.length);
  const width = 960;
  const height = 380;
  const svg = plotSvg({
    width, height, marginLeft: 60, marginBottom: 40, grid: true,
    x: { label: 'Local time (KST)', type: 'utc' },
    y: { label: 'People present (생활인구)' },
    marks: [
      Plot.areaY(rows, { x: 't', y1: 'lo95', y2: 'hi95', fill: '#dbe7f5' }),
      Plot.areaY(rows, { x: 't', y1: 'lo80', y2: 'hi80', fill: '#a9c6e8' }),
      Plot.lineY(rows, { x: 't', y: 'mean', stroke: '#1f5fa8', strokeWidth: 1.5 }),
      Plot.dot(observed, { x: 't', y: 'actual', fill: '#c0392b', r: 1.8 }),
    ],
  } as Plot.PlotOptions);
  return titled(`Dong ${s.dong}: forecast vs actual, week from ${kstString(fromMs)}`, [
    `Blue line: forecast (trained on data before the week only); bands: 80% (dark) and 95% (light) intervals; red dots: the published estimate.`,
    observed.length
      ? `This week: MAE ${Math.round(mae).toLocaleString('en-US')} people; ${inside80}/${observed.length} hours inside the 80% interval, ${inside95}/${observed.length} inside the 95% interval.`
      : 'No published values in this week yet.',
  ], svg, width, height);
}

/** Mean people present by hour of day for each day type over [fromDay, toDay] (series days). */
export function dayTypeProfileSvg(s: PopulationSeries, fromIndex = 0, toIndex = s.total.length): string {
  const firstDay = Math.floor(fromIndex / 24);
  const nDays = Math.ceil(toIndex / 24) - firstDay;
  const types = dayClasses(s.startDay + firstDay, nDays);
  const sum = new Float64Array(DAY_CLASSES.length * 24);
  const n = new Float64Array(DAY_CLASSES.length * 24);
  const days = new Float64Array(DAY_CLASSES.length);
  for (let d = 0; d < nDays; d++) {
    const ty = types[d]!;
    let any = false;
    for (let h = 0; h < 24; h++) {
      const v = s.total[(firstDay + d) * 24 + h];
      if (v === undefined || Number.isNaN(v)) continue;
      sum[ty * 24 + h]! += v;
      n[ty * 24 + h]! += 1;
      any = true;
    }
    if (any) days[ty]! += 1;
  }
  const rows = DAY_CLASSES.flatMap((type, k) => (days[k]! > 0 ? Array.from({ length: 24 }, (_, h) => ({ type: `${type} (${days[k]} d)`, hour: h, mean: sum[k * 24 + h]! / n[k * 24 + h]! })) : []));
  const width = 900;
  const height = 380;
  const colors = ['#4e79a7', '#76b7b2', '#59a14f', '#8cd17d', '#b6992d', '#f28e2b', '#e15759', '#7b3294'];
  const domain = [...new Set(rows.map((r) => r.type))];
  const svg = plotSvg({
    width, height, marginLeft: 60, marginBottom: 40, marginRight: 110, grid: true,
    x: { label: 'Hour of day (KST)', domain: [0, 23], ticks: 24 },
    y: { label: 'Mean people present' },
    color: { domain, range: colors.slice(0, domain.length) },
    marks: [
      Plot.lineY(rows, { x: 'hour', y: 'mean', stroke: 'type', strokeWidth: (r: { type: string }) => (r.type.startsWith('holiday') ? 2.5 : 1.5) }),
      Plot.text(rows.filter((r) => r.hour === 23), { x: 'hour', y: 'mean', text: 'type', fill: 'type', dx: 6, textAnchor: 'start' }),
    ],
  } as Plot.PlotOptions);
  const span = `${kstString(instantOf(s, firstDay * 24)).slice(0, 10)}..${kstString(instantOf(s, Math.min(toIndex, s.total.length) - 1)).slice(0, 10)}`;
  return titled(`Dong ${s.dong}: the average day by day type`, [`Mean of each hour over the days of each type, ${span}; holiday = Korean public holidays (Seollal, Chuseok and substitute days included).`], svg, width, height);
}

export interface DongShape {
  code: string;
  name: string;
  geometry: unknown;
}

/** Choropleth of people present at one hour; `values` by 8-digit dong code. */
export function choroplethSvg(shapes: readonly DongShape[], values: ReadonlyMap<string, number>, hourMs: number, note: string): string {
  const features = shapes.map((d) => ({ type: 'Feature', properties: { code: d.code, name: d.name, value: values.get(d.code) }, geometry: d.geometry }));
  const withData = features.filter((f) => f.properties.value !== undefined);
  const without = features.filter((f) => f.properties.value === undefined);
  const width = 820;
  const height = 640;
  const collection = { type: 'FeatureCollection', features };
  const svg = plotSvg({
    width, height, margin: 10,
    projection: { type: 'mercator', domain: collection },
    color: { type: 'sequential', scheme: 'ylorrd', label: 'people present', legend: false },
    marks: [
      Plot.geo(without, { fill: '#eeeeee', stroke: '#bbbbbb', strokeWidth: 0.5 }),
      Plot.geo(without, { fill: 'none', stroke: '#cccccc', strokeWidth: 0.5, strokeDasharray: '2,2' }),
      Plot.geo(withData, { fill: (f: { properties: { value: number } }) => f.properties.value, stroke: '#555', strokeWidth: 0.6 }),
    ],
  } as Plot.PlotOptions);
  const vals = withData.map((f) => f.properties.value!);
  return titled(`People present by 행정동 at ${kstString(hourMs)}`, [
    `${withData.length} of ${features.length} dongs have data for this hour (coloured, ${vals.length ? `${Math.round(Math.min(...vals)).toLocaleString('en-US')} to ${Math.round(Math.max(...vals)).toLocaleString('en-US')} people` : 'none'}); grey = no data.`,
    note,
  ], svg, width, height);
}
