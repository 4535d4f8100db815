// GBFS auto-discovery: gbfs.json lists the feeds (v2.x: per language under data.<lang>.feeds;
// v3.0: data.feeds). A URL that is itself a station_status feed is used as it is.
import type { v3 } from 'gbfs-typescript-types';

type GbfsV3 = v3.Gbfs;

export interface FeedUrls {
  version: string | undefined;
  stationStatus: string;
  stationInformation?: string;
  systemInformation?: string;
  ttlS: number | undefined;
}

type V2Discovery = { version?: string; ttl?: number; data?: Record<string, { feeds?: { name?: string; url?: string }[] }> };

export function parseDiscovery(doc: unknown, preferredLanguage = 'en'): FeedUrls {
  if (typeof doc !== 'object' || doc === null) throw new Error('gbfs.json is not a JSON object');
  const d = doc as V2Discovery & Partial<GbfsV3>;
  let feeds: { name?: string; url?: string }[] | undefined;
  const data = d.data as unknown;
  if (data && typeof data === 'object' && Array.isArray((data as { feeds?: unknown }).feeds)) {
    feeds = (data as GbfsV3['data']).feeds as { name?: string; url?: string }[];
  } else if (data && typeof data === 'object') {
    const byLang = data as Record<string, { feeds?: { name?: string; url?: string }[] }>;
    const lang = byLang[preferredLanguage] ? preferredLanguage : Object.keys(byLang)[0];
    feeds = lang !== undefined ? byLang[lang]?.feeds : undefined;
  }
  if (!feeds || feeds.length === 0) throw new Error('gbfs.json lists no feeds');
  const url = (name: string) => feeds!.find((f) => f.name === name)?.url;
  const stationStatus = url('station_status');
  if (!stationStatus) throw new Error('gbfs.json has no station_status feed');
  const out: FeedUrls = { version: typeof d.version === 'string' ? d.version : undefined, stationStatus, ttlS: typeof d.ttl === 'number' ? d.ttl : undefined };
  const info = url('station_information');
  if (info) out.stationInformation = info;
  const sys = url('system_information');
  if (sys) out.systemInformation = sys;
  return out;
}

/** Decide whether a fetched document is a discovery file (gbfs.json) or a station_status feed. */
export function documentKind(doc: unknown): 'discovery' | 'station_status' | 'unknown' {
  const data = (doc as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object') return 'unknown';
  if (Array.isArray((data as { stations?: unknown }).stations)) return 'station_status';
  if (Array.isArray((data as { feeds?: unknown }).feeds)) return 'discovery';
  if (Object.values(data).some((v) => v && typeof v === 'object' && Array.isArray((v as { feeds?: unknown }).feeds))) return 'discovery';
  return 'unknown';
}
