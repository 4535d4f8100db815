// Insert rows, replacing any row with the same key: the way sources that overlap in time (a later
// weather file repeating hours of an earlier one) land without duplicates.
import type { Store } from './connection.ts';

type Cell = string | number | boolean | null;

let stageCounter = 0;

/**
 * Rows are appended to a temporary staging table with DuckDB's appender (binding thousands of
 * parameters in VALUES lists is an order of magnitude slower), then moved in one
 * `INSERT ... SELECT ... ON CONFLICT DO UPDATE`. DuckDB refuses to update the same key twice in
 * one statement, so callers pass rows whose keys are unique (see `dedupeByKey`). Staging column
 * types follow the JS values (string, number, boolean); INSERT casts them to the target's types
 * (e.g. an ISO string into TIMESTAMPTZ). Runs inside the caller's transaction.
 */
export async function upsertRows(
  store: Store,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  rows: readonly Cell[][],
): Promise<void> {
  if (rows.length === 0) return;
  const types = columns.map((_, i) => sqlTypeOf(rows, i));
  const stage = `stage_upsert_${process.pid}_${++stageCounter}`;
  await store.run(`CREATE TEMP TABLE ${stage} (${columns.map((c, i) => `${c} ${types[i]}`).join(', ')})`);
  try {
    const appender = await store.connection.createAppender(stage, 'main', 'temp');
    for (const row of rows) {
      for (const v of row) {
        if (v === null) appender.appendNull();
        else if (typeof v === 'string') appender.appendVarchar(v);
        else if (typeof v === 'number') appender.appendDouble(v);
        else appender.appendBoolean(v);
      }
      appender.endRow();
    }
    appender.closeSync();
    const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ');
    await store.run(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM temp.main.${stage}
       ON CONFLICT (${keys.join(', ')}) DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}`,
    );
  } finally {
    await store.run(`DROP TABLE IF EXISTS temp.main.${stage}`);
  }
}

function sqlTypeOf(rows: readonly Cell[][], i: number): string {
  for (const r of rows) {
    const v = r[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') return 'DOUBLE';
    if (typeof v === 'boolean') return 'BOOLEAN';
    return 'VARCHAR';
  }
  return 'VARCHAR';
}

/** Keep the last row of each key; returns the rows and the earlier duplicates that were dropped. */
export function dedupeByKey<T>(rows: readonly T[], key: (row: T) => string): { rows: T[]; duplicates: T[] } {
  const byKey = new Map<string, T>();
  const duplicates: T[] = [];
  for (const r of rows) {
    const k = key(r);
    const prev = byKey.get(k);
    if (prev !== undefined) duplicates.push(prev);
    byKey.delete(k); // re-insert so the map keeps file order of the last occurrence
    byKey.set(k, r);
  }
  return { rows: [...byKey.values()], duplicates };
}

