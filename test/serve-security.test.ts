// The security list of issue 22, point by point, against a real service on loopback: truck ids
// unique across fleets (a driver's token names a truck, the routes name a truck), roles, a driver
// on its own truck only, every write needing a token, body limits, rate limits, no stack trace or
// SQL in any response, CORS closed unless configured, loopback unless configured.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../src/platform/errors.ts';
import { fastClock } from '../src/server/clock.ts';
import { parseServeConfig } from '../src/server/config.ts';
import type { Store } from '../src/platform/store/connection.ts';
import { startService, type Service } from '../src/server/service.ts';
import { createToken, hashToken } from '../src/server/tokens.ts';
import { tempStore } from './helpers/store.ts';

const fleet = (ids: string[]) => JSON.stringify({ depot: { lat: 37.77, lon: -122.41 }, trucks: ids.map((id) => ({ id, capacity: 20, shift_minutes: 180 })) });

test('two fleets sharing a truck id are refused at start, naming both fleet files (a token names a truck, not a system)', async () => {
  const t = await tempStore();
  try {
    writeFileSync(join(t.dir, 'fleet-a.json'), fleet(['t1', 'shared']));
    writeFileSync(join(t.dir, 'fleet-b.json'), fleet(['shared', 't9']));
    const config = parseServeConfig(JSON.stringify({
      systems: [{ id: 'a', gbfs_url: 'http://127.0.0.1:9/gbfs.json', fleet: 'fleet-a.json' }, { id: 'b', gbfs_url: 'http://127.0.0.1:9/gbfs.json', fleet: 'fleet-b.json' }],
      port: 0, archive: join(t.dir, 'archive'),
    }), join(t.dir, 'serve.json'));
    await assert.rejects(startService({ config, store: t.store, clock: fastClock(Date.now(), 1), log: () => undefined, loop: false }), (err: Error) => {
      assert.ok(err instanceof UserError, `a UserError (no stack trace for the user), got ${err.name}: ${err.message}`);
      assert.match(err.message, /'shared'/);
      assert.ok(err.message.includes(join(t.dir, 'fleet-a.json')) && err.message.includes(join(t.dir, 'fleet-b.json')), err.message);
      return true;
    });
    assert.ok(!existsSync(`${t.path}.serve.json`), 'nothing started');
  } finally {
    await t.dispose();
  }
});

/** A service of two systems (fleets a1, a2 and b1) on a fresh store, with no feed (reads and writes only). */
async function twoSystems(dir: string, store: Store, extra: Record<string, unknown> = {}, fleets: [string[], string[]] = [['a1', 'a2'], ['b1']]): Promise<Service> {
  writeFileSync(join(dir, 'fleet-a.json'), fleet(fleets[0]));
  writeFileSync(join(dir, 'fleet-b.json'), fleet(fleets[1]));
  const config = parseServeConfig(JSON.stringify({
    systems: [{ id: 'a', gbfs_url: 'http://127.0.0.1:9/gbfs.json', fleet: 'fleet-a.json' }, { id: 'b', gbfs_url: 'http://127.0.0.1:9/gbfs.json', fleet: 'fleet-b.json' }],
    port: 0, archive: join(dir, 'archive'), ...extra,
  }), join(dir, 'serve.json'));
  return startService({ config, store, clock: fastClock(Date.now(), 1), log: () => undefined, loop: false, fetchOptions: { retries: 0, timeoutMs: 1000 } });
}

async function call(url: string, method: string, path: string, opts: { token?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text.startsWith('{') ? JSON.parse(text) : null };
}

/** No stack trace, SQL or internal path in a response body. */
function assertClean(text: string, what: string): void {
  assert.doesNotMatch(text, /\bSELECT\b|\bINSERT\b|\bFROM\s+\w+_\w+|driver_reports|Binder Error|\n\s+at |\.ts:\d+|node:internal|\/src\//i, `${what}: ${text}`);
}

test('a driver token made offline is bound to its truck\'s system at the first start: a later fleet giving that truck id to another system does not give it to the driver', async () => {
  const t = await tempStore();
  try {
    const offline = await createToken(t.store, 'driver', 'x1', Date.now());
    let svc = await twoSystems(t.dir, t.store, {}, [['x1'], ['b1']]);
    assert.equal((await call(svc.url, 'GET', '/api/v1/trucks/x1/stops', { token: offline })).status, 200);
    await svc.stop();
    const bound = await t.store.all<{ system_id: string }>("SELECT system_id FROM service_tokens WHERE truck = 'x1'");
    assert.deepEqual(bound.map((r) => r.system_id), ['a']);
    // The fleets change: x1 is now b's truck. The old driver of a's x1 may not act for it.
    svc = await twoSystems(t.dir, t.store, {}, [['a1'], ['x1']]);
    try {
      const r = await call(svc.url, 'GET', '/api/v1/trucks/x1/stops', { token: offline });
      assert.equal(r.status, 403);
      assert.match(r.json.message, /of a, not of b/);
      assert.equal((await call(svc.url, 'POST', '/api/v1/trucks/x1/position', { token: offline, body: '{"lat": 37.7, "lon": -122.4}' })).status, 403);
      // A token made through the API carries its truck's system.
      const admin = await createToken(t.store, 'admin', null, Date.now());
      svc.ctx.tokens.set(hashToken(admin), { role: 'admin', truck: null, system: null });
      const made = await call(svc.url, 'POST', '/api/v1/tokens', { token: admin, body: '{"role": "driver", "truck": "x1"}' });
      assert.equal(made.status, 201);
      assert.equal(made.json.system, 'b');
      assert.equal((await call(svc.url, 'GET', '/api/v1/trucks/x1/stops', { token: made.json.token })).status, 200);
    } finally {
      await svc.stop();
    }
  } finally {
    await t.dispose();
  }
});

describe('the security list, on a running service of two systems', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let svc: Service;
  let failSql = false;
  const tok: Record<string, string> = {};
  before(async () => {
    t = await tempStore();
    for (const [name, role, truck, system] of [['admin', 'admin', null, null], ['operator', 'operator', null, null], ['a1', 'driver', 'a1', 'a'], ['a2', 'driver', 'a2', 'a'], ['b1', 'driver', 'b1', 'b']] as const) {
      tok[name] = await createToken(t.store, role, truck, Date.now(), system);
    }
    // The store fails on demand with DuckDB's kind of message (SQL in it): it must not reach a response.
    const inner = t.store;
    const failing: Store = {
      ...inner,
      all: (sql, params) => (failSql ? Promise.reject(new Error(`Binder Error: Referenced column "nope" not found in FROM clause!\nLINE 1: ${sql.slice(0, 60)}`)) : inner.all(sql, params)),
      run: (sql, params) => (failSql ? Promise.reject(new Error(`Constraint Error: ${sql.slice(0, 60)}`)) : inner.run(sql, params)),
      transaction: (work) => (failSql ? Promise.reject(new Error('TransactionContext Error: INSERT INTO driver_reports failed')) : inner.transaction(work)),
    };
    svc = await twoSystems(t.dir, failing);
  });
  after(async () => {
    await svc?.stop();
    await t?.dispose();
  });

  test('loopback by default: the config\'s host is 127.0.0.1 and the server listens there only', () => {
    assert.equal(svc.ctx.config.host, '127.0.0.1');
    assert.equal((svc.app.server.address() as AddressInfo).address, '127.0.0.1');
  });

  test('every write needs a token: each non-GET route of the OpenAPI document answers 401 without one, or with an unknown one, before reading its body', async () => {
    const doc = (await call(svc.url, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const writes: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (method === 'get' || method === 'head') continue;
        const concrete = path.replace('{system}', 'a').replace('{truck}', 'a1').replace(/\{[a-z_]+\}/g, 'x');
        writes.push(`${method.toUpperCase()} ${path}`);
        for (const token of [undefined, 'ul_d_not-a-token']) {
          const r = await call(svc.url, method.toUpperCase(), concrete, { ...(token ? { token } : {}), body: '{"junk": ' });
          assert.equal(r.status, 401, `${method} ${concrete} with ${token ?? 'no token'}: ${r.text}`);
          assert.equal(r.json.error, 'unauthorized');
        }
      }
    }
    assert.ok(writes.length >= 8, writes.join(', '));
  });

  test('roles: a driver may not act as an operator, an operator not as an admin; an admin may do what an operator may', async () => {
    const u = svc.url;
    const driverOnly = [
      ['POST', '/api/v1/trucks/a1/pause', undefined], ['POST', '/api/v1/systems/a/replan', undefined],
      ['POST', '/api/v1/systems/a/plans/p1/approve', undefined], ['PUT', '/api/v1/systems/a/stations/s1/control', '{"rule": "pin"}'],
      ['POST', '/api/v1/tokens', '{"role": "admin"}'],
    ] as const;
    for (const [method, path, body] of driverOnly) {
      const r = await call(u, method, path, { token: tok['a1'], ...(body ? { body } : {}) });
      assert.equal(r.status, 403, `driver ${method} ${path}: ${r.text}`);
    }
    assert.equal((await call(u, 'POST', '/api/v1/tokens', { token: tok['operator'], body: '{"role": "admin"}' })).status, 403);
    assert.equal((await call(u, 'POST', '/api/v1/trucks/a2/pause', { token: tok['admin'] })).status, 200);
    assert.equal((await call(u, 'POST', '/api/v1/trucks/a2/resume', { token: tok['operator'] })).status, 200);
    assert.equal((await call(u, 'POST', '/api/v1/systems/b/replan', { token: tok['admin'] })).status, 202);
  });

  test('a driver acts on its own truck only, on every truck route, in its own system', async () => {
    const u = svc.url;
    const routes = [['GET', 'stops', undefined], ['GET', 'reports', undefined], ['POST', 'position', '{"lat": 37.7, "lon": -122.4}'], ['POST', 'stops/s1', '{"status": "done", "collected": 1}']] as const;
    for (const [method, sub, body] of routes) {
      for (const [who, truck] of [['a1', 'a2'], ['a1', 'b1'], ['b1', 'a1']] as const) {
        const r = await call(u, method, `/api/v1/trucks/${truck}/${sub}`, { token: tok[who], ...(body ? { body } : {}) });
        assert.equal(r.status, 403, `${who} ${method} ${truck}/${sub}: ${r.text}`);
      }
    }
    assert.equal((await call(u, 'POST', '/api/v1/trucks/b1/position', { token: tok['b1'], body: '{"lat": 37.7, "lon": -122.4}' })).status, 200);
    assert.equal((await call(u, 'GET', '/api/v1/trucks/a1/reports', { token: tok['a1'] })).status, 200);
    // A driver of an unknown truck learns nothing either way: 403 before 404.
    assert.equal((await call(u, 'GET', '/api/v1/trucks/zz/stops', { token: tok['a1'] })).status, 403);
    assert.equal((await call(u, 'GET', '/api/v1/trucks/zz/stops', { token: tok['operator'] })).status, 404);
  });

  test('bodies are size-limited (413) and schema-validated (400 naming the field), with JSON errors', async () => {
    const big = JSON.stringify({ lat: 37.7, lon: -122.4, pad: 'x'.repeat(20_000) });
    const r = await call(svc.url, 'POST', '/api/v1/trucks/a1/position', { token: tok['a1'], body: big });
    assert.equal(r.status, 413, r.text);
    assertClean(r.text, '413');
    const bad = await call(svc.url, 'POST', '/api/v1/trucks/a1/position', { token: tok['a1'], body: '{"lat": "north", "lon": 0}' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /lat/);
    const type = await call(svc.url, 'POST', '/api/v1/trucks/a1/position', { token: tok['a1'], body: '<lat>1</lat>', headers: { 'content-type': 'application/xml' } });
    assert.equal(type.status, 415, type.text);
    for (const x of [bad, type]) assertClean(x.text, String(x.status));
  });

  test('no stack trace or SQL in any response: a store failing with SQL in its message gives a plain 500', async () => {
    failSql = true;
    try {
      const got = [
        await call(svc.url, 'GET', '/api/v1/systems/a/kpis'),
        await call(svc.url, 'GET', '/api/v1/systems/a/stations/s1/history'),
        await call(svc.url, 'GET', '/api/v1/trucks/a1/reports', { token: tok['a1'] }),
        await call(svc.url, 'POST', '/api/v1/trucks/a1/position', { token: tok['a1'], body: '{"lat": 37.7, "lon": -122.4}' }),
        await call(svc.url, 'PUT', '/api/v1/systems/a/stations/s1/control', { token: tok['operator'], body: '{"rule": "pin"}' }),
      ];
      // The station does not exist for the control (404); the others reach the store and fail.
      assert.deepEqual(got.map((r) => r.status), [500, 500, 500, 500, 404]);
      for (const r of got) assertClean(r.text, `${r.status}`);
      assert.deepEqual(got[0]!.json, { error: 'internal', message: 'internal error (see the service log)' });
    } finally {
      failSql = false;
    }
    for (const [m, p] of [['GET', '/nowhere'], ['GET', '/api/v1/systems/nowhere'], ['GET', '/api/v1/systems/a/stations?hours=x']] as const) assertClean((await call(svc.url, m, p)).text, p);
  });

  test('CORS is closed unless configured: no Access-Control-Allow-Origin for any origin, preflight refused', async () => {
    const r = await call(svc.url, 'GET', '/api/v1/systems', { headers: { origin: 'https://evil.example' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    const pre = await call(svc.url, 'OPTIONS', '/api/v1/trucks/a1/position', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    assert.notEqual(pre.status, 204);
  });
});

test('configured: CORS opens to the listed origins only; rate limiting answers 429 in JSON past the limit', async () => {
  const t = await tempStore();
  const svc = await twoSystems(t.dir, t.store, { cors_origins: ['https://ops.example'], rate_limit_per_minute: 6 });
  try {
    const ok = await call(svc.url, 'GET', '/api/v1/systems', { headers: { origin: 'https://ops.example' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://ops.example');
    const other = await call(svc.url, 'GET', '/api/v1/systems', { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const statuses: number[] = [ok.status, other.status];
    let last = other;
    for (let i = 0; i < 6; i++) {
      last = await call(svc.url, 'GET', '/health');
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
    assert.equal(last.json.error, 'rate_limited');
    assertClean(last.text, '429');
  } finally {
    await svc.stop();
    await t.dispose();
  }
});
