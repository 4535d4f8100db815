// One pass over a CSV file's bytes before any of it is read into the store: its physical lines,
// and the quote that opens a field and is never closed. DuckDB (and csv-parse) read such a quote
// as the start of a value that runs to the end of the file: the rest of the file is swallowed
// into one bad record (or, with a sniffed dialect, read as data). That is refused here, naming the
// line where the quote opened and its field, before anything is written.
//
// Bytes, not characters: '"', ',' and line breaks are single bytes in UTF-8 and in CP949 (whose
// trail bytes are 0x41-0xFE), so the same scan serves every encoding the importers take.
// The scan jumps from quote to quote with Buffer.indexOf (native), so a file without quotes costs
// about what counting its lines does.
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ImportError } from './errors.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * A quoted field that spans more line breaks than this is a quote left open that a stray quote far
 * below happened to close: no field of a bike-share file holds a paragraph (the longest real ones,
 * Seoul station addresses, hold one break).
 */
export const MAX_QUOTED_LINE_BREAKS = 20;

export interface OpenQuote {
  /** 1-based physical line where the quote opened. */
  line: number;
  /** Byte offset of the opening quote in the (decompressed) file. */
  offset: number;
  /** Physical line where a stray quote closed it, when one did (the field spanned too many lines). */
  closedAt?: number;
}

export interface CsvScan {
  /** Physical lines (a last line without a line end counts). */
  lines: number;
  /** A quote that opens a field and is never closed (or closes only far below). */
  openQuote?: OpenQuote;
}

/** Scan a file (gunzipped when its name ends in .gz). */
export async function scanCsvFile(path: string): Promise<CsvScan> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = path.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
  const s = new Scanner();
  for await (const chunk of input as AsyncIterable<Buffer>) s.push(chunk);
  return s.end();
}

/** Scan text already in memory (the small files read whole; chunks: as a stream would give them). */
export function scanCsvText(text: string | Buffer | readonly Buffer[]): CsvScan {
  const s = new Scanner();
  const chunks = typeof text === 'string' ? [Buffer.from(text, 'utf-8')] : Buffer.isBuffer(text) ? [text] : text;
  for (const c of chunks) s.push(c);
  return s.end();
}

class Scanner {
  private lines = 0;
  private base = 0; // offset of the current chunk's first byte
  private prev = LF; // the byte before the current one (LF: the file's start is a field start)
  private inQuote = false;
  private quoteAtChunkEnd = false; // in a quoted field, a '"' was the chunk's last byte (maybe the first of a doubled pair)
  private open: OpenQuote | undefined;
  private found: OpenQuote | undefined;
  private last = LF;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    let pos = 0;
    if (this.quoteAtChunkEnd) {
      this.quoteAtChunkEnd = false;
      if (chunk[0] === QUOTE) pos = 1; // a doubled quote: still inside
      else this.close();
    }
    while (pos < chunk.length && this.found === undefined) {
      const q = chunk.indexOf(QUOTE, pos);
      const upto = q === -1 ? chunk.length : q;
      this.countLines(chunk, pos, upto);
      if (q === -1) break;
      if (this.inQuote) {
        if (q + 1 === chunk.length) {
          this.quoteAtChunkEnd = true;
        } else if (chunk[q + 1] === QUOTE) {
          pos = q + 2;
          continue;
        } else {
          this.close();
        }
        pos = q + 1;
        continue;
      }
      // Outside a quoted field a quote opens one only at a field's start (a quote inside a value is
      // the reader's own concern: DuckDB rejects that record by itself).
      const before = q > 0 ? chunk[q - 1]! : this.prev;
      const atStart = before === COMMA || before === LF || before === CR || (this.base + q === 3 && before === 0xbf);
      if (atStart) {
        this.inQuote = true;
        this.open = { line: this.lines + 1, offset: this.base + q };
      }
      pos = q + 1;
    }
    this.last = chunk[chunk.length - 1]!;
    this.prev = this.last;
    this.base += chunk.length;
  }

  end(): CsvScan {
    if (this.quoteAtChunkEnd) this.close();
    const lines = this.lines + (this.last === LF || this.base === 0 ? 0 : 1);
    const openQuote = this.found ?? (this.inQuote ? this.open : undefined);
    return openQuote ? { lines, openQuote } : { lines };
  }

  private close(): void {
    this.inQuote = false;
    const open = this.open!;
    if (this.found === undefined && this.lines + 1 - open.line > MAX_QUOTED_LINE_BREAKS) this.found = { ...open, closedAt: this.lines + 1 };
  }

  private countLines(chunk: Buffer, from: number, to: number): void {
    for (let i = chunk.indexOf(LF, from); i !== -1 && i < to; i = chunk.indexOf(LF, i + 1)) this.lines++;
  }
}

/**
 * The 0-based field where the quote at `offset` opened: fields counted from the start of its
 * line (a record that began on an earlier line, after a quoted line break, is counted from that
 * line's start: rare, and only the field's name is then approximate).
 */
export async function fieldIndexAt(path: string, open: OpenQuote): Promise<number> {
  return fieldOfLine(await readLineBefore(path, open.offset));
}

/** The field index of a quote in text held in memory (same rule). */
export function fieldIndexInText(text: string | Buffer, open: OpenQuote): number {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf-8') : text;
  return fieldOfLine(lineEndingAt(buf.subarray(0, open.offset)));
}

/** Fields before the end of a line's start: commas outside quotes. */
function fieldOfLine(line: Buffer): number {
  let field = 0;
  let inQuote = false;
  for (const b of line) {
    if (b === QUOTE) inQuote = !inQuote;
    else if (b === COMMA && !inQuote) field++;
  }
  return field;
}

/** The bytes from the start of the line holding `offset` up to it. */
async function readLineBefore(path: string, offset: number): Promise<Buffer> {
  if (path.endsWith('.gz')) {
    // Decompress up to the offset (error path only).
    const parts: Buffer[] = [];
    let got = 0;
    for await (const chunk of createReadStream(path).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      parts.push(chunk);
      got += chunk.length;
      if (got > offset) break;
    }
    return lineEndingAt(Buffer.concat(parts).subarray(0, offset));
  }
  const from = Math.max(0, offset - (1 << 16));
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(offset - from);
    await handle.read(buf, 0, buf.length, from);
    return lineEndingAt(buf);
  } finally {
    await handle.close();
  }
}

function lineEndingAt(buf: Buffer): Buffer {
  const lf = buf.lastIndexOf(LF);
  return buf.subarray(lf + 1);
}

/** What is wrong, for a message that already names the file, line and field. */
export function openQuoteMessage(open: OpenQuote): string {
  const what = open.closedAt === undefined
    ? 'a quote opens this field and is never closed: the rest of the file would be read as one value'
    : `a quote opens this field and is closed only at line ${open.closedAt}: the ${open.closedAt - open.line} lines between would be read as one value`;
  return `${what}; nothing was imported (close or remove the quote)`;
}

/** The error a user reads: the file, the line where the quote opened, its field; nothing imported. */
export function openQuoteError(file: string, open: OpenQuote, field: string | undefined): ImportError {
  return new ImportError(file, openQuoteMessage(open), { line: open.line, ...(field !== undefined ? { field } : {}) });
}

/** For text read whole (csv-parse's callers): the quote left open, with its field's name from the header line. */
export function openQuoteInText(text: string): { open: OpenQuote; field: string } | undefined {
  const buf = Buffer.from(text, 'utf-8');
  const scan = scanCsvText(buf);
  if (!scan.openQuote) return undefined;
  const index = fieldIndexInText(buf, scan.openQuote);
  const headerLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const name = scan.openQuote.line === 1 ? undefined : headerLine.split(',')[index]?.replace(/^"|"$/g, '').trim();
  return { open: scan.openQuote, field: name || `column ${index + 1}` };
}

/**
 * Refuse a file with a quote left open; return its physical line count (the scan is the same pass).
 * `fieldName` names the 0-based field for the message (the header's or the layout's).
 */
export async function assertQuotesClosed(path: string, displayPath: string, fieldName: (index: number) => string | undefined): Promise<number> {
  const scan = await scanCsvFile(path);
  if (scan.openQuote) throw openQuoteError(displayPath, scan.openQuote, fieldName(await fieldIndexAt(path, scan.openQuote)));
  return scan.lines;
}
