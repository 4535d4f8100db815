// End to end: `urbanlab route solve` as a user runs it, on the three --format layouts (a small
// instance written here, a real Dell'Amico instance in both published layouts, a real SLR city),
// checking the --json contract of issue 8 and re-checking every answer with the independent checker.
// Iteration budgets keep each run short and deterministic.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile } from '../src/platform/bundled-data.ts';
import { checkSolution } from '../src/rebalancing/routing/checker.ts';
import { readInstance } from '../src/rebalancing/routing/read/index.ts';
import { tempDir } from './helpers/store.ts';
import { cli } from './helpers/cli.ts';


interface Answer {
  objective: number;
  seconds: number;
  routes: { stops: ({ id: string; collect: number } | { id: string; drop: number })[] }[];
  unserved?: string[];
}

/** The --json contract: numbers, routes of stops with a string id and exactly one of collect/drop. */
function assertShape(out: Answer, depot: string): void {
  assert.deepEqual(Object.keys(out).sort(), ['objective', 'routes', 'seconds']);
  assert.equal(typeof out.objective, 'number');
  assert.equal(typeof out.seconds, 'number');
  assert.ok(out.routes.length > 0);
  for (const r of out.routes) {
    assert.deepEqual(Object.keys(r), ['stops']);
    assert.ok(r.stops.length > 0);
    for (const s of r.stops) {
      assert.equal(typeof s.id, 'string');
      assert.notEqual(s.id, depot, 'the depot is not listed as a stop');
      const keys = Object.keys(s).filter((k) => k !== 'id');
      assert.equal(keys.length, 1, JSON.stringify(s));
      assert.ok(keys[0] === 'collect' || keys[0] === 'drop', JSON.stringify(s));
      const q = 'collect' in s ? s.collect : s.drop;
      assert.ok(Number.isInteger(q) && q > 0, JSON.stringify(s));
    }
  }
}

test('CLI: route solve --format json on a small instance', async () => {
  const t = tempDir();
  try {
    const file = join(t.dir, 'tiny.json');
    writeFileSync(
      file,
      JSON.stringify({
        capacity: 5,
        vehicles: 2,
        start_load: 'free',
        visit_all: true,
        stations: [
          { id: 'depot', demand: 0 },
          { id: 'a', demand: 3 },
          { id: 'b', demand: -2 },
          { id: 'c', demand: 4 },
          { id: 'd', demand: -5 },
        ],
        cost: [
          [0, 7, 9, 4, 6],
          [7, 0, 4, 5, 3],
          [9, 4, 0, 6, 2],
          [4, 5, 6, 0, 8],
          [6, 3, 2, 8, 0],
        ],
      }),
    );
    const out = JSON.parse((await cli(['route', 'solve', file, '--format', 'json', '--iterations', '300', '--seed', '3', '--json'])).stdout) as Answer;
    assertShape(out, 'depot');
    const check = checkSolution(readInstance(file, 'json'), out.routes, out.objective);
    assert.deepEqual(check.errors, []);
    assert.ok(out.routes.length <= 2);
    const ids = out.routes.flatMap((r) => r.stops.map((s) => s.id)).sort();
    assert.deepEqual(ids, ['a', 'b', 'c', 'd'], 'visit_all: every station exactly once');

    // The text form (same seed and iterations: the same answer) names the objective and each route.
    const text = (await cli(['route', 'solve', file, '--format', 'json', '--iterations', '300', '--seed', '3'])).stdout;
    assert.match(text, new RegExp(`objective ${out.objective} with ${out.routes.length} route\\(s\\)`));
    assert.equal((text.match(/^route \d+:/gm) ?? []).length, out.routes.length);
  } finally {
    t.dispose();
  }
});

test('CLI: route solve --format dellamico reads both published layouts of a real instance alike', async () => {
  const json = dataFile('routing', 'dellamico2014', 'json', '3Bari10.json');
  const txt = dataFile('routing', 'dellamico2014', 'original_txt', '3Bari10.txt');
  const args = ['--format', 'dellamico', '--iterations', '400', '--seed', '1', '--json'];
  const a = JSON.parse((await cli(['route', 'solve', json, ...args])).stdout) as Answer;
  const b = JSON.parse((await cli(['route', 'solve', txt, ...args])).stdout) as Answer;
  assertShape(a, '0');
  assert.equal(a.objective, b.objective);
  assert.deepEqual(a.routes, b.routes);
  const inst = readInstance(txt, 'dellamico');
  assert.deepEqual(checkSolution(inst, a.routes, a.objective).errors, []);
  // 12 stations each visited once; never below the proven optimum (20,600, best_known.csv).
  assert.equal(a.routes.flatMap((r) => r.stops).length, 12);
  assert.ok(a.objective >= 20600, `objective ${a.objective}`);
});

test('CLI: route solve --strategy genetic and annealing both give checked routes of a real instance; a bad strategy is refused', async () => {
  const json = dataFile('routing', 'dellamico2014', 'json', '9Bergamo12.json');
  const inst = readInstance(json, 'dellamico');
  for (const strategy of ['genetic', 'annealing']) {
    const out = JSON.parse((await cli(['route', 'solve', json, '--format', 'dellamico', '--iterations', '300', '--strategy', strategy, '--json'])).stdout) as Answer;
    assert.deepEqual(checkSolution(inst, out.routes, out.objective).errors, []);
    assert.ok(out.objective >= 13500, `${strategy}: objective ${out.objective} below the proven optimum`);
  }
  await assert.rejects(cli(['route', 'solve', json, '--format', 'dellamico', '--strategy', 'tabu']), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 2);
    assert.match(err.stderr, /--strategy: expected one of auto, genetic, annealing, got 'tabu'/);
    return true;
  });
});

test('CLI: route solve --format slr on a real city meets every target', async () => {
  const city = dataFile('routing', 'slr_2024', 'boston424.txt');
  const out = JSON.parse((await cli(['route', 'solve', city, '--format', 'slr', '--iterations', '30', '--time-limit', '20s', '--json'])).stdout) as Answer;
  const inst = readInstance(city, 'slr');
  assertShape(out, inst.ids[0]!);
  assert.equal(out.unserved, undefined);
  assert.deepEqual(checkSolution(inst, out.routes, out.objective).errors, []);
  for (const r of out.routes) for (const s of r.stops) assert.ok(('collect' in s ? s.collect : s.drop) <= 40, 'trucks of 40');
});

test('CLI: route solve on a bad instance fails with a message naming the file and the problem', async () => {
  const t = tempDir();
  try {
    const file = join(t.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ capacity: 10, stations: [{ id: 'depot' }, { id: 'a', demand: 2 }], cost: [[0, 1, 2], [1, 0, 3]] }));
    await assert.rejects(cli(['route', 'solve', file, '--format', 'json', '--json']), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /bad\.json/);
      assert.match(err.stderr, /cost matrix has 2 rows, expected 2|cost matrix row 0 has 3 entries, expected 2/);
      return true;
    });
    await assert.rejects(cli(['route', 'solve', file, '--format', 'csv']), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /unknown --format 'csv'/);
      return true;
    });
  } finally {
    t.dispose();
  }
});
