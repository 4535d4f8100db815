// CSV for files a person opens or a program reads: RFC 4180 quoting, one header line, the columns
// of the first row unless named. Every CSV the project writes (statistics tables, forecasts,
// driver sheets) goes through it.

export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  if (rows.length === 0 && !columns) return '';
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
