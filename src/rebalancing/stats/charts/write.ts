// Writes charts into a folder as SVG and PNG; returns the paths written. `writeChartFiles` is shared
// with the other stages' charts (targets).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../../platform/store/connection.ts';
import type { StatsRun } from '../run.ts';
import { loadDistricts } from '../store.ts';
import { buildCharts } from './build.ts';
import type { Chart } from './context.ts';
import { hasKoreanFont, svgToPng } from './png.ts';

export function writeChartFiles(dir: string, charts: readonly Chart[]): string[] {
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

export async function renderCharts(store: Store, run: StatsRun, dir: string): Promise<string[]> {
  const districts = await loadDistricts(store, run.report.system);
  return writeChartFiles(dir, buildCharts(run.report, districts, hasKoreanFont()));
}
