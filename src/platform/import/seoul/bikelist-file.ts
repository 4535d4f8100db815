// A saved Seoul live-status snapshot (`bikeList`) file: its rows and its time. Pure.
// Accepted: one API response ({"rentBikeStatus": {"row": [...]}}), or several pages of the same
// snapshot as a JSON array of responses. Where the time comes from (first that applies):
//  1. a "fetched_at"/"observed_at" field at the top of the file (an ISO time), if a saver adds one;
//  2. a time in the file name: ISO as the collector archives it ('2025-05-01T08-10-00.000Z', UTC),
//     or a Seoul wall-clock stamp ('bikeList_20250501_0810.json', '202505010810', '...T081000'),
//     read on Seoul's wall clock by the one time rule (src/platform/time);
//  3. else the file's modification time (the caller passes it): a saved response itself carries no time.
import type { BikeListRow } from '../../collect/seoul-bikelist.ts';
import { readTime, SEOUL_ZONE } from '../../time/index.ts';

export class BikeListFileError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

export function bikeListRowsOf(doc: unknown): BikeListRow[] {
  const pages = Array.isArray(doc) ? doc : [doc];
  const rows: BikeListRow[] = [];
  for (const [i, p] of pages.entries()) {
    const page = p as { rentBikeStatus?: { row?: unknown; RESULT?: { CODE?: string; MESSAGE?: string } }; RESULT?: { CODE?: string; MESSAGE?: string }; CODE?: string; MESSAGE?: string };
    const r = page?.rentBikeStatus?.row;
    if (!Array.isArray(r)) {
      const result = page?.rentBikeStatus?.RESULT ?? page?.RESULT ?? (page?.CODE ? { CODE: page.CODE, MESSAGE: page.MESSAGE } : undefined);
      throw new BikeListFileError(`${pages.length > 1 ? `page ${i + 1}: ` : ''}no rentBikeStatus.row[]${result?.CODE ? ` (API answered ${result.CODE}: ${result.MESSAGE ?? ''})` : ''}`);
    }
    rows.push(...(r as BikeListRow[]));
  }
  return rows;
}

export type TimeSource = 'field' | 'file name (UTC)' | 'file name (Seoul time)' | 'file modification time';

export function snapshotTime(doc: unknown, fileName: string, mtime: Date): { at: Date; source: TimeSource } {
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const d = doc as Record<string, unknown>;
    for (const k of ['observed_at', 'fetched_at']) {
      const v = d[k];
      // The one time rule: an offset as given, a naive time on Seoul's wall clock (never the host's).
      const r = typeof v === 'string' ? readTime(v, SEOUL_ZONE) : undefined;
      if (r?.ok) return { at: new Date(r.ms), source: 'field' };
    }
  }
  const iso = /(\d{4}-\d{2}-\d{2})T(\d{2})[-:](\d{2})[-:](\d{2})(\.\d+)?Z/.exec(fileName);
  if (iso) return { at: new Date(`${iso[1]}T${iso[2]}:${iso[3]}:${iso[4]}${iso[5] ?? ''}Z`), source: 'file name (UTC)' };
  const local = /(?<!\d)(\d{4})-?(\d{2})-?(\d{2})[T_-]?(\d{2})[-:]?(\d{2})(?:[-:]?(\d{2}))?(?!\d)/.exec(fileName);
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    const at = readTime(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}`, SEOUL_ZONE);
    if (at.ok) return { at: new Date(at.ms), source: 'file name (Seoul time)' };
  }
  return { at: mtime, source: 'file modification time' };
}

/** The station number at the front of a bikeList name: '102. 망원역 1번출구 앞' -> '102'. */
export function numberFromName(name: string | undefined): string | undefined {
  const m = /^\s*0*(\d+)\s*\./.exec(name ?? '');
  return m && m[1] !== '' ? m[1] : undefined;
}
