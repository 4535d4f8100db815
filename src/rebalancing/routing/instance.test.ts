import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InstanceError, makeInstance, type InstanceSpec } from './instance.ts';

const ok: InstanceSpec = { name: 't', ids: ['d', 'a', 'b'], demand: [0, 3, -2], capacity: 5, cost: [[0, 1, 2], [1, 1e9, 3], [2, 3, 999999000]] };

test('a valid spec becomes an instance with diagonal sentinels dropped', () => {
  const inst = makeInstance(ok);
  assert.equal(inst.cost[4], 0);
  assert.equal(inst.cost[8], 0);
  assert.equal(inst.vehicles, Infinity);
  assert.equal(inst.startLoad, 'free');
});

test('bad instances give clear errors', () => {
  assert.throws(() => makeInstance({ ...ok, capacity: -3 }), (e: Error) => e instanceof InstanceError && /capacity must be a positive integer, got -3/.test(e.message));
  assert.throws(() => makeInstance({ ...ok, demand: [0, 6, -2], visitAll: true }), /station 'a': demand 6 exceeds the truck capacity 5, and visit_all forbids splitting/);
  assert.doesNotThrow(() => makeInstance({ ...ok, demand: [0, 6, -2] })); // split over visits
  assert.throws(() => makeInstance({ ...ok, cost: [[0, 1], [1, 0]] }), /cost matrix has 2 rows, expected 3/);
  assert.throws(() => makeInstance({ ...ok, cost: [[0, 1, 2], [1, 0], [2, 3, 0]] }), /cost matrix row 1 has 2 entries, expected 3/);
  assert.throws(() => makeInstance({ ...ok, ids: ['d', 'a', 'a'] }), /station id 'a' appears twice/);
  assert.throws(() => makeInstance({ ...ok, cost: [[0, -1, 2], [1, 0, 3], [2, 3, 0]] }), /cost from 'd' to 'a' must be a finite non-negative number/);
  assert.throws(() => makeInstance({ ...ok, startLoad: 9 }), /start_load must be "free" or an integer in \[0, 5\]/);
  assert.throws(() => makeInstance({ ...ok, vehicles: 0 }), /vehicles must be a positive integer/);
});
