// What every statistics chart states about its data: the system, the time zone, the span and the source.
import type { StatsReport } from '../report.ts';

export interface ChartContext {
  system: string;
  timezone: string;
  span: string;
  /** Whether Korean text can be drawn (else names are left out of labels). */
  korean: boolean;
}

export function chartContext(r: StatsReport, korean: boolean): ChartContext {
  const name = r.name && (korean || !/[^\x00-\x7F]/.test(r.name)) ? `${r.name} (${r.system})` : r.system;
  const span = r.span.from ? `${r.span.from} to ${r.span.to}, ${r.span.days} days with data` : 'no hourly data';
  return { system: name, timezone: r.timezone, span, korean };
}
