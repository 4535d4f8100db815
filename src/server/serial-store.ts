// The service shares one store connection between the pollers, the loop and the API. A DuckDB
// connection runs one statement at a time, and a statement issued while another caller's
// transaction is open would run inside it; so every statement and transaction of the service
// waits its turn here. Work inside a transaction (same async context) runs at once, in it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Row, SqlParams, Store } from '../platform/store/connection.ts';

export function serialStore(inner: Store): Store {
  const inTurn = new AsyncLocalStorage<true>();
  let queue: Promise<unknown> = Promise.resolve();
  const turn = <T>(work: () => Promise<T>): Promise<T> => {
    if (inTurn.getStore()) return work();
    const run = () => inTurn.run(true, work);
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  const store: Store = {
    path: inner.path,
    created: inner.created,
    connection: inner.connection,
    run: (sql, params) => turn(() => inner.run(sql, params)),
    all: <T extends Row = Row>(sql: string, params?: SqlParams) => turn(() => inner.all<T>(sql, params)),
    transaction: (work) => turn(() => inner.transaction(() => work(store))),
    reader: () => inner.reader(), // its own connection: not in this queue
    close: () => turn(() => inner.close()),
  };
  return store;
}
