// The front end (src/web) as the service serves it: built by Vite into dist/web. `urbanlab serve`
// builds it when it is missing or older than its sources (a fresh clone, an edited page), so the
// README's commands work without a separate build step; `npm run build:web` does the same by hand.
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
export function webBuildState(): 'missing' | 'stale' | 'fresh' {
  const stamp = join(WEB_DIST, STAMP);
  if (!existsSync(stamp) || !existsSync(join(WEB_DIST, 'index.html'))) return 'missing';
  if (!existsSync(WEB_SRC)) return 'fresh'; // an installed copy without sources serves what it has
  return newestSource(WEB_SRC) > statSync(stamp).mtimeMs ? 'stale' : 'fresh';
}

/** Builds the pages with Vite (its programmatic API, the same config as `npm run build:web`). */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(WEB_SRC, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(join(WEB_DIST, STAMP), `${new Date().toISOString()}\n`);
}

/** Builds unless the build is fresh; says what it did through `log`. */
export async function ensureWebBuild(log: (msg: string) => void): Promise<void> {
  const state = webBuildState();
  if (state === 'fresh') return;
  log(`building the dashboard (${state === 'missing' ? 'no build yet' : 'sources changed'}) into ${WEB_DIST}`);
  const t0 = Date.now();
  await buildWeb();
  log(`dashboard built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
