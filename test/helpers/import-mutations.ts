// Cuts and corruptions of a CSV sample for the importers' fuzz test (test/import-fuzz.test.ts).
import fc from 'fast-check';
import iconv from 'iconv-lite';

export type Mutation =
  | { kind: 'cut'; at: number }
  | { kind: 'cp949' }
  | { kind: 'bom' }
  | { kind: 'swap'; a: number; b: number; header: boolean }
  | { kind: 'field'; row: number; col: number; text: string }
  | { kind: 'bytes'; row: number; at: number; bytes: number[] }
  | { kind: 'quote'; row: number; col: number };

export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('cp949' as const) }),
  fc.record({ kind: fc.constant('bom' as const) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(20), b: fc.nat(20), header: fc.boolean() }),
  fc.record({ kind: fc.constant('field' as const), row: fc.nat(), col: fc.nat(20), text: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('bytes' as const), row: fc.nat(), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('quote' as const), row: fc.nat(), col: fc.nat(20) }),
);

/** The mutated file's bytes, from the sample's first lines (header + `rows`). */
export function mutate(lines: readonly string[], ms: readonly Mutation[]): Buffer {
  let rows = lines.map((l) => l.split(','));
  let encoding: 'utf-8' | 'cp949' | 'bom' = 'utf-8';
  const bytesEdits: Mutation[] = [];
  for (const m of ms) {
    if (m.kind === 'swap') {
      rows = rows.map((r, i) => {
        if (i === 0 && !m.header) return r;
        const c = [...r];
        const a = m.a % c.length, b = m.b % c.length;
        [c[a], c[b]] = [c[b]!, c[a]!];
        return c;
      });
    } else if (m.kind === 'field' || m.kind === 'quote') {
      const r = rows[1 + (m.row % (rows.length - 1))]!;
      const col = m.col % r.length;
      r[col] = m.kind === 'quote' ? '"' + r[col] : m.text;
    } else if (m.kind === 'cp949' || m.kind === 'bom') encoding = m.kind;
    else bytesEdits.push(m);
  }
  const text = rows.map((r) => r.join(',')).join('\n') + '\n';
  let buf: Buffer = encoding === 'cp949' ? iconv.encode(text, 'cp949') : Buffer.from((encoding === 'bom' ? '\uFEFF' : '') + text, 'utf-8');
  for (const m of bytesEdits) {
    if (m.kind === 'cut') buf = buf.subarray(0, m.at % (buf.length + 1));
    else if (m.kind === 'bytes') {
      const at = m.at % (buf.length + 1);
      buf = Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
    }
  }
  return buf;
}

/** Records in a file as the importers count them: non-empty lines after the header (no quoted line breaks in these samples' cuts). */
export function recordsIn(buf: Buffer): number {
  return buf.toString('latin1').split(/\r?\n|\r/).slice(1).filter((l) => l.trim() !== '').length;
}

