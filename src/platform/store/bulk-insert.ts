// Many rows into a table through bound parameters, a few hundred rows per statement (one statement
// per row costs a round trip each; DuckDB caps the parameters of one statement).
import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from './connection.ts';

/**
 * `into` is e.g. "station_versions (system_id, station_id, valid_from)"; `placeholders` is the
 * SQL of one row with $1..$n for its values, e.g. "($1, $2, to_timestamp($3))".
 */
export async function insertRows(store: Store, into: string, placeholders: string, rows: readonly DuckDBValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const width = rows[0]!.length;
  const perStatement = Math.max(1, Math.floor(2000 / width));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const values = chunk.map((_, j) => placeholders.replace(/\$(\d+)/g, (_m, n: string) => `$${j * width + Number(n)}`)).join(', ');
    await store.run(`INSERT INTO ${into} VALUES ${values}`, chunk.flat());
  }
}
