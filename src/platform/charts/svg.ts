// Server-side SVG for charts: Observable Plot draws the panels into a linkedom document; `frame`
// composes panels with a title, a subtitle (units, time zone, data span), legends and a footer
// into one standalone SVG. Legends are drawn here because Plot's colour ramps need a canvas.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export const FONT_FAMILY = "'NanumGothic', 'Noto Sans CJK KR', 'DejaVu Sans', sans-serif";

let doc: Document | null = null;
function document(): Document {
  if (!doc) doc = parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
  return doc;
}

/** Render a Plot spec to an SVG string (no title: `frame` adds it). */
export function plotSvg(options: Plot.PlotOptions): string {
  const el = Plot.plot({ ...options, document: document() }) as unknown as { outerHTML: string };
  return el.outerHTML;
}

export interface Panel {
  svg: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Legend =
  | { kind: 'ramp'; label: string; colors: string[]; min: number; max: number; format?: (x: number) => string }
  | { kind: 'swatches'; label?: string; items: { label: string; color: string; shape?: 'circle' | 'rect' }[] };

export interface FrameSpec {
  width: number;
  title: string;
  subtitle: string[];
  panels: Panel[];
  legends?: Legend[];
  footer?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Compose panels into one SVG document with title, subtitle lines, legends and footer. */
export function frame(spec: FrameSpec): string {
  const pad = 16;
  const parts: string[] = [];
  let y = pad + 18;
  parts.push(`<text x="${pad}" y="${y}" font-size="18" font-weight="bold">${esc(spec.title)}</text>`);
  const chars = Math.floor((spec.width - 2 * pad) / 6.4);
  for (const line of spec.subtitle.flatMap((l) => wrap(l, chars))) {
    y += 18;
    parts.push(`<text x="${pad}" y="${y}" font-size="12" fill="#444">${esc(line)}</text>`);
  }
  y += 10;
  if (spec.legends?.length) {
    let x = pad;
    for (const l of spec.legends) {
      const { svg, width } = legendSvg(l);
      parts.push(`<g transform="translate(${x},${y})">${svg}</g>`);
      x += width + 32;
    }
    y += 44;
  }
  const top = y;
  let bottom = top;
  for (const p of spec.panels) {
    parts.push(`<svg x="${p.x}" y="${top + p.y}" width="${p.width}" height="${p.height}" viewBox="0 0 ${p.width} ${p.height}">${innerOf(p.svg)}</svg>`);
    bottom = Math.max(bottom, top + p.y + p.height);
  }
  y = bottom + 6;
  for (const line of (spec.footer ?? []).flatMap((l) => wrap(l, Math.floor((spec.width - 2 * pad) / 5.9)))) {
    y += 15;
    parts.push(`<text x="${pad}" y="${y}" font-size="11" fill="#666">${esc(line)}</text>`);
  }
  const height = Math.ceil(y + pad);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${height}" viewBox="0 0 ${spec.width} ${height}" ` +
    `font-family="${FONT_FAMILY.replace(/"/g, '&quot;')}" font-size="10">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>\n`
  );
}

/**
 * Plot's SVG without its outer element and its CSS (the <style> block holds only browser layout
 * hints, which renderers such as resvg do not need), keeping the attributes that matter (fonts).
 */
function innerOf(svg: string): string {
  const open = svg.match(/^<svg([^>]*)>/);
  if (!open) return svg;
  const attrs = open[1]!;
  const keep = ['text-anchor', 'font-size', 'fill']
    .map((a) => attrs.match(new RegExp(`\\s${a}="([^"]*)"`)))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => m[0])
    .join('');
  const body = svg
    .slice(open[0].length, svg.lastIndexOf('</svg>'))
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/fill="currentColor"/g, 'fill="black"')
    .replace(/stroke="currentColor"/g, 'stroke="black"');
  return `<g${keep.replace(/fill="currentColor"/, 'fill="black"')}>${body}</g>`;
}

function legendSvg(l: Legend): { svg: string; width: number } {
  if (l.kind === 'ramp') {
    const w = 240;
    const fmt = l.format ?? ((x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 }));
    const id = `ramp${Math.abs(hash(l.label + l.colors.join('')))}`;
    const stops = l.colors.map((c, i) => `<stop offset="${(i / (l.colors.length - 1)).toFixed(3)}" stop-color="${c}"/>`).join('');
    const svg =
      `<defs><linearGradient id="${id}">${stops}</linearGradient></defs>` +
      `<text x="0" y="10" font-size="11">${esc(l.label)}</text>` +
      `<rect x="0" y="16" width="${w}" height="10" fill="url(#${id})"/>` +
      `<text x="0" y="38" font-size="10">${esc(fmt(l.min))}</text>` +
      `<text x="${w}" y="38" font-size="10" text-anchor="end">${esc(fmt(l.max))}</text>`;
    return { svg, width: w };
  }
  let x = 0;
  const parts: string[] = [];
  if (l.label) {
    parts.push(`<text x="0" y="21" font-size="11">${esc(l.label)}</text>`);
    x += l.label.length * 6.5 + 10;
  }
  for (const it of l.items) {
    parts.push(
      it.shape === 'rect'
        ? `<rect x="${x}" y="12" width="12" height="12" fill="${it.color}"/>`
        : `<circle cx="${x + 6}" cy="18" r="6" fill="${it.color}" stroke="white" stroke-width="0.5"/>`,
    );
    parts.push(`<text x="${x + 16}" y="22" font-size="11">${esc(it.label)}</text>`);
    x += 16 + it.label.length * 6.5 + 16;
  }
  return { svg: parts.join(''), width: x };
}

/** Break a line at spaces so that no piece is longer than `max` characters. */
export function wrap(line: string, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of line.split(' ')) {
    if (cur && cur.length + 1 + word.length > max) {
      out.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(cur);
  return out;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}
