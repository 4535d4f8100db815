import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSolution } from './checker.ts';
import { makeInstance, type InstanceSpec } from './instance.ts';

// depot, a (+3 collect), b (-2 drop), c (-3 drop); symmetric costs.
const base: InstanceSpec = {
  name: 'hand',
  ids: ['depot', 'a', 'b', 'c'],
  demand: [0, 3, -2, -3],
  capacity: 4,
  cost: [
    [0, 1, 2, 3],
    [1, 0, 4, 5],
    [2, 4, 0, 6],
    [3, 5, 6, 0],
  ],
  visitAll: true,
};

test('a valid solution passes and its cost is recomputed', () => {
  const inst = makeInstance(base);
  const r = checkSolution(inst, [{ stops: [{ id: 'a', collect: 3 }, { id: 'b', drop: 2 }] }, { stops: [{ id: 'c', drop: 3 }] }], 1 + 4 + 2 + 3 + 3);
  assert.deepEqual(r.errors, []);
  assert.equal(r.objective, 13);
});

test('a load spread above capacity is caught (free start load)', () => {
  const inst = makeInstance(base);
  // drops 2 then 3 (needs 5 on board) with Q = 4
  const r = checkSolution(inst, [{ stops: [{ id: 'b', drop: 2 }, { id: 'c', drop: 3 }, { id: 'a', collect: 3 }] }]);
  assert.equal(r.ok, false);
  assert.match(r.errors.join('\n'), /load varies by 5/);
});

test('a fixed start load is enforced', () => {
  const inst = makeInstance({ ...base, startLoad: 0 });
  const r = checkSolution(inst, [{ stops: [{ id: 'b', drop: 2 }, { id: 'a', collect: 3 }] }, { stops: [{ id: 'c', drop: 3 }] }]);
  assert.equal(r.ok, false);
  assert.match(r.errors.join('\n'), /load falls to -2/);
});

test('wrong quantities, unknown ids, double visits, route limit, fleet size and a wrong objective are reported', () => {
  const inst = makeInstance({ ...base, maxRouteCost: 10, vehicles: 1 });
  const r = checkSolution(
    inst,
    [
      { stops: [{ id: 'a', collect: 2 }, { id: 'zz', drop: 1 }] },
      { stops: [{ id: 'b', drop: 2 }, { id: 'c', drop: 3 }, { id: 'a', collect: 1 }] },
    ],
    1,
  );
  const text = r.errors.join('\n');
  assert.match(text, /unknown station id/);
  assert.match(text, /station 'a': visited 2 times/);
  assert.match(text, /exceeds the route limit 10/);
  assert.match(text, /2 routes for 1 vehicles/);
  assert.match(text, /claimed objective 1 differs/);
  const missing = checkSolution(inst, [{ stops: [{ id: 'a', collect: 3 }] }]);
  assert.match(missing.errors.join('\n'), /station 'b': moved 0 bikes/);
});
