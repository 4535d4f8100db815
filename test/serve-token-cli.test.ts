// `urbanlab serve token create --db <file>` writes the token into that store (serve's own --db
// once swallowed the option and the token went to ./urbanlab.duckdb), and the service knows it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { hashToken } from '../src/server/tokens.ts';
import { tempDir } from './helpers/store.ts';

test('serve token create --db: the token is stored in the named store, not in the working folder', async () => {
  const dir = await tempDir();
  try {
    const db = join(dir.dir, 'ops.duckdb');
    await (await openStore(db)).close(); // a store that exists (token create refuses a path with none)
    const token = execFileSync(process.execPath, [join(repoRoot(), 'bin', 'urbanlab.js'), 'serve', 'token', 'create', '--role', 'operator', '--db', db], { cwd: dir.dir, encoding: 'utf-8' }).trim();
    assert.match(token, /^ul_o_/);
    assert.equal(existsSync(join(dir.dir, 'urbanlab.duckdb')), false, 'nothing written to ./urbanlab.duckdb');
    const store = await openStore(db);
    try {
      const rows = await store.all<{ role: string }>('SELECT role FROM service_tokens WHERE token_hash = $1', [hashToken(token)]);
      assert.deepEqual(rows.map((r) => r.role), ['operator']);
    } finally {
      await store.close();
    }
  } finally {
    await dir.dispose();
  }
});
