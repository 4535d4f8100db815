// Writes a plan's outputs beside plan.json: plan.geojson (routes and stops for maps), and per
// driver a CSV and a printable HTML sheet, plus sheets.html with every truck (one page each).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { say, type Lang } from '../../../platform/output/lang.ts';
import type { Plan } from '../plan.ts';
import { driverCsv } from './csv.ts';
import { planToGeoJson } from './geojson.ts';
import { sheetsHtml } from './html.ts';

/** A truck id as a file name part: letters, digits, '-', '_' and '.' kept, anything else '_'. */
export const fileSafe = (id: string) => id.replace(/[^\p{L}\p{N}._-]/gu, '_');

/** `lang`: the driver's language of the sheets (default Korean; callers pass the system's, or `--lang`). */
export function writePlanOutputs(plan: Plan, dir: string, opts: { timeZone?: string; lang?: Lang } = {}): string[] {
  const lang = opts.lang ?? 'ko';
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    files.push(p);
  };
  put('plan.geojson', JSON.stringify(planToGeoJson(plan)) + '\n');
  put('sheets.html', sheetsHtml(plan, plan.routes, { ...opts, lang }));
  for (const r of plan.routes) {
    const base = `driver-${fileSafe(r.truck)}`;
    put(`${base}.csv`, driverCsv(r, opts.timeZone));
    put(`${base}.html`, sheetsHtml(plan, [r], { ...opts, lang, title: say(lang, 'truckTitle', { system: plan.system, t: r.truck }) }));
  }
  return files;
}
