// The living population's front-end work that is not the command line's: the three plots of a dong
// (files in a folder) and the Quick start's step (a week's forecast and the plots for every dong).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFile } from '../platform/bundled-data.ts';
import { UserError } from '../platform/errors.ts';
import { readText } from '../platform/import/file-input.ts';
import { formatNumber } from '../platform/output/table.ts';
import type { Store } from '../platform/store/connection.ts';
import { choroplethSvg, dayTypeProfileSvg, forecastWeekSvg, type DongShape } from './plots.ts';
import { forecastFrom } from './run.ts';
import { indexOf, instantOf, type PopulationSeries } from './series.ts';
import { listDongs, loadSeries } from './store.ts';
import { kstString } from './time.ts';

/**
 * The three population plots for one dong: a forecast week (default: the last full week with data)
 * against what happened, the average day by day type, and the dongs at one hour (default: the last).
 */
export async function writePopulationPlots(
  store: Store, s: PopulationSeries, out: string,
  opts: { system: string; weekMs?: number; hourMs?: number; boundaries?: string },
): Promise<string[]> {
  let last = s.total.length - 1;
  while (last > 0 && Number.isNaN(s.total[last]!)) last--;
  const weekMs = opts.weekMs ?? instantOf(s, Math.floor((last + 1) / 24) * 24 - 7 * 24);
  if (indexOf(s, weekMs) < 24 * 35) throw new UserError(`--week ${kstString(weekMs)}: the model needs at least 5 weeks of data before the week`);
  const hourMs = opts.hourMs ?? instantOf(s, last);
  const values = new Map<string, number>(
    (await store.all<{ dong: string; total: number }>('SELECT dong_code AS dong, total FROM population_hourly WHERE system_id = $1 AND hour = to_timestamp($2)', [opts.system, hourMs / 1000]))
      .map((r) => [r.dong, r.total]),
  );
  const shapes = await dongShapes(opts.boundaries ?? dataFile('seoul', 'boundaries', 'seoul_admin_dong_2021-04.geojson'));
  const unknown = [...values.keys()].filter((k) => !shapes.some((d) => d.code === k));
  mkdirSync(out, { recursive: true });
  const files: Record<string, string> = {
    [`population_forecast_week_${s.dong}.svg`]: forecastWeekSvg(s, weekMs),
    [`population_day_types_${s.dong}.svg`]: dayTypeProfileSvg(s),
    ['population_choropleth.svg']: choroplethSvg(shapes, values, hourMs,
      unknown.length ? `Data for ${unknown.length} code(s) not on the map: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''} (e.g. a placeholder code).` : 'Every dong with data is on the map.'),
  };
  for (const [name, svg] of Object.entries(files)) writeFileSync(join(out, name), svg);
  return Object.keys(files).map((f) => join(out, f));
}

export interface DemoPopulationOutcome {
  dong: string;
  status: 'ok' | 'failed';
  dir: string;
  from?: string;
  /** The forecast's first day: total at its peak hour, with the 80% interval. */
  peak?: { local_time: string; mean: number; 'lo-80': number; 'hi-80': number };
  files: string[];
  message?: string;
}

/**
 * The Quick start's living-population step: for every dong in the store, a week's forecast from the
 * day after its data ends (forecast.json) and the plots, in `outRoot/<dong>/`.
 */
export async function demoPopulation(store: Store, outRoot: string, log: (s: string) => void, system = 'seoul'): Promise<DemoPopulationOutcome[]> {
  const out: DemoPopulationOutcome[] = [];
  for (const { dong } of await listDongs(store, system)) {
    const dir = join(outRoot, dong);
    try {
      const s = (await loadSeries(store, dong, system))!;
      let last = s.total.length - 1;
      while (last > 0 && Number.isNaN(s.total[last]!)) last--;
      // From the first local midnight after the last observed hour.
      const fromMs = instantOf(s, Math.floor(last / 24) * 24 + 24);
      const fc = forecastFrom(s, fromMs, 168);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'forecast.json'), JSON.stringify(fc, null, 1) + '\n');
      const files = [join(dir, 'forecast.json'), ...(await writePopulationPlots(store, s, dir, { system }))];
      const peak = fc.forecast.slice(0, 24).reduce((a, b) => (b.total.mean > a.total.mean ? b : a));
      out.push({ dong, status: 'ok', dir, from: fc.from, peak: { local_time: peak.local_time, mean: peak.total.mean, 'lo-80': peak.total['lo-80'], 'hi-80': peak.total['hi-80'] }, files });
      log(`- living population of dong ${dong}: a 168 h forecast and ${files.length - 1} plot(s) in ${dir}`);
    } catch (err) {
      out.push({ dong, status: 'failed', dir, files: [], message: (err as Error).message });
      log(`- living population of dong ${dong}: FAILED: ${(err as Error).message}`);
    }
  }
  return out;
}

export function describeDemoPopulation(rows: readonly DemoPopulationOutcome[]): string {
  if (rows.length === 0) return '';
  return '\n\nLiving population (urbanlab population forecast):\n' + rows.map((r) => r.status === 'failed'
    ? `  dong ${r.dong}: FAILED: ${r.message}`
    : `  dong ${r.dong}: forecast from ${r.from}; first day's peak ${r.peak!.local_time} ${formatNumber(Math.round(r.peak!.mean))} people ` +
      `(80%: ${formatNumber(Math.round(r.peak!['lo-80']))}-${formatNumber(Math.round(r.peak!['hi-80']))}); files in ${r.dir}`).join('\n');
}

async function dongShapes(path: string): Promise<DongShape[]> {
  const { text } = await readText(path);
  const doc = JSON.parse(text) as { features?: Array<{ properties?: Record<string, unknown>; geometry?: unknown }> };
  return (doc.features ?? []).flatMap((f) => {
    const code = String(f.properties?.['adm_cd2'] ?? '').slice(0, 8);
    return /^\d{8}$/.test(code) ? [{ code, name: String(f.properties?.['adm_nm'] ?? ''), geometry: f.geometry }] : [];
  });
}
