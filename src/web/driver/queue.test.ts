import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReportQueue, type QueuedReport, type SendOutcome } from './queue.ts';

const memory = () => { const m = new Map<string, string>(); return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) }; };
const report = (key: string, station: string): QueuedReport => ({ key, truck: 'sf1', station_id: station, body: { status: 'done', collected: 2 }, queued_at: '2023-03-06T17:00:00Z' });

test('a queue kept across reloads sends in order, stops at the first network failure, and keeps the rest', async () => {
  const kv = memory();
  const q = new ReportQueue(kv);
  q.add(report('a', 'S1'));
  q.add(report('b', 'S2'));
  q.add(report('c', 'S3'));
  assert.deepEqual([...new ReportQueue(kv).pendingStations('sf1')], ['S1', 'S2', 'S3'], 'a new page reads the same queue');
  const seen: string[] = [];
  let online = true;
  const send = async (r: QueuedReport): Promise<SendOutcome> => {
    if (!online) return { kind: 'offline' };
    seen.push(r.key);
    if (r.key === 'b') online = false; // the network drops after b
    return { kind: 'sent' };
  };
  const first = await q.flush(send);
  assert.deepEqual(first, { sent: 2, refused: [], left: 1 });
  assert.deepEqual(q.list().map((r) => r.key), ['c']);
  online = true;
  const second = await q.flush(send);
  assert.equal(second.sent, 1);
  assert.equal(second.left, 0);
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('a report the service refuses is dropped and returned, the ones after it still go', async () => {
  const q = new ReportQueue(memory());
  q.add(report('a', 'S1'));
  q.add(report('b', 'S2'));
  const out = await q.flush(async (r) => (r.key === 'a' ? { kind: 'refused', status: 400, message: 'body/dropped: too many' } : { kind: 'sent' }));
  assert.equal(out.sent, 1);
  assert.deepEqual(out.refused.map((x) => [x.report.key, x.status]), [['a', 400]]);
  assert.equal(out.left, 0);
});

test('a damaged stored queue reads as empty rather than breaking the page', () => {
  const kv = memory();
  kv.setItem('urbanlab.driver.queue', '{not json');
  assert.deepEqual(new ReportQueue(kv).list(), []);
});
