import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDellAmico } from './dellamico.ts';
import { readInstance } from './index.ts';
import { readJsonInstance } from './json.ts';
import { haversineKm, readSlr } from './slr.ts';

const DATA = '/work/shared/data/routing';

test("Dell'Amico 1Bari30: the JSON and the original CRLF/tab text give the same instance", () => {
  const a = readDellAmico(join(DATA, 'dellamico2014/json/1Bari30.json'));
  const b = readDellAmico(join(DATA, 'dellamico2014/original_txt/1Bari30.txt'));
  assert.equal(a.ids.length, 13);
  assert.equal(a.capacity, 30);
  assert.equal(a.visitAll, true);
  assert.deepEqual([...a.demand], [0, -1, -3, -1, -3, 1, -4, -5, -1, -5, -1, -2, 5]);
  assert.deepEqual([...a.demand], [...b.demand]);
  assert.deepEqual([...a.cost], [...b.cost]);
  assert.equal(a.cost[1], 2800);
  assert.equal(a.cost[14], 0); // the 1e9 sentinel on the diagonal
});

test('SLR Boston: every id a string, demand = bikes - target, trucks of 40, 160 km routes', () => {
  const inst = readSlr(join(DATA, 'slr_2024/boston424.txt'));
  assert.equal(inst.ids.length, 424);
  assert.ok(inst.ids.every((id) => typeof id === 'string'));
  assert.equal(inst.ids[1], 'f83464e4-0de8-11e7-991c-3863bb43a7d0');
  assert.equal(inst.capacity, 40);
  assert.equal(inst.maxRouteCost, 160);
  assert.equal(inst.visitAll, false);
  // Haversine km: depot (42.3517, -71.0405) to the first station (42.3401, -71.1006).
  assert.ok(Math.abs(inst.cost[1]! - haversineKm(42.3517, -71.0405, 42.3401, -71.1006)) < 1e-12);
  assert.ok(inst.cost[1]! > 4.9 && inst.cost[1]! < 5.2);
});

test('SLR New York keeps 19-digit station ids exactly', () => {
  const inst = readSlr(join(DATA, 'slr_2024/newyork2176.txt'));
  assert.equal(inst.ids.length, 2176);
  assert.equal(inst.ids[1], '1799624430022654108');
});

test('the minimal JSON form reads, and bad files name the problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'route-json-'));
  const write = (name: string, doc: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return f;
  };
  const good = {
    capacity: 30,
    vehicles: 5,
    start_load: 'free',
    stations: [
      { id: 'depot', demand: 0 },
      { id: 'a', demand: 3 },
      { id: 'b', demand: -2 },
    ],
    cost: [
      [0, 7, 9],
      [7, 0, 4],
      [9, 4, 0],
    ],
  };
  const inst = readJsonInstance(write('good.json', good));
  assert.equal(inst.vehicles, 5);
  assert.deepEqual(inst.ids, ['depot', 'a', 'b']);
  assert.throws(() => readInstance(write('neg.json', { ...good, capacity: -1 }), 'json'), /neg\.json: capacity must be a positive integer, got -1/);
  assert.throws(() => readInstance(write('size.json', { ...good, cost: [[0, 1], [1, 0]] }), 'json'), /size\.json: cost matrix has 2 rows, expected 3/);
  assert.throws(() => readInstance(write('big.json', { ...good, visit_all: true, stations: [good.stations[0], { id: 'a', demand: 31 }, good.stations[2]] }), 'json'), /station 'a': demand 31 exceeds the truck capacity 30/);
  assert.throws(() => readInstance(write('id.json', { ...good, stations: [{ id: 0 }, { id: 'a' }, { id: 'b' }] }), 'json'), /station 0: id must be a string/);
  assert.throws(() => readInstance(write('broken.json', '{"capacity": '), 'json'), /broken\.json: not valid JSON/);
  assert.throws(() => readInstance(write('x.txt', '3\n0\t1\n5\n'), 'dellamico'), /x\.txt, line 2, field 'demands': 2 demands for n = 3/);
  assert.throws(() => readInstance('x', 'csv'), /unknown --format 'csv'/);
});
