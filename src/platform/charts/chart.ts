// A drawn chart (a name for its files, the standalone SVG) and the label rule every chart follows
// for the fonts at hand. Shared by every stage's charts (statistics, targets, zones, plans).

export interface Chart {
  name: string;
  svg: string;
}

/** A label safe for the fonts at hand: non-ASCII text is dropped when no Korean font exists. */
export function safeLabel(s: string | null | undefined, korean: boolean): string {
  if (!s) return '';
  return korean ? s : s.replace(/[^\x00-\x7F]+/g, '').replace(/\s+/g, ' ').trim();
}
