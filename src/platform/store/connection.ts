// The store: one embedded DuckDB file. Everything that reads or writes it goes through `Store`,
// so that the session settings (UTC, no progress bar) and the migrations are applied once, here.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { UserError } from '../errors.ts';
import { applyMigrations } from './migrations.ts';
import { heldByServiceMessage } from './serve-marker.ts';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

export interface Store {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Run a statement, ignoring its result. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Run a query and return its rows as plain JSON-friendly objects (BIGINT as number where safe). */
  all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Run `work` inside one transaction: all of it lands, or none of it does. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Skip migrations (used by tests of the migration runner itself). */
  migrate?: boolean;
}

export async function openStore(path: string, options: OpenOptions = {}): Promise<Store> {
  const settings: Record<string, string> = {};
  if (options.readOnly) settings['access_mode'] = 'READ_ONLY';
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, settings);
  } catch (err) {
    // The service holds it: say where, and how to reach the same data, not DuckDB's lock error.
    const held = heldByServiceMessage(path);
    if (held) throw new UserError(held);
    throw new Error(`cannot open store ${path}: ${(err as Error).message}`);
  }
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run('SET enable_progress_bar = false');
  const store = makeStore(path, instance, connection);
  if (options.migrate !== false && !options.readOnly) await applyMigrations(store);
  return store;
}

function makeStore(path: string, instance: DuckDBInstance, connection: DuckDBConnection): Store {
  // One connection, one transaction at a time: concurrent callers (several pollers in one process)
  // queue here; a transaction opened inside another one (same async context) joins it.
  const inTransaction = new AsyncLocalStorage<true>();
  let queue: Promise<unknown> = Promise.resolve();
  const store: Store = {
    path,
    connection,
    async run(sql, params) {
      if (params === undefined) await connection.run(sql);
      else await connection.run(sql, params);
    },
    async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
      const reader = params === undefined ? await connection.runAndReadAll(sql) : await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map(normaliseRow) as T[];
    },
    async transaction<T>(work: (s: Store) => Promise<T>): Promise<T> {
      if (inTransaction.getStore()) return work(store); // nested: the outer transaction decides
      const run = async (): Promise<T> => {
        await connection.run('BEGIN TRANSACTION');
        try {
          const result = await inTransaction.run(true, () => work(store));
          await connection.run('COMMIT');
          return result;
        } catch (err) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw err;
        }
      };
      const turn = queue.then(run, run);
      queue = turn.catch(() => undefined);
      return turn;
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
  return store;
}

/** BIGINT comes back as bigint; callers want numbers (counts never exceed 2^53 here). */
function normaliseRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = normaliseValue(v);
  return out;
}

function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(normaliseValue);
  return v;
}
