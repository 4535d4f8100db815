import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from './connection.ts';
import { applyMigrations, currentVersion } from './migrations.ts';
import { MIGRATIONS } from './schema.ts';
import { tempStore } from '../../../test/helpers/store.ts';

test('a new store is migrated to the latest version, and migrating again changes nothing', async () => {
  const t = await tempStore();
  try {
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    assert.equal(await currentVersion(t.store), latest);
    assert.deepEqual(await applyMigrations(t.store), []);
    await t.store.close();
    const again = await openStore(t.path);
    assert.equal(await currentVersion(again), latest);
    await again.close();
  } finally {
    await t.dispose();
  }
});

test('a failed transaction leaves no rows behind', async () => {
  const t = await tempStore();
  try {
    await assert.rejects(
      t.store.transaction(async (s) => {
        await s.run("INSERT INTO systems (system_id) VALUES ('x')");
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await t.store.all('SELECT * FROM systems'), []);
  } finally {
    await t.dispose();
  }
});
