// `npm run bench -- dashboard`: the dashboard (/) at Seoul's size in headless Chromium (Debian's,
// software WebGL through SwiftShader) against a real `urbanlab serve` on loopback polling a loopback
// GBFS feed of 2,700 GENERATED stations whose status is drawn anew at every poll (Seoul publishes no
// status history). Two figures (issue 23's goals: first paint under 2 s, 30 fps under live updates):
//  1. first meaningful paint: from navigation start to the frame where every station is rendered on
//     the map (MapLibre's rendered features), median of RUNS cold page loads;
//  2. frames per second while every station's status changes about every POLL_S seconds: frames
//     counted by requestAnimationFrame over SECONDS, with the status events the page applied meanwhile.
// Baseline in the same run: the same page load and frame count with the stream's updates off
// (the page is loaded, no feed change reaches it), so the updates' cost is read beside it.
import { mkdtempSync, rmSync } from 'node:fs';
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

async function firstPaint(browser: Browser, url: string, n: number): Promise<number> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  // Checked every animation frame: the time of the first frame with every station rendered.
  const ms = await page.waitForFunction((want) => {
    const m = (window as any).urbanlab?.map;
    if (!m || !m.getLayer('stations')) return false;
    const ids = new Set(m.queryRenderedFeatures({ layers: ['stations'] }).map((f: any) => f.properties.id));
    return ids.size >= want ? performance.now() : false;
  }, n, { polling: 'raf', timeout: 120_000 });
  const v = (await ms.jsonValue()) as number;
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])));
  console.log(`  load: ${Math.round(v)} ms; page marks ${JSON.stringify(marks)}`);
  await ctx.close();
  return v;
}

async function frames(browser: Browser, url: string, seconds: number): Promise<{ fps: number; statusEvents: number }> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as any).urbanlab?.map?.loaded(), null, { timeout: 120_000 });
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
    const paints: number[] = [];
    for (let i = 0; i < RUNS; i++) paints.push(await firstPaint(browser, url, s.status.size));
    console.log(`first paint, every station rendered: median ${median(paints).toFixed(0)} ms (runs: ${paints.map((x) => x.toFixed(0)).join(', ')} ms)`);
    const live = await frames(browser, url, SECONDS);
    console.log(`live: ${live.fps.toFixed(1)} frames/s over ${SECONDS} s while the page applied ${live.statusEvents} status events of ~${s.status.size} stations each`);
    // Baseline: the same count with the feed stopped (the service keeps its last snapshot; no event).
    closeFeed();
    await new Promise((r) => setTimeout(r, 2000 * POLL_S));
    const still = await frames(browser, url, SECONDS).catch(() => null);
    if (still) console.log(`baseline, no updates: ${still.fps.toFixed(1)} frames/s over ${SECONDS} s (${still.statusEvents} events)`);
    const path = saveResults('dashboard', {
      stations: s.status.size, status: 'generated', poll_s: POLL_S,
      first_paint_ms: { median: median(paints), runs: paints },
      live: { seconds: SECONDS, ...live }, baseline_no_updates: still, machine_after: machine(),
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
