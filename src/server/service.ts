// `urbanlab serve` as a library: the one process that owns the store. It loads the live state
// from the store, runs the pollers of every configured system (their archive and gap log), the
// re-plan loop, and the HTTP API; `stop()` drains requests, lets the current write finish, and
// closes the store. The clock is passed in (tests run the day fast).
import { asSystemId } from '../platform/ids.ts';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_FETCH, fetchJson } from '../platform/collect/fetch-json.ts';
import { GbfsSource, type Fetcher } from '../platform/collect/gbfs-source.ts';
import { runPoller } from '../platform/collect/poller.ts';
import { DEFAULT_SEOUL_BASE } from '../platform/collect/seoul-bikelist.ts';
import { SeoulSource } from '../platform/collect/seoul-source.ts';
import type { SnapshotSource } from '../platform/collect/sources.ts';
import type { Store } from '../platform/store/connection.ts';
import { systemTimezone } from '../platform/store/systems.ts';
import { areaOf, parseFleet, type Fleet } from '../rebalancing/planning/fleet.ts';
import { buildApp } from './app.ts';
import type { Clock } from './clock.ts';
import { checkTruckIds, type ServeConfig, type SystemConfig } from './config.ts';
import type { ServiceContext } from './context.ts';
import { LiveState, SystemLive } from './live-state.ts';
import { SystemLoop } from './loop/scheduler.ts';
import { ComputeWorker } from './loop/compute-in-worker.ts';
import { lastSnapshotMs, loadCurrentForecast, loadLastStatus, loadLatestTargets, loadLiveStations, loadPlans } from './queries.ts';
import { loadControls, reportsOnPlan } from './records.ts';
import { removeServeMarker, writeServeMarker } from '../platform/store/serve-marker.ts';
import { serialStore } from './serial-store.ts';
import { bindDriverTokens, loadTokens } from './tokens.ts';

export interface ServiceOptions {
  config: ServeConfig;
  store: Store;
  clock: Clock;
  log: (event: string, fields: Record<string, unknown>) => void;
  /** Fetch for the pollers (tests: with short timeouts); the real one by default. */
  fetchOptions?: Partial<typeof DEFAULT_FETCH>;
  /** Run the re-plan loop (tests of the API alone switch it off). */
  loop?: boolean;
  /** Fastify's logger. */
  logger?: boolean | object;
}

export interface Service {
  app: FastifyInstance;
  url: string;
  ctx: ServiceContext;
  stop(): Promise<void>;
}

export async function startService(opts: ServiceOptions): Promise<Service> {
  const { config, clock, log } = opts;
  const truckSystems = checkTruckIds(config); // before anything starts: a shared truck id is refused
  const store = serialStore(opts.store);
  const live = new LiveState();
  const fleets = new Map<string, { fleet: Fleet; json: unknown }>();
  const controller = new AbortController();
  const signal = controller.signal;

  for (const sc of config.systems) {
    const stations = await loadLiveStations(store, sc.id);
    const fleet = sc.fleet ? readFleet(sc.fleet, stations) : null;
    if (fleet) fleets.set(sc.id, fleet);
    const tz = await systemTimezone(store, asSystemId(sc.id));
    const s = new SystemLive(sc.id, sc.id, tz, fleet?.fleet.trucks ?? []);
    await restoreSystem(store, s, stations, clock.now());
    live.systems.set(sc.id, s);
  }

  const tokens = await loadTokens(store);
  const bound = await bindDriverTokens(store, tokens, (truck) => truckSystems.get(truck));
  if (bound > 0) log('tokens-bound', { tokens: bound, note: 'driver tokens made without a system now act in their truck\'s system only' });

  const loops = new Map<string, SystemLoop>();
  const ctx: ServiceContext = { store, live, clock, config, tokens, requestReplan: (sys) => loops.get(sys)?.request() };
  const workers: ComputeWorker[] = [];
  for (const s of live.systems.values()) {
    const f = fleets.get(s.id);
    const worker = new ComputeWorker();
    workers.push(worker);
    loops.set(s.id, new SystemLoop({ ctx, worker, fleet: f?.fleet ?? null, fleetJson: f?.json ?? null, lastRefitMs: { value: null } }, s, log));
  }

  const startedAtMs = clock.now();
  const app = await buildApp(ctx, { startedAtMs, logger: opts.logger ?? false });
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', 'localhost');
  writeServeMarker(opts.store.path, { url, pid: process.pid, started_at: new Date(startedAtMs).toISOString() });

  const fetcher: Fetcher = (u, onBody) => fetchJson(u, {
    fetch: globalThis.fetch, now: () => clock.now(), random: Math.random, log,
    sleep: (ms) => clock.sleep(ms, signal),
  }, { ...DEFAULT_FETCH, ...opts.fetchOptions }, onBody);
  const pollers = config.systems.map((sc) => collect(sc, live.system(sc.id)!, { store, clock, log, fetcher, config, signal, live }));
  const loopRuns = opts.loop === false ? [] : [...loops.values()].map((l) => l.run(signal));

  let stopping: Promise<void> | null = null;
  return {
    app, url, ctx,
    stop: () => (stopping ??= (async () => {
      controller.abort();
      await app.close(); // stops accepting, lets requests in flight finish
      await Promise.allSettled([...pollers, ...loopRuns]);
      await Promise.all(workers.map((w) => w.close()));
      removeServeMarker(opts.store.path);
    })()),
  };
}

function readFleet(file: string, stations: readonly { lat: number | null; lon: number | null }[]): { fleet: Fleet; json: unknown } {
  const text = readFileSync(file, 'utf8');
  const area = areaOf(stations.filter((s) => s.lat !== null && s.lon !== null).map((s) => ({ lat: s.lat!, lon: s.lon! })));
  return { fleet: parseFleet(text, file, area), json: JSON.parse(text) };
}

/** The live state as the store left it: stations, last status, targets, forecast, plans, controls. */
async function restoreSystem(store: Store, s: SystemLive, stations: Awaited<ReturnType<typeof loadLiveStations>>, nowMs: number): Promise<void> {
  const named = await store.all<{ name: string | null }>('SELECT name FROM systems WHERE system_id = $1', [s.id]);
  if (named[0]?.name) s.name = named[0].name;
  s.stations = new Map(stations.map((x) => [x.stationId, x]));
  s.status = await loadLastStatus(store, s.id);
  s.feed.lastSnapshotMs = await lastSnapshotMs(store, s.id);
  s.targets = await loadLatestTargets(store, s.id);
  s.forecast = await loadCurrentForecast(store, s.id, nowMs);
  const plans = await loadPlans(store, s.id);
  s.issued = plans.issued;
  s.proposed = plans.proposed;
  const c = await loadControls(store, s.id);
  s.stationRules = c.rules;
  for (const t of s.trucks.values()) {
    t.paused = c.paused.has(t.id);
    t.position = c.positions.get(t.id) ?? null;
  }
  // What each truck did of the issued plan (and so what it carries now) comes back from the reports.
  const all = await store.all<{ truck: string; c: number | null; d: number | null }>(
    'SELECT truck, sum(collected) AS c, sum(dropped) AS d FROM driver_reports WHERE system_id = $1 GROUP BY truck', [s.id]);
  for (const r of all) {
    const t = s.trucks.get(r.truck);
    if (t) t.load += (r.c ?? 0) - (r.d ?? 0);
  }
  if (s.issued) for (const r of await reportsOnPlan(store, s.issued.planId)) s.trucks.get(r.truck)?.reported.add(r.station_id);
}

interface CollectDeps {
  store: Store;
  clock: Clock;
  log: (event: string, fields: Record<string, unknown>) => void;
  fetcher: Fetcher;
  config: ServeConfig;
  signal: AbortSignal;
  live: LiveState;
}

/**
 * One system's collector, for as long as the service runs: connect (a feed down at start is retried),
 * then the poller; each snapshot also goes into the live state and the event stream. A poller that
 * dies of an unexpected error is logged and restarted after a pause.
 */
async function collect(sc: SystemConfig, s: SystemLive, d: CollectDeps): Promise<void> {
  const retryMs = Math.max(10_000, d.config.pollFloorS * 1000);
  while (!d.signal.aborted) {
    try {
      const source = await openSource(sc, d);
      s.timezone = await systemTimezone(d.store, asSystemId(s.id)); // the feed's system_information may have named it
      const watched: SnapshotSource = {
        system: source.system,
        take: async () => {
          s.feed.lastPollMs = d.clock.now();
          try {
            const got = await source.take();
            const changed = s.applySnapshot(got.snapshot);
            s.feed.lastError = null;
            if (changed.length > 0) {
              d.live.emit({ type: 'status', system: s.id, data: { observed_at: got.snapshot.observedAt.toISOString(), changed: changed.map((id) => ({ station_id: id, bikes: s.status.get(id)!.bikes, docks: s.status.get(id)!.docks })) } }, d.clock.now());
            }
            return got;
          } catch (err) {
            s.feed.failures++;
            s.feed.lastError = { atMs: d.clock.now(), message: (err as Error).message };
            d.live.emit({ type: 'feed', system: s.id, data: { error: (err as Error).message } }, d.clock.now());
            throw err;
          }
        },
      };
      // Stations the feed lists may change (GBFS refreshes station_information): re-read them hourly.
      const refresh = setInterval(() => {
        loadLiveStations(d.store, s.id).then((st) => { for (const x of st) s.stations.set(x.stationId, x); }, () => undefined);
      }, 3_600_000);
      refresh.unref();
      try {
        const first = await loadLiveStations(d.store, s.id);
        for (const x of first) s.stations.set(x.stationId, x);
        await runPoller(watched, { store: d.store, now: () => d.clock.now(), random: Math.random, sleep: (ms, sig) => d.clock.sleep(ms, sig), log: d.log }, {
          once: false, schedule: { floorS: d.config.pollFloorS, jitter: 0.1, defaultS: 60 }, gapFactor: 2, signal: d.signal,
        });
      } finally {
        clearInterval(refresh);
      }
    } catch (err) {
      s.feed.failures++;
      s.feed.lastError = { atMs: d.clock.now(), message: (err as Error).message };
      d.log('collector-failed', { system: s.id, error: (err as Error).message });
      await d.clock.sleep(retryMs, d.signal);
    }
  }
}

async function openSource(sc: SystemConfig, d: CollectDeps): Promise<SnapshotSource> {
  if (sc.gbfsUrl) return GbfsSource.create({ url: sc.gbfsUrl, system: sc.id, archiveRoot: d.config.archive, fetch: d.fetcher, store: d.store, log: d.log, now: () => d.clock.now() });
  return SeoulSource.create({ key: sc.seoulKey!, base: sc.seoulUrl ?? DEFAULT_SEOUL_BASE, system: sc.id, archiveRoot: d.config.archive, fetch: d.fetcher, store: d.store, now: () => d.clock.now() });
}
