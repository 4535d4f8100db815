// Every raw payload is written here, compressed, before anything parses it: nothing fetched is lost,
// and a later version of the parser can replay it (`urbanlab collect --replay <dir>`).
// Layout (Hive-partitioned, readable by DuckDB, Spark, Trino):
//   <root>/system=<id>/date=<YYYY-MM-DD>/<feed>/<fetched ISO, ':' -> '-'>[_<part>].json.gz
// A snapshot fetched in several calls (Seoul's pages) shares one time, each call a part.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface ArchivedPayload {
  system: string;
  feed: string;
  fetchedAt: Date;
  part: string | undefined;
  path: string;
}

export function archivePath(root: string, system: string, feed: string, fetchedAt: Date, part?: string): string {
  const iso = fetchedAt.toISOString();
  const safeSystem = system.replace(/[^A-Za-z0-9_.-]/g, '_');
  const safeFeed = feed.replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(root, `system=${safeSystem}`, `date=${iso.slice(0, 10)}`, safeFeed, `${iso.replace(/:/g, '-')}${part ? `_${part.replace(/[^A-Za-z0-9-]/g, '')}` : ''}.json.gz`);
}

/** Write atomically (temp file + rename) so a crash never leaves half a payload under its final name. */
export async function archivePayload(root: string, system: string, feed: string, fetchedAt: Date, body: string | Buffer, part?: string): Promise<string> {
  const path = archivePath(root, system, feed, fetchedAt, part);
  await fs.mkdir(join(path, '..'), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await fs.writeFile(tmp, gzipSync(body));
  await fs.rename(tmp, path);
  return path;
}

/** Every archived payload under `root`, oldest first (by fetch time, then feed). */
export async function listArchive(root: string): Promise<ArchivedPayload[]> {
  const out: ArchivedPayload[] = [];
  async function walk(dir: string, system?: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new Error(`cannot read archive folder ${dir}: ${(err as Error).message}`);
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        const m = /^system=(.+)$/.exec(e.name);
        await walk(p, m ? m[1] : system);
      } else if (e.name.endsWith('.json.gz') && system !== undefined) {
        const [stamp, part] = e.name.slice(0, -'.json.gz'.length).split('_');
        const fetchedAt = new Date((stamp ?? '').replace(/T(\d\d)-(\d\d)-(\d\d)/, 'T$1:$2:$3'));
        if (Number.isNaN(fetchedAt.getTime())) continue;
        const feed = dir.split('/').pop() ?? 'unknown';
        out.push({ system, feed, fetchedAt, part, path: p });
      }
    }
  }
  await walk(root);
  const partNo = (p: string | undefined) => Number(/\d+/.exec(p ?? '')?.[0] ?? 0);
  return out.sort((a, b) => a.fetchedAt.getTime() - b.fetchedAt.getTime() || a.feed.localeCompare(b.feed) || partNo(a.part) - partNo(b.part));
}

export async function readArchived(path: string): Promise<string> {
  return gunzipSync(await fs.readFile(path)).toString('utf-8');
}
