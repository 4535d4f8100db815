import type { Store } from '../../../platform/store/connection.ts';
import type { StatsRun } from '../run.ts';
export async function renderCharts(_store: Store, _run: StatsRun, _dir: string): Promise<string[]> {
  return [];
}
