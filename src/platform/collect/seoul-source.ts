// Live Seoul (따릉이): every bikeList page of one snapshot, stored only when all pages came back
// and agree (no error page, no station on two pages). ST- ids are mapped to station numbers through
// the `station_ids` table that `import seoul-stations` fills from the API station list.
import type { Store } from '../store/connection.ts';
import { ensureSystem } from '../store/systems.ts';
import { archivePayload } from './archive.ts';
import type { Fetcher } from './gbfs-source.ts';
import { bikeListObservations, bikeListUrl, PAGE_SIZE, parseBikeListPage, type BikeListRow } from './seoul-bikelist.ts';
import { countByRule, PayloadRejected, type Collected, type SnapshotSource } from './sources.ts';

export interface SeoulSourceConfig {
  key: string;
  base: string;
  system: string;
  archiveRoot: string;
  fetch: Fetcher;
  store: Store;
  now: () => number;
  /** Pages beyond this are refused (a guard against an API that never says it is done). */
  maxPages?: number;
}

export class SeoulSource implements SnapshotSource {
  readonly system: string;
  private constructor(private readonly cfg: SeoulSourceConfig) {
    this.system = cfg.system;
  }

  static async create(cfg: SeoulSourceConfig): Promise<SeoulSource> {
    await ensureSystem(cfg.store, { systemId: cfg.system, source: 'seoul-api', url: cfg.base });
    return new SeoulSource(cfg);
  }

  async take(): Promise<Collected> {
    const startedAt = new Date(this.cfg.now());
    const rows: BikeListRow[] = [];
    const maxPages = this.cfg.maxPages ?? 20;
    for (let page = 0; ; page++) {
      if (page >= maxPages) throw new PayloadRejected('payload.too_many_pages', `more than ${maxPages} pages of ${PAGE_SIZE}`);
      const url = bikeListUrl(this.cfg.base, this.cfg.key, page);
      const doc = await this.cfg.fetch(url, (body) => archivePayload(this.cfg.archiveRoot, this.system, 'bikeList', startedAt, body, `p${page + 1}`).then(() => undefined));
      const parsed = parseBikeListPage(doc.json);
      if (parsed.kind === 'end') {
        if (page === 0) throw new PayloadRejected('payload.no_stations', 'the first page says there is no data');
        break;
      }
      if (parsed.kind === 'error') throw new PayloadRejected(`payload.api_${parsed.code}`, `page ${page + 1}: ${parsed.message}`);
      rows.push(...parsed.rows);
      if (parsed.rows.length < PAGE_SIZE) break;
    }
    const ids = await this.apiIds();
    const { stations, rejects } = bikeListObservations(rows, (apiId) => ids.get(apiId) ?? apiId);
    if (rejects.some((r) => r.rule === 'duplicate_station_id')) {
      // The list shifted between two page calls: the pages are not one snapshot.
      throw new PayloadRejected('payload.inconsistent_pages', `${rejects.filter((r) => r.rule === 'duplicate_station_id').length} station(s) on two pages`);
    }
    return {
      snapshot: { system: this.system, observedAt: startedAt, fetchedAt: startedAt, feedLastUpdated: null, stations, source: 'seoul-live' },
      rejects: countByRule(rejects),
      ttlS: undefined,
    };
  }

  private async apiIds(): Promise<Map<string, string>> {
    const rows = await this.cfg.store.all<{ source_id: string; station_id: string }>(
      "SELECT source_id, station_id FROM station_ids WHERE system_id = $1 AND source = 'seoul-api'", [this.system]);
    return new Map(rows.map((r) => [r.source_id, r.station_id]));
  }
}
