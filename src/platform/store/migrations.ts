// Applies the schema versions in order, each in its own transaction, and records them.
import type { Store } from './connection.ts';
import { MIGRATIONS, type Migration } from './schema.ts';

export async function currentVersion(store: Store): Promise<number> {
  await store.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const rows = await store.all<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return rows[0]?.v ?? 0;
}

export async function applyMigrations(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const from = await currentVersion(store);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= from) continue;
    await store.transaction(async (s) => {
      await s.run(m.sql);
      await s.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    applied.push(m.version);
  }
  return applied;
}
