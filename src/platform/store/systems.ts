// Systems: one row per bike-share system; created on first import, enriched when a feed says more.
import type { SystemId } from '../ids.ts';
import type { Store } from './connection.ts';

export interface SystemInfo {
  systemId: string;
  name?: string | undefined;
  timezone?: string | undefined;
  country?: string | undefined;
  source?: string | undefined;
  url?: string | undefined;
  /** The zone for a system created now (an importer's files' zone); an existing system keeps its own. */
  newTimezone?: string | undefined;
}

/** Defaults for systems known by name, so that a Seoul import gets Seoul's zone without a flag. */
const KNOWN: Record<string, Omit<SystemInfo, 'systemId'>> = {
  seoul: { name: 'Seoul Bike (따릉이)', timezone: 'Asia/Seoul', country: 'KR' },
  baywheels: { name: 'Bay Wheels', timezone: 'America/Los_Angeles', country: 'US' },
  citibike: { name: 'Citi Bike', timezone: 'America/New_York', country: 'US' },
  citibike_nyc: { name: 'Citi Bike', timezone: 'America/New_York', country: 'US' },
  divvy: { name: 'Divvy', timezone: 'America/Chicago', country: 'US' },
  bixi: { name: 'BIXI Montréal', timezone: 'America/Toronto', country: 'CA' },
};

export async function ensureSystem(store: Store, info: SystemInfo): Promise<void> {
  const known = KNOWN[info.systemId] ?? {};
  const merged = { ...known, ...Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) } as SystemInfo;
  const created = merged.timezone ?? merged.newTimezone ?? null;
  await store.run(
    `INSERT INTO systems (system_id, name, timezone, country, source, url)
     VALUES ($1, $2, coalesce($7, 'UTC'), $4, $5, $6)
     ON CONFLICT (system_id) DO UPDATE SET
       name = coalesce(excluded.name, systems.name),
       timezone = CASE WHEN $3 IS NULL THEN systems.timezone ELSE excluded.timezone END,
       country = coalesce(excluded.country, systems.country),
       source = coalesce(excluded.source, systems.source),
       url = coalesce(excluded.url, systems.url)`,
    [merged.systemId, merged.name ?? null, merged.timezone ?? null, merged.country ?? null, merged.source ?? null, merged.url ?? null, created],
  );
}

export async function systemTimezone(store: Store, systemId: SystemId): Promise<string> {
  const rows = await store.all<{ timezone: string }>('SELECT timezone FROM systems WHERE system_id = $1', [systemId]);
  return rows[0]?.timezone ?? KNOWN[systemId]?.timezone ?? 'UTC';
}
