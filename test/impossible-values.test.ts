// Values that cannot be (issue 20, 5): a trip file's own negative duration was stored as given
// (gbfs-trips kept duration_s = -500), and a CP949 JSON given to `import gbfs` stored its names as
// replacement characters with exit 0. Both are now refused: the rows by reason with their line,
// the file naming the line of its first byte that is not UTF-8.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { dataFile } from '../src/platform/bundled-data.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { importer as gbfsTrips } from '../src/platform/import/gbfs-trips.ts';
import { importer as gbfs } from '../src/platform/import/gbfs.ts';
import { tempStore, withTempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

test('gbfs-trips: a negative duration and impossible coordinates are rejected by reason, with their lines', () =>
  withTempStore(async (t) => {
    // The real Bay Wheels 2019 file, first 20 trips: line 5's duration made -500, line 9's start at 0,0.
    const lines = readFileSync(dataFile('trips/baywheels_fordgobike_2019-02-26_28.csv'), 'utf-8').split('\n').slice(0, 21);
    lines[4] = lines[4]!.replace(/^"?\d+"?,/, '-500,');
    const cells = lines[8]!.split(',');
    cells[5] = '0';
    cells[6] = '0';
    lines[8] = cells.join(',');
    const f = join(t.dir, 'bw_bad.csv');
    writeFileSync(f, lines.join('\n') + '\n');
    const s = await runImport(t.store, gbfsTrips, [f], { system: asSystemId('baywheels') });
    assert.equal(s.imported, 18);
    assert.deepEqual(s.rejected, { 'negative duration': 1, 'start coordinates outside the earth': 1 });
    const rej = await t.store.all<{ line: number; reason: string }>('SELECT line, reason FROM import_rejects ORDER BY line');
    assert.deepEqual(rej.map((r) => [r.line, r.reason]), [[5, 'negative duration'], [9, 'start coordinates outside the earth']]);
    const [neg] = await t.store.all<{ n: number }>('SELECT count(*) AS n FROM trips WHERE duration_s < 0');
    assert.equal(neg!.n, 0);
  }));

test('import gbfs: a CP949 station_information is refused naming the line, not stored as replacement characters', () =>
  withTempStore(async (t) => {
    const doc = JSON.parse(readFileSync(dataFile('gbfs/citibike_nyc/2024-10-02/station_information.json'), 'utf-8')) as { data: { stations: { name: string }[] } };
    doc.data.stations[0]!.name = '여의나루역 1번출구 앞';
    const f = join(t.dir, 'station_information.json');
    writeFileSync(f, iconv.encode(JSON.stringify(doc, null, 1), 'cp949'));
    await assert.rejects(runImport(t.store, gbfs, [f], { system: asSystemId('citibike_nyc') }),
      (err: Error) => err.name === 'ImportError' && /station_information\.json, line \d+: not UTF-8 text \(it reads as CP949\/EUC-KR\)/.test(err.message));
    const [n] = await t.store.all<{ n: number }>('SELECT count(*) AS n FROM stations');
    assert.equal(n!.n, 0);
  }));
