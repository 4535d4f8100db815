// The printable driver sheet: one A4 page per truck with its stops in order (station number and
// name, collect or drop and how many, arrival in local time, load after the stop, a box to tick),
// the shift's totals and a small drawing of the route. In the driver's language (Korean for Seoul,
// English elsewhere, or `--lang`; the words are platform/output/lang.ts's). Plain HTML with print
// CSS, no scripts; Korean text in a Korean font (fonts-nanum on Debian, Noto CJK, else the system's).
import { say, type Lang } from '../../../platform/output/lang.ts';
import type { Plan, PlanRoute } from '../plan.ts';
import { actionOf } from './geojson.ts';
import { localClock } from './local-time.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

const CSS = `
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: 'NanumGothic', 'Nanum Gothic', 'Noto Sans CJK KR', 'Noto Sans KR', 'Malgun Gothic', sans-serif; font-size: 10.5pt; color: #000; margin: 0; }
.sheet { break-after: page; page-break-after: always; padding: 0; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
header { display: flex; justify-content: space-between; gap: 6mm; align-items: flex-start; margin-bottom: 3mm; }
h1 { font-size: 16pt; margin: 0 0 1.5mm 0; }
.facts { margin: 0; line-height: 1.45; }
.overview { flex: none; border: 0.3mm solid #888; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.25mm solid #555; padding: 1.2mm 1.6mm; text-align: left; }
th { background: #e8e8e8; font-size: 9pt; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.collect { font-weight: bold; }
td.drop { font-weight: bold; text-decoration: underline; }
td.box { width: 9mm; }
.dense td, .dense th { padding: 0.6mm 1.2mm; font-size: 8.5pt; }
.empty { margin-top: 8mm; font-size: 13pt; }
footer { margin-top: 2mm; font-size: 8pt; color: #444; }
@media screen { body { background: #ddd; } .sheet { background: #fff; width: 210mm; min-height: 297mm; margin: 6mm auto; padding: 10mm; } }
`;

export interface SheetOptions {
  /** IANA zone for the times; default: the wall clock written in the plan's times. */
  timeZone?: string;
  /** Title of the document. */
  title?: string;
  /** The driver's language (default Korean, the sheet's first language). */
  lang?: Lang;
}

/** One HTML document; one printed page per route given (the whole fleet or one driver). */
export function sheetsHtml(plan: Plan, routes: readonly PlanRoute[] = plan.routes, opts: SheetOptions = {}): string {
  const lang = opts.lang ?? 'ko';
  const title = opts.title ?? say(lang, 'planTitle', { system: plan.system, date: localClock(plan.at, opts.timeZone).date });
  const body = routes.map((r) => sheet(plan, r, opts, lang)).join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function sheet(plan: Plan, r: PlanRoute, opts: SheetOptions, lang: Lang): string {
  const w = (key: Parameters<typeof say>[1], vars: Record<string, string | number> = {}) => esc(say(lang, key, vars));
  const at = localClock(plan.at, opts.timeZone);
  const end = localClock(r.end, opts.timeZone);
  let collected = 0;
  let dropped = 0;
  for (const s of r.stops) {
    const a = actionOf(s);
    if (a.action === 'collect') collected += a.bikes;
    else dropped += a.bikes;
  }
  const rows = r.stops.map((s, i) => {
    const a = actionOf(s);
    const t = localClock(s.arrival, opts.timeZone).time;
    return `<tr><td class="n">${i + 1}</td><td class="n">${esc(s.number ?? '')}</td><td>${esc(s.name ?? s.station_id)}</td>` +
      `<td class="${a.action}">${w(a.action)}</td><td class="n bikes">${a.bikes}</td>` +
      `<td class="n">${t}</td><td class="n">${s.load_after}</td><td class="box"></td></tr>`;
  });
  const facts = [
    `${esc(plan.system)} · ${at.date} · ${w('start', { t: at.time })} · ${w('back', { t: end.time })}${r.zone ? ` · ${w('zone', { z: r.zone })}` : ''}`,
    `${w('startLoad', { n: r.start_load })} · ${w('stops', { n: r.stops.length })} · ${w('collected', { n: collected })} · ${w('dropped', { n: dropped })}`,
    `${w('driving', { n: fmt(r.driving_minutes) })} · ${w('handling', { n: fmt(r.handling_minutes) })}`,
  ];
  const table = r.stops.length
    ? `<table class="stops${r.stops.length > 24 ? ' dense' : ''}"><thead><tr>${(['stop', 'number', 'station', 'task', 'bikes', 'arrival', 'loadAfter', 'tick'] as const).map((k) => `<th>${w(k)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`
    : `<p class="empty">${w('noStops')}</p>`;
  return `<section class="sheet" data-truck="${esc(r.truck)}">
<header><div><h1>${w('truck', { t: r.truck })}</h1><p class="facts">${facts.join('<br>')}</p></div>${overviewSvg(r, 200, 140, say(lang, 'overview'))}</header>
${table}
<footer>${w('footer', { run: plan.target_run, at: plan.at, before: fmt(plan.expected_failures_before), after: fmt(plan.expected_failures_after) })}</footer>
</section>`;
}

/** The route drawn small: start (square), stops numbered in order, on a flat local projection. */
export function overviewSvg(r: PlanRoute, width = 200, height = 140, label = 'route overview'): string {
  const pts = [r.start, ...r.stops];
  if (r.stops.length === 0) return '';
  const lat0 = pts.reduce((a, p) => a + p.lat, 0) / pts.length;
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const xs = pts.map((p) => p.lon * kx);
  const ys = pts.map((p) => p.lat);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 1e-4);
  const pad = 12;
  const s = Math.min((width - 2 * pad) / span, (height - 2 * pad) / span);
  const ox = (width - (maxX - minX) * s) / 2;
  const oy = (height - (maxY - minY) * s) / 2;
  const X = (i: number) => (ox + (xs[i]! - minX) * s).toFixed(1);
  const Y = (i: number) => (height - oy - (ys[i]! - minY) * s).toFixed(1);
  const line = pts.map((_, i) => `${X(i)},${Y(i)}`).join(' ');
  const marks = r.stops.map((st, k) => {
    const i = k + 1;
    const c = actionOf(st).action === 'collect' ? '#b2182b' : '#2166ac';
    return `<circle cx="${X(i)}" cy="${Y(i)}" r="6" fill="${c}"/><text x="${X(i)}" y="${Y(i)}" dy="3" text-anchor="middle" font-size="8" fill="#fff">${i}</text>`;
  });
  return `<svg class="overview" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(label)}">` +
    `<polyline points="${line}" fill="none" stroke="#555" stroke-width="1.2"/>` +
    `<rect x="${Number(X(0)) - 5}" y="${Number(Y(0)) - 5}" width="10" height="10" fill="#000"/>${marks.join('')}</svg>`;
}
