// A real HTTP server on loopback that replays recorded GBFS payloads, one recorded snapshot per
// station_status request (the feed's timeline moves on whether or not a request succeeds, as a real
// feed does during an outage), and injects faults on command.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dataFile } from '../../src/platform/bundled-data.ts';

export type Fault = '500' | '503' | '429' | 'timeout' | 'reset' | 'truncated' | 'non-json' | 'silent';

export interface RecordedFeed {
  systemInformation: unknown;
  stationInformation: unknown;
  /** station_status payloads in time order. */
  statuses: string[];
  lastUpdated: number[];
}

export class FeedServer {
  private server!: Server;
  private faults: Fault[] = [];
  private slot = -1;
  private lastServed = -1;
  readonly requests: { path: string; slot: number; fault: Fault | undefined }[] = [];
  baseUrl = '';

  constructor(private readonly feed: RecordedFeed, private readonly retryAfterS = 1) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `times` station_status requests get `fault`. */
  inject(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  /** Virtual "now" for the client: just after the current slot's snapshot was published. */
  now(): number {
    const i = Math.max(0, Math.min(this.slot, this.feed.lastUpdated.length - 1));
    return (this.feed.lastUpdated[i]! + 2) * 1000;
  }

  get finished(): boolean {
    return this.slot >= this.feed.statuses.length - 1;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const json = (body: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(typeof body === 'string' ? body : JSON.stringify(body)); };
    if (path === '/gbfs.json') {
      const feeds = ['system_information', 'station_information', 'station_status'].map((name) => ({ name, url: `${this.baseUrl}/${name}.json` }));
      return json({ last_updated: Math.floor(this.now() / 1000), ttl: 60, version: '2.3', data: { en: { feeds } } });
    }
    if (path === '/system_information.json') return json(this.feed.systemInformation);
    if (path === '/station_information.json') return json(this.feed.stationInformation);
    if (path !== '/station_status.json') { res.writeHead(404); res.end('not found'); return; }

    this.slot = Math.min(this.slot + 1, this.feed.statuses.length - 1);
    const fault = this.faults.shift();
    this.requests.push({ path, slot: this.slot, fault });
    const body = this.feed.statuses[this.slot]!;
    switch (fault) {
      case undefined:
        this.lastServed = this.slot;
        return json(body);
      case '500':
      case '503':
        res.writeHead(Number(fault)); res.end('server error'); return;
      case '429':
        res.writeHead(429, { 'retry-after': String(this.retryAfterS) }); res.end('slow down'); return;
      case 'timeout':
        setTimeout(() => { if (!res.writableEnded) { res.writeHead(504); res.end(); } }, 12_000).unref();
        return;
      case 'reset':
        req.socket.destroy(); return;
      case 'truncated':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => req.socket.destroy(), 10);
        return;
      case 'non-json':
        res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html><body>Service temporarily unavailable</body></html>'); return;
      case 'silent':
        // The feed answers but has not moved on: the last payload it served, again.
        return json(this.feed.statuses[Math.max(0, this.lastServed)]!);
    }
  }
}

/** The recorded Bay Wheels day of 2023-03-06 (../shared/data/gbfs/baywheels/raw_sample_2023-03-06), as a FeedServer replays it. */
export function recordedBayWheelsDay(): RecordedFeed {
  const dir = dataFile('gbfs/baywheels/raw_sample_2023-03-06');
  const statuses = gunzipSync(readFileSync(join(dir, 'station_status_2023-03-06_day.jsonl.gz'))).toString('utf-8').trim().split('\n');
  return {
    systemInformation: JSON.parse(readFileSync(join(dir, 'system_information.json'), 'utf-8')),
    stationInformation: JSON.parse(readFileSync(join(dir, 'station_information.json'), 'utf-8')),
    statuses,
    lastUpdated: statuses.map((s) => (JSON.parse(s) as { last_updated: number }).last_updated),
  };
}
