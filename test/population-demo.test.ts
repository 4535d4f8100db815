// The Quick start's living-population step on the real bundled series (its last half year): a week's
// forecast from the day after the data ends, the plots, and the store summary counting the rows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { demoPopulation } from '../src/population/demo.ts';
import { dataFile, PLACEHOLDER_DONG } from '../src/platform/bundled-data.ts';
import { loadImporter } from '../src/platform/import/registry.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { summariseStore } from '../src/platform/store/info.ts';
import { silentProgress } from '../src/platform/util/progress.ts';
import { tempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

test('demo: living-population forecast and plots from the real 2022 series; info counts its rows', async () => {
  const t = await tempStore();
  try {
    const file = dataFile('seoul', 'living_population', 'data2022.csv');
    await runImport(t.store, await loadImporter('living-population'), [file], { system: asSystemId('seoul'), progress: silentProgress, options: { dong: PLACEHOLDER_DONG } });
    const summary = await summariseStore(t.store);
    const seoul = summary.systems.find((s) => s.system === 'seoul')!;
    assert.equal(seoul.population_hours, 4344); // 2022-01-01 .. 2022-06-30, 181 days x 24 h
    assert.equal(seoul.dongs, 1);
    assert.equal(seoul.to, '2022-06-30T14:00:00.000Z'); // 23:00 KST on the last day

    const lines: string[] = [];
    const [r] = await demoPopulation(t.store, join(t.dir, 'population'), (s) => lines.push(s));
    assert.equal(r!.status, 'ok', r!.message);
    assert.equal(r!.dong, PLACEHOLDER_DONG);
    const fc = JSON.parse(readFileSync(join(r!.dir, 'forecast.json'), 'utf-8'));
    assert.equal(fc.from, '2022-06-30T15:00:00.000Z'); // KST midnight after the last hour
    assert.equal(fc.forecast.length, 168);
    assert.equal(fc.trained_until, '2022-06-30T14:00:00.000Z');
    // The real series runs ~25,000-45,000 people; the first day's peak must sit in that range.
    assert.ok(r!.peak!.mean > 20_000 && r!.peak!.mean < 60_000, `peak ${r!.peak!.mean}`);
    assert.ok(r!.peak!['lo-80'] < r!.peak!.mean && r!.peak!.mean < r!.peak!['hi-80']);
    for (const f of r!.files) assert.ok(existsSync(f), f);
    assert.equal(r!.files.filter((f) => f.endsWith('.svg')).length, 3);
    assert.match(lines.join('\n'), /168 h forecast and 3 plot\(s\)/);
  } finally {
    await t.dispose();
  }
});
