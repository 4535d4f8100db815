// `info --rejects` (issue 20, 4): the rejected rows of the last imports, each with its file, line,
// field and reason, read back from the store (import_rejects), newest import first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeRejects } from '../src/cli/info.ts';
import { dataFile, repoRoot } from '../src/platform/bundled-data.ts';
import { SEOUL_SYSTEM } from '../src/platform/ids.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { importer, TRIP_REASONS } from '../src/platform/import/seoul-trips.ts';
import { recentRejects } from '../src/platform/store/info.ts';
import { tempStore } from './helpers/store.ts';

test('info --rejects lists each import\'s rejected rows with file, line, field and reason, newest first', async () => {
  const t = await tempStore();
  try {
    const lines = readFileSync(dataFile('seoul/trips/trip_history_sample_17col_999rows.csv'), 'utf-8').split('\n');
    // Two files from the real sample: rows 2-11 with line 4's rental date spoilt; rows 12-21 with line 7's start station blanked.
    const cut = (from: number, spoil: number, f: (cells: string[]) => void) => {
      const body = lines.slice(from, from + 10).map((l, i) => { if (i + 2 !== spoil) return l; const c = l.split(','); f(c); return c.join(','); });
      return [lines[0], ...body].join('\n') + '\n';
    };
    const a = join(t.dir, 'a.csv');
    const b = join(t.dir, 'b.csv');
    writeFileSync(a, cut(1, 4, (c) => { c[1] = 'yesterday'; }));
    writeFileSync(b, cut(11, 7, (c) => { c[2] = ''; }));
    await runImport(t.store, importer, [a], { system: SEOUL_SYSTEM });
    await runImport(t.store, importer, [b], { system: SEOUL_SYSTEM });
    const r = await recentRejects(t.store, 5);
    assert.deepEqual(r.map((i) => [i.file, i.rejected, i.rows.map((x) => [x.line, x.field, x.reason])]), [
      [b, 1, [[7, '대여 대여소번호 / 반납대여소번호', TRIP_REASONS.missingStation]]],
      [a, 1, [[4, '대여일시', TRIP_REASONS.unparseableDate]]],
    ]);
    assert.equal((await recentRejects(t.store, 1)).length, 1);
    const text = describeRejects(r);
    assert.match(text, new RegExp(`b\\.csv \\(seoul-trips, seoul, import \\d+, .*\\): 1 rejected: 1 ${TRIP_REASONS.missingStation}\\n  line 7, field '대여 대여소번호 / 반납대여소번호': ${TRIP_REASONS.missingStation}: `));
    await t.store.close();
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot(), 'bin', 'urbanlab.js'), 'info', '--db', t.path, ...args], { encoding: 'utf-8' });
    const json = cli('--rejects', '2', '--json');
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as { rejects: { rows: { line: number }[] }[] }).rejects.map((i) => i.rows[0]!.line), [7, 4]);
    const bad = cli('--rejects', 'all');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--rejects must be a whole number of imports/);
  } finally {
    await t.dispose();
  }
});
