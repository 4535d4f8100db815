// `urbanlab collect --replay <dir>`: the archived raw payloads, re-parsed in fetch order with the
// current parser, as a finite snapshot source for the same poll loop (so gaps and dedup behave
// exactly as they did live).
import type { Store } from '../store/connection.ts';
import { ensureSystem } from '../store/systems.ts';
import { listArchive, readArchived, type ArchivedPayload } from './archive.ts';
import { bikeListObservations, parseBikeListPage, type BikeListRow } from './seoul-bikelist.ts';
import { countByRule, PayloadRejected, type Collected, type SnapshotSource } from './sources.ts';
import { parseStationInformation, upsertStations } from './station-information.ts';
import { validateStationStatus } from './validate-status.ts';

interface Step {
  feed: string;
  fetchedAt: Date;
  parts: ArchivedPayload[];
}

export class ReplaySource implements SnapshotSource {
  private next = 0;
  private known = new Set<string>();
  private capacities = new Map<string, number>();

  private constructor(readonly system: string, private readonly steps: Step[], private readonly store: Store) {}

  /** One replay source per system found in the archive (or only `system` when given). */
  static async create(root: string, store: Store, system?: string): Promise<ReplaySource[]> {
    const all = await listArchive(root);
    const bySystem = new Map<string, Step[]>();
    for (const p of all) {
      if (system !== undefined && p.system !== system) continue;
      const steps = bySystem.get(p.system) ?? [];
      const last = steps[steps.length - 1];
      if (last && last.feed === p.feed && last.fetchedAt.getTime() === p.fetchedAt.getTime() && p.part !== undefined) last.parts.push(p);
      else steps.push({ feed: p.feed, fetchedAt: p.fetchedAt, parts: [p] });
      bySystem.set(p.system, steps);
    }
    const out: ReplaySource[] = [];
    for (const [s, steps] of bySystem) {
      await ensureSystem(store, { systemId: s });
      out.push(new ReplaySource(s, steps, store));
    }
    return out;
  }

  /** The median interval between archived status snapshots: the schedule the archive was taken at. */
  medianIntervalS(): number {
    const times = this.steps.filter((s) => s.feed === 'station_status' || s.feed === 'bikeList').map((s) => s.fetchedAt.getTime());
    const d = times.slice(1).map((t, i) => (t - times[i]!) / 1000).sort((a, b) => a - b);
    return d.length ? d[Math.floor(d.length / 2)]! : 60;
  }

  exhausted(): boolean {
    return this.next >= this.steps.length;
  }

  async take(): Promise<Collected> {
    // Feeds other than status (station_information, system_information, gbfs) update state and are
    // consumed here; the call returns at the next status snapshot.
    while (this.next < this.steps.length) {
      const step = this.steps[this.next++]!;
      if (step.feed === 'station_information') {
        const doc = JSON.parse(await readArchived(step.parts[0]!.path)) as unknown;
        const stations = parseStationInformation(doc);
        this.known = new Set(stations.map((s) => s.stationId));
        this.capacities = new Map(stations.filter((s) => s.capacity !== null).map((s) => [s.stationId, s.capacity!]));
        await upsertStations(this.store, this.system, stations, step.fetchedAt, 'gbfs-replay');
      } else if (step.feed === 'station_status') {
        return this.status(step);
      } else if (step.feed === 'bikeList') {
        return this.bikeList(step);
      }
    }
    throw new PayloadRejected('replay.exhausted', 'no more archived snapshots');
  }

  private async status(step: Step): Promise<Collected> {
    let doc: unknown;
    try {
      doc = JSON.parse(await readArchived(step.parts[0]!.path));
    } catch (err) {
      throw new PayloadRejected('payload.bad_json', `${step.parts[0]!.path}: ${(err as Error).message}`);
    }
    const v = validateStationStatus(doc, { fetchedAt: step.fetchedAt, ...(this.known.size ? { knownStations: this.known, capacities: this.capacities } : {}) });
    if (!v.ok) throw new PayloadRejected(v.payloadError!.rule, `${step.parts[0]!.path}: ${v.payloadError!.detail}`);
    return {
      snapshot: { system: this.system, observedAt: v.lastUpdated ?? step.fetchedAt, fetchedAt: step.fetchedAt, feedLastUpdated: v.lastUpdated, stations: v.stations, source: 'gbfs-replay' },
      rejects: countByRule(v.rejects),
      ttlS: v.ttlS,
    };
  }

  private async bikeList(step: Step): Promise<Collected> {
    const rows: BikeListRow[] = [];
    for (const part of step.parts) {
      let doc: unknown;
      try {
        doc = JSON.parse(await readArchived(part.path));
      } catch (err) {
        throw new PayloadRejected('payload.bad_json', `${part.path}: ${(err as Error).message}`);
      }
      const page = parseBikeListPage(doc);
      if (page.kind === 'error') throw new PayloadRejected(`payload.api_${page.code}`, `${part.path}: ${page.message}`);
      if (page.kind === 'rows') rows.push(...page.rows);
    }
    const idRows = await this.store.all<{ source_id: string; station_id: string }>(
      "SELECT source_id, station_id FROM station_ids WHERE system_id = $1 AND source = 'seoul-api'", [this.system]);
    const ids = new Map(idRows.map((r) => [r.source_id, r.station_id]));
    const { stations, rejects } = bikeListObservations(rows, (id) => ids.get(id) ?? id);
    if (rejects.some((r) => r.rule === 'duplicate_station_id')) throw new PayloadRejected('payload.inconsistent_pages', `${step.parts[0]!.path}: a station on two pages`);
    return {
      snapshot: { system: this.system, observedAt: step.fetchedAt, fetchedAt: step.fetchedAt, feedLastUpdated: null, stations, source: 'seoul-replay' },
      rejects: countByRule(rejects),
      ttlS: undefined,
    };
  }
}
