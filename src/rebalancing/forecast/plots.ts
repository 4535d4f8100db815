// SVG plots of the forecast stage, drawn by hand (no chart library on main yet): forecast vs
// actual with intervals for one station-week, interval coverage by horizon, factor importance.
import type { BacktestResult } from './backtest.ts';
import { INTERVAL_LEVELS } from './calibration.ts';
import type { Factors } from './factors.ts';
import type { NewStationRow } from './new-stations.ts';
import { nbRandomisedQuantiles, randomisedCoverage } from './negbin.ts';
import type { FlowPanel } from './panel.ts';

const W = 760;
const H = 320;
const M = { l: 50, r: 20, t: 30, b: 40 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function frame(title: string, body: string, xLabel: string, yLabel: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>
<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>
<text x="12" y="${H / 2}" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(yLabel)}</text>
${body}
</svg>
`;
}

function axes(x0: number, x1: number, y0: number, y1: number, xs: (v: number) => number, ys: (v: number) => number, xTicks: [number, string][]): string {
  const yt: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = y0 + ((y1 - y0) * k) / 4;
    yt.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${ys(v)}" y2="${ys(v)}" stroke="#eee"/><text x="${M.l - 4}" y="${ys(v) + 4}" text-anchor="end">${Number(v.toPrecision(3))}</text>`);
  }
  const xt = xTicks.map(([v, l]) => `<line x1="${xs(v)}" x2="${xs(v)}" y1="${H - M.b}" y2="${H - M.b + 4}" stroke="#333"/><text x="${xs(v)}" y="${H - M.b + 15}" text-anchor="middle">${esc(l)}</text>`);
  return `${yt.join('\n')}\n<line x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}" stroke="#333"/>${xt.join('')}` + (x0 === x1 ? '' : '');
}

/** Forecast vs actual, 3 h ahead, for the busiest scored station over one week of the backtest. */
export function forecastPlot(panel: FlowPanel, r: BacktestResult, horizon = 3): string {
  const s3 = [...r.samples.entries()].find(([k]) => k.startsWith('gbdt_nb@' + horizon));
  if (!s3) return frame('no samples', '', '', '');
  const b = s3[1];
  const totals = new Map<number, number>();
  for (let k = 0; k < b.y.length; k++) if (b.flow[k] === 0) totals.set(b.station[k]!, (totals.get(b.station[k]!) ?? 0) + b.y[k]!);
  const station = [...totals.entries()].sort((a, c) => c[1] - a[1])[0]![0];
  const pts = b.y.map((y, k) => ({ k, t: b.target[k]!, y })).filter((p) => b.station[p.k] === station && b.flow[p.k] === 0).sort((a, c) => a.t - c.t);
  const t0 = pts[0]!.t;
  const week = pts.filter((p) => p.t < t0 + 168);
  const q = new Float64Array(4);
  const rows = week.map((p) => {
    nbRandomisedQuantiles(INTERVAL_LEVELS, b.mu[p.k]!, b.size[p.k]!, q);
    return { t: p.t, y: p.y, mu: b.mu[p.k]!, lo95: q[0]!, lo80: q[1]!, hi80: q[2]!, hi95: q[3]! };
  });
  const ymax = Math.max(1, ...rows.map((x) => Math.max(x.y + 1, x.hi95)));
  const xs = (t: number) => M.l + ((t - t0) / 168) * (W - M.l - M.r);
  const ys = (v: number) => H - M.b - (v / ymax) * (H - M.t - M.b);
  const band = (lo: 'lo80' | 'lo95', hi: 'hi80' | 'hi95', fill: string) =>
    `<path d="M${rows.map((x) => `${xs(x.t)},${ys(x[hi])}`).join('L')}L${[...rows].reverse().map((x) => `${xs(x.t)},${ys(x[lo])}`).join('L')}Z" fill="${fill}" stroke="none"/>`;
  const line = `<path d="M${rows.map((x) => `${xs(x.t)},${ys(x.mu)}`).join('L')}" fill="none" stroke="#1f5fa8" stroke-width="1.5"/>`;
  const dots = rows.map((x) => `<circle cx="${xs(x.t)}" cy="${ys(x.y)}" r="2" fill="#c0392b"/>`).join('');
  const ticks: [number, string][] = Array.from({ length: 8 }, (_, d) => [t0 + d * 24, new Date(panel.start + (t0 + d * 24) * 3_600_000).toISOString().slice(5, 10)]);
  const legend = `<text x="${W - M.r - 300}" y="${M.t + 8}" fill="#1f5fa8">— mean</text><text x="${W - M.r - 240}" y="${M.t + 8}" fill="#c0392b">● observed</text><text x="${W - M.r - 160}" y="${M.t + 8}">bands: 80% / 95%</text>`;
  return frame(`Pickups at station ${panel.stations[station]}, ${horizon} h ahead: forecast vs actual`, axes(t0, t0 + 168, 0, ymax, xs, ys, ticks) + band('lo95', 'hi95', '#dbe7f5') + band('lo80', 'hi80', '#a9c6e8') + line + dots + legend, 'day (UTC)', 'pickups per hour');
}

/** Randomised coverage of the 80% and 95% intervals of each model by horizon. */
export function coveragePlot(r: BacktestResult): string {
  const series = new Map<string, { h: number; c80: number; c95: number }[]>();
  const q = new Float64Array(4);
  for (const [key, b] of r.samples) {
    const [model, hs] = key.split('@') as [string, string];
    let c80 = 0, c95 = 0;
    for (let k = 0; k < b.y.length; k++) {
      nbRandomisedQuantiles(INTERVAL_LEVELS, b.mu[k]!, b.size[k]!, q);
      c95 += randomisedCoverage(b.y[k]!, q[0]!, q[3]!);
      c80 += randomisedCoverage(b.y[k]!, q[1]!, q[2]!);
    }
    const list = series.get(model) ?? [];
    list.push({ h: Number(hs), c80: c80 / b.y.length, c95: c95 / b.y.length });
    series.set(model, list);
  }
  const xs = (h: number) => M.l + ((h - 1) / 23) * (W - M.l - M.r);
  const ys = (v: number) => H - M.b - ((v - 0.6) / 0.4) * (H - M.t - M.b);
  const colours = ['#1f5fa8', '#e67e22', '#27ae60'];
  let body = axes(1, 24, 0.6, 1, xs, ys, [1, 3, 6, 12, 18, 24].map((h) => [h, `${h}`]));
  body += `<line x1="${M.l}" x2="${W - M.r}" y1="${ys(0.8)}" y2="${ys(0.8)}" stroke="#999" stroke-dasharray="4"/><line x1="${M.l}" x2="${W - M.r}" y1="${ys(0.95)}" y2="${ys(0.95)}" stroke="#999" stroke-dasharray="4"/>`;
  [...series.entries()].forEach(([model, pts], i) => {
    pts.sort((a, b) => a.h - b.h);
    const c = colours[i % colours.length];
    for (const key of ['c80', 'c95'] as const) body += `<path d="M${pts.map((p) => `${xs(p.h)},${ys(p[key])}`).join('L')}" fill="none" stroke="${c}" stroke-width="1.5"${key === 'c80' ? '' : ' stroke-dasharray="6 2"'}/>`;
    body += `<text x="${M.l + 10}" y="${M.t + 12 + i * 14}" fill="${c}">${esc(model)} (solid 80%, dashed 95%)</text>`;
  });
  return frame('Interval coverage by horizon (nominal 80% and 95% dotted)', body, 'hours ahead', 'coverage');
}

/** Held-out permutation importance per factor (pickups and returns). */
export function factorPlot(f: Record<string, Factors>): string {
  const names = f['pickups']!.importance.map((x) => x.factor);
  const val = (flow: string, n: string) => f[flow]!.importance.find((x) => x.factor === n)?.deviance_increase_pct ?? 0;
  const vmax = Math.max(1, ...names.flatMap((n) => [val('pickups', n), val('returns', n)]));
  const rowH = (H - M.t - M.b) / names.length;
  const x0 = 200;
  const xs = (v: number) => x0 + (Math.max(0, v) / vmax) * (W - x0 - M.r - 40);
  let body = '';
  names.forEach((n, i) => {
    const y = M.t + i * rowH;
    body += `<text x="${x0 - 6}" y="${y + rowH * 0.6}" text-anchor="end">${esc(n)}</text>`;
    body += `<rect x="${x0}" y="${y + 2}" width="${xs(val('pickups', n)) - x0}" height="${rowH / 2 - 2}" fill="#1f5fa8"/>`;
    body += `<rect x="${x0}" y="${y + rowH / 2}" width="${xs(val('returns', n)) - x0}" height="${rowH / 2 - 2}" fill="#e67e22"/>`;
    body += `<text x="${xs(val('pickups', n)) + 4}" y="${y + rowH / 2 - 1}" font-size="9">${val('pickups', n).toFixed(1)}%</text>`;
  });
  body += `<text x="${W - 200}" y="${H - M.b + 15}"><tspan fill="#1f5fa8">■ pickups</tspan> <tspan fill="#e67e22">■ returns</tspan></text>`;
  return frame('Demand factors: held-out deviance increase when shuffled', body, 'Poisson deviance increase (%)', '');
}

/**
 * Error by days of history (forecast new-stations): one line per forecast over the history levels,
 * evenly spaced (0, 7, 28 days, all); the full-history model as the dashed reference.
 */
export function historyPlot(rows: readonly NewStationRow[], title: string, metric: 'mae' | 'rmse' | 'pinball' = 'mae'): string {
  const pooled = rows.filter((r) => r.week === 'all');
  const levels = [...new Set(pooled.map((r) => r.history_days))];
  if (levels.length === 0) return frame('no rows', '', '', '');
  const vals = pooled.map((r) => r[metric]);
  const y0 = Math.min(...vals) * 0.95;
  const y1 = Math.max(...vals) * 1.02;
  const xs = (i: number) => M.l + 40 + (i / Math.max(1, levels.length - 1)) * (W - M.l - M.r - 80);
  const ys = (v: number) => H - M.b - ((v - y0) / (y1 - y0)) * (H - M.t - M.b);
  const label = (k: number | 'all') => (k === 'all' ? 'all (full history)' : `${k} days`);
  let body = axes(0, levels.length - 1, y0, y1, xs, ys, levels.map((k, i) => [i, label(k)]));
  const colours: Record<string, string> = { gbdt_nb: '#1f5fa8', historical_average: '#e67e22', system_mean: '#7f8c8d', full_history: '#27ae60' };
  const models = [...new Set(pooled.map((r) => r.model))];
  models.forEach((model, m) => {
    const pts = levels.flatMap((k, i) => pooled.filter((r) => r.model === model && r.history_days === k).map((r) => ({ i, v: r[metric] })));
    const c = colours[model] ?? '#000';
    body += `<path d="M${pts.map((p) => `${xs(p.i)},${ys(p.v)}`).join('L')}" fill="none" stroke="${c}" stroke-width="1.5"${model === 'full_history' ? ' stroke-dasharray="6 3"' : ''}/>`;
    body += pts.map((p) => `<circle cx="${xs(p.i)}" cy="${ys(p.v)}" r="3" fill="${c}"/>`).join('');
    body += `<text x="${W - M.r - 150}" y="${M.t + 12 + m * 14}" fill="${c}">${esc(model)}</text>`;
  });
  const yLabel = metric === 'mae' ? 'MAE (model: of its median; baselines: of their mean)' : metric === 'rmse' ? 'RMSE (of the mean)' : 'pinball loss';
  return frame(title, body, 'days of the station\'s own history before the cut-off', yLabel);
}
