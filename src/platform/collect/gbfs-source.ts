// Live GBFS: discover the feeds from gbfs.json (or take a station_status URL as it is), keep
// station_information fresh, and turn each station_status fetch into a validated snapshot.
import { asSystemId } from '../ids.ts';
import { ensureSystem, systemTimezone } from '../store/systems.ts';
import type { Store } from '../store/connection.ts';
import { archivePayload } from './archive.ts';
import type { FetchedDocument } from './fetch-json.ts';
import { documentKind, parseDiscovery, type FeedUrls } from './gbfs-discovery.ts';
import { countByRule, PayloadRejected, type Collected, type SnapshotSource } from './sources.ts';
import { parseStationInformation, upsertStations } from './station-information.ts';
import { validateStationStatus } from './validate-status.ts';

export type Fetcher = (url: string, onBody: (body: string, fetchedAt: Date) => Promise<void>) => Promise<FetchedDocument>;

export interface GbfsSourceConfig {
  url: string;
  /** --system; when absent, system_information's system_id. */
  system: string | undefined;
  archiveRoot: string;
  fetch: Fetcher;
  store: Store;
  log: (event: string, fields: Record<string, unknown>) => void;
  now: () => number;
  /** Refetch station_information at least this often (s), or when an unknown station appears. */
  infoRefreshS?: number;
}

export class GbfsSource implements SnapshotSource {
  private feeds!: FeedUrls;
  private known = new Set<string>();
  private capacities = new Map<string, number>();
  private infoFetchedAt = 0;
  /** The system's zone, for a feed time written without an offset. */
  private timeZone = 'UTC';
  /** When the URL given is station_status itself, the discovery fetch is the first snapshot. */
  private primed: FetchedDocument | undefined;

  private constructor(private readonly cfg: GbfsSourceConfig, public system: string) {}

  static async create(cfg: GbfsSourceConfig): Promise<GbfsSource> {
    const source = new GbfsSource(cfg, cfg.system ?? 'pending');
    await source.discover();
    return source;
  }

  private archiver(feed: string) {
    return (body: string, fetchedAt: Date) => archivePayload(this.cfg.archiveRoot, this.system, feed, fetchedAt, body).then(() => undefined);
  }

  private async discover(): Promise<void> {
    // The first document is archived under the name of the system once it is known.
    let firstBody: { body: string; at: Date } | undefined;
    const first = await this.cfg.fetch(this.cfg.url, async (body, at) => { firstBody = { body, at }; });
    const kind = documentKind(first.json);
    if (kind === 'discovery') this.feeds = parseDiscovery(first.json);
    else if (kind === 'station_status') {
      this.feeds = { version: undefined, stationStatus: this.cfg.url, ttlS: undefined };
      this.primed = first;
    }
    else throw new PayloadRejected('payload.unknown_document', `${this.cfg.url} is neither gbfs.json nor station_status`);
    let tz: string | undefined;
    let name: string | undefined;
    if (this.feeds.systemInformation) {
      let sysBody: { body: string; at: Date } | undefined;
      const sys = await this.cfg.fetch(this.feeds.systemInformation, async (body, at) => { sysBody = { body, at }; });
      const data = (sys.json as { data?: { system_id?: string; timezone?: string; name?: unknown } }).data;
      if (this.cfg.system === undefined && typeof data?.system_id === 'string') this.system = data.system_id;
      tz = typeof data?.timezone === 'string' ? data.timezone : undefined;
      name = typeof data?.name === 'string' ? data.name : Array.isArray(data?.name) ? (data?.name[0] as { text?: string })?.text : undefined;
      if (sysBody) await this.archiver('system_information')(sysBody.body, sysBody.at);
    }
    if (this.system === 'pending') throw new PayloadRejected('payload.no_system', 'the feed names no system_id: give --system <name>');
    if (firstBody) await this.archiver(kind === 'discovery' ? 'gbfs' : 'station_status')(firstBody.body, firstBody.at);
    await ensureSystem(this.cfg.store, { systemId: this.system, timezone: tz, name, source: 'gbfs', url: this.cfg.url });
    this.timeZone = await systemTimezone(this.cfg.store, asSystemId(this.system));
    if (this.feeds.stationInformation) await this.refreshInformation();
  }

  private async refreshInformation(): Promise<void> {
    const url = this.feeds.stationInformation;
    if (!url) return;
    const doc = await this.cfg.fetch(url, this.archiver('station_information'));
    const stations = parseStationInformation(doc.json);
    this.known = new Set(stations.map((s) => s.stationId));
    this.capacities = new Map(stations.filter((s) => s.capacity !== null).map((s) => [s.stationId, s.capacity!]));
    this.infoFetchedAt = this.cfg.now();
    await upsertStations(this.cfg.store, this.system, stations, doc.fetchedAt, 'gbfs');
    this.cfg.log('station-information', { system: this.system, stations: stations.length });
  }

  async take(): Promise<Collected> {
    const refreshMs = (this.cfg.infoRefreshS ?? 3600) * 1000;
    if (this.feeds.stationInformation && this.cfg.now() - this.infoFetchedAt > refreshMs) await this.refreshInformation();
    const doc = this.primed ?? (await this.cfg.fetch(this.feeds.stationStatus, this.archiver('station_status')));
    this.primed = undefined;
    let v = this.validate(doc);
    // Stations unknown to station_information: the list may have changed; refresh once and re-check.
    if (v.ok && v.rejects.some((r) => r.rule === 'unknown_station') && this.feeds.stationInformation) {
      await this.refreshInformation();
      v = this.validate(doc);
    }
    if (!v.ok) throw new PayloadRejected(v.payloadError!.rule, v.payloadError!.detail);
    return {
      snapshot: { system: this.system, observedAt: v.lastUpdated ?? doc.fetchedAt, fetchedAt: doc.fetchedAt, feedLastUpdated: v.lastUpdated, stations: v.stations, source: 'gbfs-live' },
      rejects: countByRule(v.rejects),
      ttlS: v.ttlS,
    };
  }

  private validate(doc: FetchedDocument) {
    return validateStationStatus(doc.json, {
      fetchedAt: doc.fetchedAt,
      timeZone: this.timeZone,
      ...(this.known.size > 0 ? { knownStations: this.known, capacities: this.capacities } : {}),
    });
  }
}
