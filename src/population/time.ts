// Reading the times a user types: a date ('2022-06-24': local midnight), a local time without a
// zone ('2022-06-24T09:00': KST), or an instant with its zone ('...Z', '+09:00').
import { KST_OFFSET_MS } from './series.ts';

export function parseTime(text: string): number | undefined {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', se = '0', zone] = m;
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (Number.isNaN(localMs)) return undefined;
  const check = new Date(localMs);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
  if (zone === undefined) return localMs - KST_OFFSET_MS;
  if (zone === 'Z') return localMs;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return localMs - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** '2022-06-24T09:00+09:00' for an instant. */
export function kstString(ms: number): string {
  return new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 16) + '+09:00';
}
