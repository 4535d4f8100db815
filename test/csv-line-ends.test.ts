// Seoul publishes trip files with CRLF line ends (issue 20, 4). On a CRLF file of 20 rows with 5
// bad ones the import reported 9 rejected and placed line 10 at line 15: DuckDB's text of a CRLF
// reject starts with the previous line's '\n', so each reject counted as two lines. Line numbers
// and counts must be exact for LF, CRLF, a BOM and a quoted field that holds a line break.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile } from '../src/platform/bundled-data.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { importer, TRIP_REASONS } from '../src/platform/import/seoul-trips.ts';
import { tempStore } from './helpers/store.ts';

const lines = readFileSync(dataFile('seoul/trips/trip_history_sample_17col_999rows.csv'), 'utf-8').replace(/^\uFEFF/, '').split(/\r?\n/);
const header = lines[0]!;
const rows = lines.slice(1, 21);
const field = (r: string, i: number, v: string) => r.split(',').map((c, k) => (k === i ? v : c)).join(',');
/** Row index (0-based) -> the corruption, and the reason it must be rejected for. */
const BAD: Record<number, [(r: string) => string, string]> = {
  2: [(r) => field(r, 1, 'abc'), TRIP_REASONS.unparseableDate],
  5: [(r) => r.split(',').slice(0, 10).join(','), TRIP_REASONS.wrongFieldCount],
  8: [(r) => field(r, 2, ''), TRIP_REASONS.missingStation],
  11: [(r) => r + ',extra', TRIP_REASONS.wrongFieldCount],
  14: [(r) => field(r, 5, '2017-08-01 00:00:00'), TRIP_REASONS.returnBeforeRental],
};
const body = rows.map((r, i) => (BAD[i] ? BAD[i]![0](r) : r));

async function importText(name: string, text: string): Promise<{ imported: number; rejected: number; lines: [number, string][] }> {
  const t = await tempStore();
  try {
    const f = join(t.dir, name);
    writeFileSync(f, text);
    const s = await runImport(t.store, importer, [f]);
    const rej = await t.store.all<{ line: number; reason: string }>('SELECT line, reason FROM import_rejects ORDER BY line');
    // The import's own result carries the same samples (import --json: files[].samples).
    assert.deepEqual(s.files[0]!.samples.map((x) => [x.line ?? 0, x.reason] as [number, string]).sort((a, b) => a[0] - b[0]), rej.map((r) => [r.line, r.reason]));
    return { imported: s.imported, rejected: Object.values(s.rejected).reduce((a, b) => a + b, 0), lines: rej.map((r) => [r.line, r.reason]) };
  } finally {
    await t.dispose();
  }
}

test('20 rows, 5 bad: LF, CRLF and CRLF with a BOM give the same counts and the same file lines', async () => {
  // Header on line 1, row i on line i + 2.
  const expected: [number, string][] = Object.entries(BAD).map(([i, [, reason]]) => [Number(i) + 2, reason]);
  for (const [name, eol, bom] of [['lf.csv', '\n', ''], ['crlf.csv', '\r\n', ''], ['crlf_bom.csv', '\r\n', '\uFEFF']] as const) {
    const r = await importText(name, bom + [header, ...body].join(eol) + eol);
    assert.equal(r.imported, 15, name);
    assert.equal(r.rejected, 5, name);
    assert.deepEqual(r.lines, expected, name);
  }
});

test('a quoted field holding a line break moves the lines of the rows after it by one', async () => {
  // Row 0's station name written over two lines, quoted (as the official station lists do).
  const first = field(body[0]!, 3, '"IFC\r\n몰"');
  const r = await importText('multiline_crlf.csv', [header, first, ...body.slice(1)].join('\r\n') + '\r\n');
  assert.equal(r.imported, 15);
  assert.equal(r.rejected, 5);
  assert.deepEqual(r.lines, Object.entries(BAD).map(([i, [, reason]]) => [Number(i) + 3, reason]));
});
