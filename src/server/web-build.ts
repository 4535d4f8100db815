// The front end (src/web) as the service serves it: built by Vite into dist/web by
// `npm run build:web` (which `npm test` runs first). The build is a step of its own, never part of
// `urbanlab serve`'s start: a Vite build takes 10-25 s on a loaded 2-core machine, and a service
// that must come back fast after a crash cannot spend that first. Serve only says, at start, when
// the build is missing or older than the sources (`webBuildNotice`).
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../platform/bundled-data.ts';

export const WEB_SRC = join(repoRoot(), 'src', 'web');
export const WEB_DIST = join(repoRoot(), 'dist', 'web');
const STAMP = '.built';

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** 'missing' (no build), 'stale' (a source is newer than the build) or 'fresh'. */
export function webBuildState(dist: string = WEB_DIST): 'missing' | 'stale' | 'fresh' {
  const stamp = join(dist, STAMP);
  if (!existsSync(stamp) || !existsSync(join(dist, 'index.html'))) return 'missing';
  if (!existsSync(WEB_SRC)) return 'fresh'; // an installed copy without sources serves what it has
  return newestSource(WEB_SRC) > statSync(stamp).mtimeMs ? 'stale' : 'fresh';
}

/** What `urbanlab serve` says at start about the pages it serves, or null when the build is fresh. */
export function webBuildNotice(dist: string = WEB_DIST): string | null {
  const state = webBuildState(dist);
  if (state === 'missing') return `the dashboard is not built (${dist} is missing): / and /driver answer 503 until \`npm run build:web\` is run; the API runs without it`;
  if (state === 'stale') return `the dashboard build in ${dist} is older than src/web: serving it as it is; run \`npm run build:web\` for the current pages`;
  return null;
}

/** Builds the pages with Vite (its programmatic API, the same config as `npm run build:web`). */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(WEB_SRC, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(join(WEB_DIST, STAMP), `${new Date().toISOString()}\n`);
}

/** Builds unless the build is fresh; says what it did through `log` (`npm run build:web`, tests and benches). */
export async function ensureWebBuild(log: (msg: string) => void): Promise<void> {
  const state = webBuildState();
  if (state === 'fresh') { log(`dist/web is up to date with src/web (${WEB_DIST})`); return; }
  log(`building the dashboard (${state === 'missing' ? 'no build yet' : 'sources changed'}) into ${WEB_DIST}`);
  const t0 = Date.now();
  await buildWeb();
  log(`dashboard built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
