// A quote that opens a field and is never closed (issue 20): DuckDB read the rest of the file as
// one value (seoul-trips: a DuckDB unicode error; gbfs-trips: the quote stored as data), and
// csv-parse failed at the end of the file. Now every CSV importer refuses the file, naming the
// line where the quote opened and its field, and the store keeps what it had.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { dataFile } from '../src/platform/bundled-data.ts';
import { loadImporter } from '../src/platform/import/registry.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { tempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

/** The file with a quote put at the start of field `field` (0-based) of line `line` (1-based). */
function withOpenQuote(text: string, line: number, field: number): string {
  const lines = text.split('\n');
  const cells = lines[line - 1]!.split(',');
  cells[field] = '"' + cells[field];
  lines[line - 1] = cells.join(',');
  return lines.join('\n');
}

const CASES = [
  { kind: 'seoul-trips', file: 'seoul/trips/trip_history_sample_17col_999rows.csv', system: 'seoul', line: 100, field: 1, name: '대여일시', encoding: 'utf-8' },
  { kind: 'gbfs-trips', file: 'trips/divvy_2020-Q1_first_10k_rows.csv', system: 'divvy', line: 500, field: 1, name: 'rideable_type', encoding: 'utf-8' },
  { kind: 'seoul-stations', file: 'seoul/stations/official_station_list_2023-06_cp949.csv', system: 'seoul', line: 2000, field: 4, name: '위도', encoding: 'cp949' },
  { kind: 'weather', file: 'seoul/weather/kma_asos108_hourly_2022-01_2022-03_cp949.csv', system: 'seoul', line: 40, field: 3, name: '기온(°C)', encoding: 'cp949' },
] as const;

for (const c of CASES) {
  test(`${c.kind}: an unclosed quote is refused with the file, the line it opened on and its field; nothing stored`, async () => {
    const t = await tempStore();
    try {
      const original = readFileSync(dataFile(c.file));
      const text = c.encoding === 'cp949' ? iconv.decode(original, 'cp949') : original.toString('utf-8');
      const bad = withOpenQuote(text, c.line, c.field);
      const f = join(t.dir, `quote_${c.kind}.csv`);
      writeFileSync(f, c.encoding === 'cp949' ? iconv.encode(bad, 'cp949') : bad);
      const importer = await loadImporter(c.kind);
      const tables = ['imports', 'import_rejects', 'trips', 'stations', 'weather_hourly'];
      const count = async () => {
        const out: Record<string, number> = {};
        for (const tb of tables) out[tb] = (await t.store.all<{ n: number }>(`SELECT count(*) AS n FROM ${tb}`))[0]!.n;
        return out;
      };
      const before = await count();
      await assert.rejects(runImport(t.store, importer, [f], { system: asSystemId(c.system) }), (err: Error) => {
        assert.equal(err.name, 'ImportError');
        assert.ok(err.message.startsWith(`${f}, line ${c.line}`), err.message);
        assert.ok(err.message.includes(`field '${c.name}'`) || err.message.includes(`field '${c.name.trim()}'`), err.message);
        assert.match(err.message, /quote .* never closed|closed only at line/);
        return true;
      });
      assert.deepEqual(await count(), before);
    } finally {
      await t.dispose();
    }
  });
}
