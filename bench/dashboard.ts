// `npm run bench -- dashboard`: the dashboard (/) at Seoul's size in headless Chromium (Debian's,
// software WebGL through SwiftShader) against a real `urbanlab serve` on loopback polling a loopback
// GBFS feed of 2,700 GENERATED stations whose status is drawn anew at every poll (Seoul publishes no
// status history). Two figures (issue 23's goals: first paint under 2 s, 30 fps under live updates):
//  1. first meaningful paint: from navigation start to the frame where every station is rendered on
//     the map (MapLibre's rendered features), median of RUNS cold page loads;
//  2. frames per second while every station's status changes about every POLL_S seconds: frames
//     counted by requestAnimationFrame over SECONDS, with the status events the page applied meanwhile.
// Baselines in the same run: (a) a bare MapLibre page (the same library and worker files from
// node_modules, one background layer and the same stations as one inline GeoJSON circle layer, no
// API, no basemap, no panels) served by a loopback server of its own: the floor that software
// WebGL on this machine sets for (1) and (2); (b) the dashboard's frame count with the stream's
// updates off (the page is loaded, no feed change reaches it), so the updates' cost is read beside it.
// Each page load also prints its requests (start-end, size) and the page's main-thread busy time
// (Chromium's TaskDuration), the CPU the page spent, which a loaded machine does not inflate as it
// inflates wall time.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { realClock } from '../src/server/clock.ts';
import { parseServeConfig } from '../src/server/config.ts';
import { startService } from '../src/server/service.ts';
import { ensureWebBuild } from '../src/server/web-build.ts';
import { generatedFeed } from './lib/generated-feed.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';

const STATIONS = Number(process.env['BENCH_DASHBOARD_STATIONS'] ?? 2700);
const RUNS = Number(process.env['BENCH_DASHBOARD_RUNS'] ?? 3);
const SECONDS = Number(process.env['BENCH_DASHBOARD_SECONDS'] ?? 10);
const POLL_S = 1;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Paint { ms: number; task_s: number; script_s: number }

async function firstPaint(browser: Browser, url: string, n: number): Promise<Paint> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url);
  // Checked every animation frame: the time of the first frame with every station rendered. The
  // cheap checks (layer there, tiles loaded) come first: a rendered-features query of 2,700 points
  // at every frame would itself slow the page it measures.
  const ms = await page.waitForFunction((want) => {
    const m = (window as any).urbanlab?.map;
    if (!m || !m.getLayer('stations') || !m.isSourceLoaded('stations') || !m.areTilesLoaded()) return false;
    const ids = new Set(m.queryRenderedFeatures({ layers: ['stations'] }).map((f: any) => f.properties.id));
    return ids.size >= want ? performance.now() : false;
  }, n, { polling: 'raf', timeout: 120_000 });
  const v = (await ms.jsonValue()) as number;
  const metrics = Object.fromEntries(((await cdp.send('Performance.getMetrics')).metrics).map((m) => [m.name, m.value]));
  const cpu = { task_s: metrics['TaskDuration'] ?? NaN, script_s: metrics['ScriptDuration'] ?? NaN, layout_s: metrics['LayoutDuration'] ?? NaN };
  console.log(`  main thread busy ${cpu.task_s.toFixed(2)} s (script ${cpu.script_s.toFixed(2)} s)`);
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])));
  console.log(`  load: ${Math.round(v)} ms; page marks ${JSON.stringify(marks)}`);
  // Where the time went: every request the page made, its size and when it started and ended.
  const res = (await page.evaluate(() => performance.getEntriesByType('resource').map((r) => {
    const e = r as PerformanceResourceTiming;
    return { url: e.name.replace(location.origin, ''), kb: Math.round(e.encodedBodySize / 1024), start: Math.round(e.startTime), end: Math.round(e.responseEnd) };
  }))) as { url: string; kb: number; start: number; end: number }[];
  for (const r of res) console.log(`    ${String(r.start).padStart(6)}-${String(r.end).padEnd(6)} ms ${String(r.kb).padStart(6)} KiB ${r.url}`);
  await ctx.close();
  return { ms: v, task_s: cpu.task_s, script_s: cpu.script_s };
}

/** The baseline page: bare MapLibre from node_modules with the same stations inline, on a loopback server of its own. */
async function bareMapServer(points: { id: string; lon: number; lat: number }[]): Promise<{ url: string; close: () => void }> {
  const dist = join(repoRoot(), 'node_modules', 'maplibre-gl', 'dist');
  const bounds = [[Math.min(...points.map((p) => p.lon)), Math.min(...points.map((p) => p.lat))], [Math.max(...points.map((p) => p.lon)), Math.max(...points.map((p) => p.lat))]];
  const data = { type: 'FeatureCollection', features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id } })) };
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/m/maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div><script type="module">
import * as maplibregl from '/m/maplibre-gl.mjs';
maplibregl.setWorkerUrl('/m/maplibre-gl-worker.mjs');
const map = new maplibregl.Map({ container: 'map', style: { version: 8, sources: {}, layers: [{ id: 'land', type: 'background', paint: { 'background-color': '#eef0ea' } }] }, bounds: ${JSON.stringify(bounds)}, fitBoundsOptions: { padding: 30 }, attributionControl: false, fadeDuration: 0 });
map.on('load', () => {
  map.addSource('stations', { type: 'geojson', data: ${JSON.stringify(data)}, promoteId: 'id' });
  map.addLayer({ id: 'stations', type: 'circle', source: 'stations', paint: { 'circle-color': '#2e7d32', 'circle-radius': 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.6 } });
});
window.urbanlab = { map };
</script></body></html>`;
  const files: Record<string, [string, string]> = {
    '/m/maplibre-gl.mjs': ['maplibre-gl.mjs', 'text/javascript'], '/m/maplibre-gl-worker.mjs': ['maplibre-gl-worker.mjs', 'text/javascript'], '/m/maplibre-gl.css': ['maplibre-gl.css', 'text/css'],
  };
  const server = createServer((req, res) => {
    const f = files[req.url ?? ''];
    if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(html); return; }
    if (!f) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': f[1] }); res.end(readFileSync(join(dist, f[0])));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

async function frames(browser: Browser, url: string, seconds: number, mode?: 'class' | 'fill'): Promise<{ fps: number; statusEvents: number }> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as any).urbanlab?.map?.loaded(), null, { timeout: 120_000 });
  // Class mode (the default) draws no count; fill mode recolours every changed station.
  if (mode) await page.selectOption('#mode', mode);
  const before = Number(await page.evaluate(() => document.body.dataset['statusEvents'] ?? '0'));
  // A string, not a function: tsx's name-keeping helper would not exist in the page.
  const count = (await page.evaluate(`new Promise((resolve) => {
    let n = 0;
    const end = performance.now() + ${seconds * 1000};
    const tick = () => { n++; if (performance.now() < end) requestAnimationFrame(tick); else resolve(n); };
    requestAnimationFrame(tick);
  })`)) as number;
  const after = Number(await page.evaluate(() => document.body.dataset['statusEvents'] ?? '0'));
  await ctx.close();
  return { fps: count / seconds, statusEvents: after - before };
}

async function main(): Promise<void> {
  console.log(describeMachine());
  await ensureWebBuild((m) => console.log(m));
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-bench-dashboard-'));
  const feed = await generatedFeed(STATIONS, POLL_S);
  let open = true;
  const closeFeed = () => { if (open) feed.close(); open = false; };
  const store = await openStore(join(dir, 'seoul-gen.duckdb'));
  const config = parseServeConfig(JSON.stringify({
    systems: [{ id: 'seoul-gen', gbfs_url: feed.url, fleet: join(repoRoot(), 'examples/fleet-seoul-30.json') }],
    port: 0, archive: join(dir, 'archive'), rate_limit_per_minute: 10_000_000, poll_floor_s: POLL_S,
  }), join(dir, 'serve.json'));
  const svc = await startService({ config, store, clock: realClock, log: () => undefined, loop: false });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const s = svc.ctx.live.system('seoul-gen')!;
    const end = Date.now() + 60_000;
    while (s.status.size < STATIONS && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const url = `${svc.url}/?system=seoul-gen`;
    console.log(`${s.status.size} stations (GENERATED positions and status on Seoul's extent, loopback GBFS feed polled every ${POLL_S} s; every poll changes about every station), headless Chromium ${browser.version()} with SwiftShader`);
    const points = [...s.stations.values()].filter((x) => x.lat !== null && x.lon !== null).map((x) => ({ id: x.stationId, lon: x.lon!, lat: x.lat! }));
    const bare = await bareMapServer(points);
    // Alternated, so that a change of the machine's load falls on both pages alike.
    const paints: Paint[] = [];
    const barePaints: Paint[] = [];
    for (let i = 0; i < RUNS; i++) {
      console.log(`run ${i + 1}: bare MapLibre, ${points.length} points inline`);
      barePaints.push(await firstPaint(browser, bare.url, points.length));
      console.log(`run ${i + 1}: dashboard`);
      paints.push(await firstPaint(browser, url, s.status.size));
    }
    const summary = (xs: Paint[]) => `median ${median(xs.map((x) => x.ms)).toFixed(0)} ms, main thread busy ${median(xs.map((x) => x.task_s)).toFixed(2)} s (runs: ${xs.map((x) => x.ms.toFixed(0)).join(', ')} ms)`;
    console.log(`first paint, every station rendered: dashboard ${summary(paints)}`);
    console.log(`first paint, baseline bare MapLibre: ${summary(barePaints)}`);
    const bareLive = await frames(browser, bare.url, SECONDS);
    bare.close();
    console.log(`baseline bare MapLibre, no updates: ${bareLive.fps.toFixed(1)} frames/s over ${SECONDS} s`);
    const live = await frames(browser, url, SECONDS, 'class');
    console.log(`live, coloured by class: ${live.fps.toFixed(1)} frames/s over ${SECONDS} s while the page applied ${live.statusEvents} status events of ~${s.status.size} stations each`);
    const liveFill = await frames(browser, url, SECONDS, 'fill');
    console.log(`live, coloured by fill: ${liveFill.fps.toFixed(1)} frames/s over ${SECONDS} s while the page applied ${liveFill.statusEvents} status events of ~${s.status.size} stations each`);
    // Baseline: the same count with the feed stopped (the service keeps its last snapshot; no event).
    closeFeed();
    await new Promise((r) => setTimeout(r, 2000 * POLL_S));
    const still = await frames(browser, url, SECONDS).catch(() => null);
    if (still) console.log(`baseline, no updates: ${still.fps.toFixed(1)} frames/s over ${SECONDS} s (${still.statusEvents} events)`);
    const path = saveResults('dashboard', {
      stations: s.status.size, status: 'generated', poll_s: POLL_S,
      first_paint_ms: { median: median(paints.map((x) => x.ms)), runs: paints },
      baseline_bare_maplibre: { first_paint_ms: { median: median(barePaints.map((x) => x.ms)), runs: barePaints }, fps: bareLive.fps },
      live: { seconds: SECONDS, ...live }, live_fill: { seconds: SECONDS, ...liveFill }, baseline_no_updates: still, machine_after: machine(),
    });
    console.log(`results: ${path}`);
  } finally {
    await browser.close();
    await svc.stop();
    await store.close();
    closeFeed();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
