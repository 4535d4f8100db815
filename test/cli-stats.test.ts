// End to end: `urbanlab stats` as a user runs it, on a store with the real UCI Seoul file and the
// real district boundaries: the JSON contract, readable tables, CSV files and SVG + PNG charts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile } from '../src/platform/bundled-data.ts';
import { tempDir } from './helpers/store.ts';
import { cli } from './helpers/cli.ts';


test('CLI: stats --json keeps the contract; tables, --csv and --out work; bad input is a clear error', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'cli.duckdb');
    await cli(['import', 'uci-seoul', dataFile('seoul/uci/SeoulBikeData.csv'), '--db', db, '--quiet']);
    const json = JSON.parse((await cli(['stats', '--system', 'seoul', '--from', '2018-06-01', '--to', '2018-06-30', '--db', db, '--json'])).stdout) as {
      by_hour_daytype: { hour: number; day_type: string; rentals: number }[];
      stations: unknown[];
      rule: { text: string };
      span: { from: string; to: string };
    };
    assert.equal(json.by_hour_daytype.length, 72); // 24 hours x weekday, weekend, holiday (6/6, 6/13)
    assert.ok(json.by_hour_daytype.every((r) => Number.isInteger(r.hour) && ['weekday', 'weekend', 'holiday'].includes(r.day_type) && r.rentals >= 0));
    assert.deepEqual(json.stations, []); // the UCI file has no stations
    assert.match(json.rule.text, /net = returns - pickups/);
    assert.deepEqual([json.span.from, json.span.to], ['2018-06-01', '2018-06-30']);

    const csv = join(t.dir, 'csv');
    const out = join(t.dir, 'charts');
    const text = (await cli(['stats', '--system', 'seoul', '--db', db, '--csv', csv, '--out', out])).stdout;
    assert.match(text, /Rentals per day by hour of day and day type/);
    assert.match(text, /times in Asia\/Seoul/);
    const header = readFileSync(join(csv, 'by_hour_daytype.csv'), 'utf8').split('\n')[0];
    assert.equal(header, 'hour,day_type,rentals,days,rentals_per_day,observed_days,coverage,thin');
    assert.ok(readdirSync(csv).includes('stations.csv'));
    const charts = readdirSync(out).sort();
    for (const name of ['heatmap_hour_weekday', 'hourly_profile_by_day_type', 'weather_response', 'monthly_trend']) {
      assert.ok(charts.includes(`${name}.svg`) && charts.includes(`${name}.png`), `${name} written`);
    }

    await assert.rejects(cli(['stats', '--system', 'nowhere', '--db', db]), (e: { stderr: string; code: number }) => e.code === 2 && /no system 'nowhere'/.test(e.stderr));
    await assert.rejects(cli(['stats', '--system', 'seoul', '--from', '2018-13-01', '--db', db]), (e: { stderr: string; code: number }) => e.code === 2 && /--from: '2018-13-01' is not a date/.test(e.stderr));
  } finally {
    t.dispose();
  }
});
