// Writes the charts of a stats run into a folder as SVG and PNG; returns the paths written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../../platform/store/connection.ts';
import type { StatsRun } from '../run.ts';
import { loadDistricts } from '../store.ts';
import { buildCharts } from './build.ts';
import { hasKoreanFont, svgToPng } from './png.ts';

export async function renderCharts(store: Store, run: StatsRun, dir: string): Promise<string[]> {
  const districts = await loadDistricts(store, run.report.system);
  const charts = buildCharts(run.report, districts, hasKoreanFont());
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const c of charts) {
    const svgPath = join(dir, `${c.name}.svg`);
    const pngPath = join(dir, `${c.name}.png`);
    writeFileSync(svgPath, c.svg);
    writeFileSync(pngPath, svgToPng(c.svg));
    written.push(svgPath, pngPath);
  }
  return written;
}
