// Splitting the living-population files' lines: the hand-written splitter of the importer
// (src/platform/import/living-population.ts, splitLine) against csv-parse, on the real bundled
// files (data/seoul/living_population, 2017-2022, ~48 k lines of 31 fields, UTF-8, no quotes).
// The hand splitter stays while csv-parse is slower on these files (issue 18: a library where it
// is as fast); this bench prints both and the ratio, measured in the same run.
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseStream } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { splitLine } from '../src/platform/import/living-population.ts';
import { describeMachine, saveResults } from './lib/machine.ts';

const DIR = join(import.meta.dirname, '..', '..', 'shared', 'data', 'seoul', 'living_population');
const files = readdirSync(DIR).filter((f) => f.endsWith('.csv')).sort().map((f) => join(DIR, f));
const bytes = files.reduce((a, f) => a + readFileSync(f).length, 0);
console.log(describeMachine());

// The importer's way: readline gives lines, splitLine splits each.
async function hand(): Promise<number> {
  let cells = 0;
  for (const f of files) {
    const lines = createInterface({ input: createReadStream(f).setEncoding('utf-8'), crlfDelay: Infinity });
    for await (const line of lines) if (line !== '') cells += splitLine(line).length;
  }
  return cells;
}

// csv-parse's stream parser over the same file (it finds the line ends itself).
async function library(): Promise<number> {
  let cells = 0;
  for (const f of files) {
    const parser = createReadStream(f).pipe(parseStream({ relax_column_count: true, skip_empty_lines: true }));
    for await (const rec of parser) cells += (rec as string[]).length;
  }
  return cells;
}

// csv-parse called once per readline line (the importer's loop kept, the split replaced).
async function libraryPerLine(): Promise<number> {
  let cells = 0;
  for (const f of files) {
    const lines = createInterface({ input: createReadStream(f).setEncoding('utf-8'), crlfDelay: Infinity });
    for await (const line of lines) if (line !== '') cells += (parseSync(line, { relax_column_count: true }) as string[][])[0]!.length;
  }
  return cells;
}

const ways = { hand, library, libraryPerLine } as const;
const times: Record<string, number[]> = { hand: [], library: [], libraryPerLine: [] };
let cells = 0;
for (let round = 0; round < 5; round++) {
  for (const [name, fn] of Object.entries(ways)) {
    const t0 = performance.now();
    const n = await fn();
    times[name]!.push(performance.now() - t0);
    if (cells && n !== cells) throw new Error(`${name} read ${n} cells, others ${cells}`);
    cells = n;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
console.log(`data: ${files.length} real files, ${(bytes / 2 ** 20).toFixed(1)} MiB, ${cells.toLocaleString('en-US')} cells; median of 5 rounds, interleaved`);
console.log(`  hand splitter (baseline): ${m['hand']} ms`);
console.log(`  csv-parse stream:         ${m['library']} ms (${(m['library']! / m['hand']!).toFixed(2)}x)`);
console.log(`  csv-parse per line:       ${m['libraryPerLine']} ms (${(m['libraryPerLine']! / m['hand']!).toFixed(2)}x)`);
console.log(`results: ${saveResults('csv-split', { files: files.length, bytes, cells, median_ms: m, ratio_stream: m['library']! / m['hand']!, ratio_per_line: m['libraryPerLine']! / m['hand']! })}`);
