// End to end: a living-population file imported, forecast and backtested through the CLI, as a
// user or another tool runs them; the JSON contracts checked field by field.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BANDS, BAND_KEYS, N_BANDS } from '../src/platform/store/population-bands.ts';
import { dayOfIsoDate, isoDateOfDay } from '../src/population/series.ts';
import { syntheticSeries } from '../src/population/synthetic.ts';
import { tempDir } from './helpers/store.ts';
import { cli } from './helpers/cli.ts';


test('CLI: import living-population --dong, population forecast and backtest --json', async () => {
  const t = tempDir();
  try {
    // 70 days in the one-dong layout (the bundled files' header), from a synthetic series.
    const start = dayOfIsoDate('2022-03-01');
    const s = syntheticSeries('x', { startDay: start, days: 70, seed: 2 });
    const lines = [['기준일ID', '시간대구분', '총생활인구수', ...BANDS.map((b) => b.header)].join(',')];
    for (let i = 0; i < s.total.length; i++) {
      const date = isoDateOfDay(start + Math.floor(i / 24)).replace(/-/g, '');
      lines.push([date, i % 24, s.total[i]!.toFixed(4), ...Array.from(s.bands.subarray(i * N_BANDS, (i + 1) * N_BANDS), (v) => v.toFixed(4))].join(','));
    }
    const file = join(t.dir, 'one_dong.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const db = join(t.dir, 'pop.duckdb');

    const imp = JSON.parse((await cli(['import', 'living-population', file, '--dong', '11110530', '--db', db, '--json', '--quiet'])).stdout);
    assert.equal(imp.imported, 70 * 24);

    const fc = JSON.parse((await cli(['population', 'forecast', '--dong', '11110530', '--from', '2022-05-01', '--hours', '168', '--db', db, '--json'])).stdout);
    assert.equal(fc.forecast.length, 168);
    assert.equal(fc.forecast[0].time, '2022-04-30T15:00:00.000Z'); // KST midnight
    assert.equal(fc.trained_until, '2022-04-30T14:00:00.000Z'); // nothing at or after --from
    for (const row of fc.forecast) {
      const tot = row.total;
      assert.ok(tot['lo-95'] <= tot['lo-80'] && tot['lo-80'] <= tot.mean && tot.mean <= tot['hi-80'] && tot['hi-80'] <= tot['hi-95']);
      assert.deepEqual(Object.keys(row.bands), BAND_KEYS);
      const sum = BAND_KEYS.reduce((a, k) => a + row.bands[k].mean, 0);
      assert.ok(Math.abs(sum - tot.mean) < 0.02 * 28, `bands add up to the total (${sum} vs ${tot.mean})`);
    }

    const bt = JSON.parse((await cli(['population', 'backtest', '--dong', '11110530', '--from', '2022-04-20', '--to', '2022-05-01', '--db', db, '--json'])).stdout);
    assert.deepEqual(
      bt.metrics.map((m: { model: string; horizon_h: number }) => `${m.model}@${m.horizon_h}`).sort(),
      ['historical_average', 'profile_level', 'seasonal_naive'].flatMap((m) => [1, 168, 24].map((h) => `${m}@${h}`)).sort(),
    );
    for (const m of bt.metrics) for (const k of ['mae', 'mape', 'coverage_80', 'coverage_95']) assert.equal(typeof m[k], 'number', `${m.model} ${k}`);

    const plots = JSON.parse((await cli(['population', 'plot', '--dong', '11110530', '--week', '2022-04-25', '--hour', '2022-04-27T14:00', '--out', join(t.dir, 'plots'), '--db', db, '--json'])).stdout);
    assert.equal(plots.files.length, 3);
    for (const f of plots.files) assert.match(readFileSync(f, 'utf-8'), /^<svg[\s\S]*<\/svg>\n$/);
    const map = readFileSync(plots.files[2], 'utf-8');
    assert.match(map, /1 of 425 dongs have data/); // 11110530 (사직동) coloured, the others drawn as without data

    await assert.rejects(cli(['population', 'forecast', '--dong', '11110530', '--from', 'yesterday', '--db', db]), /--from yesterday/);
  } finally {
    t.dispose();
  }
});
