// Draws the statistics report's charts into a folder as SVG and PNG; returns the paths written.
import type { Store } from '../../../platform/store/connection.ts';
import { hasKoreanFont } from '../../../platform/charts/png.ts';
import { writeChartFiles } from '../../../platform/charts/write.ts';
import type { StatsRun } from '../run.ts';
import { loadDistricts } from '../store.ts';
import { buildCharts } from './build.ts';

export async function renderCharts(store: Store, run: StatsRun, dir: string): Promise<string[]> {
  const districts = await loadDistricts(store, run.report.system);
  return writeChartFiles(dir, buildCharts(run.report, districts, hasKoreanFont()));
}
