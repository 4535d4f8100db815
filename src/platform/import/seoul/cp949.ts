// CP949 text that DuckDB read as latin-1. DuckDB cannot decode CP949 without an extension that
// must be downloaded, and transcoding a 500 MB month in Node costs more than DuckDB's whole read.
// Reading the bytes as latin-1 keeps the CSV structure intact (CP949 never uses a byte below 0x41
// inside a Korean character, so ',', '"' and line ends are never part of one), and the few text
// values we keep are decoded here, once per distinct value.
import iconv from 'iconv-lite';

export function latin1ToCp949(s: string): string {
  return iconv.decode(Buffer.from(s, 'latin1'), 'cp949');
}
