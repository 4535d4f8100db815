import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from './connection.ts';
import { applyMigrations, currentVersion } from './migrations.ts';
import { MIGRATIONS } from './schema.ts';
import { withTempStore } from '../../../test/helpers/store.ts';

test('a new store is migrated to the latest version, and migrating again changes nothing', () =>
  withTempStore(async (t) => {
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    assert.equal(await currentVersion(t.store), latest);
    assert.deepEqual(await applyMigrations(t.store), []);
    await t.store.close();
    const again = await openStore(t.path);
    assert.equal(await currentVersion(again), latest);
    await again.close();
  }));

test('a failed transaction leaves no rows behind', () =>
  withTempStore(async (t) => {
    await assert.rejects(
      t.store.transaction(async (s) => {
        await s.run("INSERT INTO systems (system_id) VALUES ('x')");
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await t.store.all('SELECT * FROM systems'), []);
  }));

test('concurrent transactions on one store run one after the other; a nested one joins its parent', () =>
  withTempStore(async (t) => {
    const order: string[] = [];
    const tx = (id: string, fail: boolean) =>
      t.store.transaction(async (s) => {
        order.push(`begin ${id}`);
        await s.run('INSERT INTO systems (system_id) VALUES ($1)', [id]);
        await new Promise((r) => setTimeout(r, 5));
        await s.transaction(async (inner) => inner.run('INSERT INTO systems (system_id) VALUES ($1)', [`${id}-nested`]));
        order.push(`end ${id}`);
        if (fail) throw new Error(`fail ${id}`);
      });
    const results = await Promise.allSettled([tx('a', false), tx('b', true), tx('c', false)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(order, ['begin a', 'end a', 'begin b', 'end b', 'begin c', 'end c']);
    const rows = await t.store.all<{ system_id: string }>('SELECT system_id FROM systems ORDER BY 1');
    assert.deepEqual(rows.map((r) => r.system_id), ['a', 'a-nested', 'c', 'c-nested']);
  }));
