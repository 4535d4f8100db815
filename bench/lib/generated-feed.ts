// A loopback GBFS feed of GENERATED stations and status at Seoul's size (Seoul publishes no
// status history): the benchmarks of the service and of the dashboard poll it. Every
// station_status request draws new counts for every station.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../../src/platform/util/random.ts';

/** A loopback GBFS feed of `n` generated stations on Seoul's extent, stamped with the current time. */
export async function generatedFeed(n: number, ttlS = 60): Promise<{ url: string; close: () => void }> {
  const u = mulberry32(1);
  const stations = Array.from({ length: n }, (_, i) => ({ station_id: `G${String(i).padStart(4, '0')}`, name: `generated ${i}`, lat: 37.45 + 0.2 * u(), lon: 126.8 + 0.35 * u(), capacity: 10 + Math.floor(u() * 20) }));
  const server = createServer((req, res) => {
    const now = Math.floor(Date.now() / 1000);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (data: unknown, ttl = ttlS) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ last_updated: now, ttl, version: '2.3', data })); };
    if (req.url === '/gbfs.json') return send({ en: { feeds: ['system_information', 'station_information', 'station_status'].map((name) => ({ name, url: `${base}/${name}.json` })) } });
    if (req.url === '/system_information.json') return send({ system_id: 'seoul-gen', language: 'ko', name: 'Seoul-size, generated', timezone: 'Asia/Seoul' });
    if (req.url === '/station_information.json') return send({ stations });
    if (req.url === '/station_status.json') {
      return send({ stations: stations.map((s) => {
        const bikes = Math.floor(u() * (s.capacity + 1));
        return { station_id: s.station_id, num_bikes_available: bikes, num_docks_available: s.capacity - bikes, is_installed: true, is_renting: true, is_returning: true, last_reported: now };
      }) });
    }
    res.writeHead(404); res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gbfs.json`, close: () => server.close() };
}
