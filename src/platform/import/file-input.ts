// Reading input files: content hash (for idempotency), encoding detection (Seoul publishes CP949
// and UTF-8 with or without BOM), and transcoding to a UTF-8 temporary file that DuckDB can scan.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import { ImportError } from './errors.ts';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'cp949';

export interface FileInfo {
  path: string;
  name: string;
  bytes: number;
  sha256: string;
}

export async function describeFile(path: string): Promise<FileInfo> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch {
    throw new ImportError(path, 'cannot read file: it does not exist or is not readable');
  }
  if (!stat.isFile()) throw new ImportError(path, 'not a regular file');
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return { path, name: basename(path), bytes: stat.size, sha256: hash.digest('hex') };
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Decide the encoding from the first bytes: a UTF-8 BOM, else valid UTF-8, else CP949.
 * The sample is cut back to a character boundary so a multi-byte character split at the end
 * does not make valid UTF-8 look invalid.
 */
export function detectEncoding(sample: Uint8Array): TextEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
  let end = sample.length;
  // Drop a trailing incomplete UTF-8 sequence (at most 3 continuation bytes back).
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = sample[end - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    if ((b & 0xe0) === 0xc0 && back < 2) end -= back;
    else if ((b & 0xf0) === 0xe0 && back < 3) end -= back;
    else if ((b & 0xf8) === 0xf0 && back < 4) end -= back;
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'cp949';
  }
}

const SAMPLE_BYTES = 1 << 20;

export async function readHead(path: string, bytes = SAMPLE_BYTES): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    let head: Buffer = buf.subarray(0, bytesRead);
    if (path.endsWith('.gz')) head = await gunzipHead(path, bytes);
    return head;
  } finally {
    await handle.close();
  }
}

async function gunzipHead(path: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
    if (total >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, bytes);
}

export async function detectFileEncoding(path: string): Promise<TextEncoding> {
  return detectEncoding(await readHead(path));
}

/** Read a whole (small) text file as a string, whatever its encoding; strips a BOM. */
export async function readText(path: string): Promise<{ text: string; encoding: TextEncoding }> {
  const buf = await fs.readFile(path);
  const encoding = detectEncoding(buf.subarray(0, SAMPLE_BYTES));
  const text = encoding === 'cp949' ? iconv.decode(buf, 'cp949') : buf.toString('utf-8');
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding };
}

/**
 * Give DuckDB a UTF-8 file to scan: the file itself when it already is UTF-8 (DuckDB skips a BOM),
 * else a transcoded copy in a temporary folder, removed by `cleanup`.
 */
export async function asUtf8File(path: string, encoding: TextEncoding): Promise<{ path: string; cleanup: () => Promise<void> }> {
  if (encoding !== 'cp949') return { path, cleanup: async () => undefined };
  const dir = await fs.mkdtemp(join(tmpdir(), 'urbanlab-'));
  const out = join(dir, basename(path).replace(/\.gz$/, '') + '.utf8');
  const source = createReadStream(path);
  const steps: NodeJS.ReadWriteStream[] = [];
  if (path.endsWith('.gz')) steps.push(createGunzip());
  await pipeline(source, ...(steps as [NodeJS.ReadWriteStream]), iconv.decodeStream('cp949'), iconv.encodeStream('utf-8'), createWriteStream(out));
  return { path: out, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** Quote a string as a SQL literal (file paths passed to DuckDB table functions). */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A file that must be UTF-8 (JSON: RFC 8259, GBFS) as a string; anything else is refused naming the
 * line of the first byte that is not UTF-8, instead of being stored as replacement characters.
 */
export function decodeUtf8Strict(path: string, buf: Buffer, lineOffset = 0): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const good = new TextDecoder('utf-8').decode(buf);
    const at = good.indexOf('\uFFFD');
    const line = lineOffset + good.slice(0, Math.max(0, at)).split('\n').length;
    const guess = detectEncoding(buf.subarray(0, SAMPLE_BYTES)) === 'cp949' ? ' (it reads as CP949/EUC-KR)' : '';
    throw new ImportError(path, `not UTF-8 text${guess}: JSON feeds must be UTF-8; convert it first (iconv -f cp949 -t utf-8)`, { line });
  }
}
