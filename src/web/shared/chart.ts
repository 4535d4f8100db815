// Small SVG charts drawn in the page (a station's bikes today, its forecast band, its failure curve):
// a few lines, bands and a shaded interval on linear axes. Text is escaped; sizes are in CSS pixels.
export interface Series {
  kind: 'line' | 'step' | 'band';
  /** x, y (a band: x, lo, hi). */
  points: ReadonlyArray<readonly [number, number] | readonly [number, number, number]>;
  colour: string;
  label: string;
}

export interface ChartSpec {
  title: string;
  series: Series[];
  /** A horizontal interval shaded behind the series (e.g. the target min..max). */
  yBand?: { lo: number; hi: number; colour: string; label: string };
  xLabel: (x: number) => string;
  xTicks?: number;
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function svgChart(spec: ChartSpec): string {
  const W = spec.width ?? 320;
  const H = spec.height ?? 140;
  const m = { l: 34, r: 8, t: 8, b: 22 };
  const xs: number[] = [];
  const ys: number[] = [0];
  for (const s of spec.series) for (const p of s.points) {
    xs.push(p[0]);
    ys.push(p[1]);
    if (p.length === 3) ys.push(p[2]);
  }
  if (spec.yBand) ys.push(spec.yBand.lo, spec.yBand.hi);
  if (xs.length === 0) return '';
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs) === x0 ? x0 + 1 : Math.max(...xs);
  const y1 = Math.max(1, ...ys) * 1.05;
  const X = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (y: number) => H - m.b - (y / y1) * (H - m.t - m.b);
  const parts: string[] = [];
  if (spec.yBand) parts.push(`<rect x="${m.l}" y="${Y(spec.yBand.hi)}" width="${W - m.l - m.r}" height="${Math.max(1, Y(spec.yBand.lo) - Y(spec.yBand.hi))}" fill="${spec.yBand.colour}"><title>${esc(spec.yBand.label)}</title></rect>`);
  for (const s of spec.series) {
    if (s.points.length === 0) continue;
    if (s.kind === 'band') {
      const top = s.points.map((p) => `${X(p[0])},${Y(p[2] ?? p[1])}`);
      const bottom = [...s.points].reverse().map((p) => `${X(p[0])},${Y(p[1])}`);
      parts.push(`<polygon points="${[...top, ...bottom].join(' ')}" fill="${s.colour}" opacity="0.3"><title>${esc(s.label)}</title></polygon>`);
    } else {
      let d = '';
      s.points.forEach((p, i) => {
        if (i === 0) d += `M${X(p[0])},${Y(p[1])}`;
        else d += s.kind === 'step' ? `H${X(p[0])}V${Y(p[1])}` : `L${X(p[0])},${Y(p[1])}`;
      });
      parts.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="1.8"><title>${esc(s.label)}</title></path>`);
    }
  }
  const ticks = spec.xTicks ?? 4;
  const axis: string[] = [`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#555"/>`, `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#555"/>`];
  for (let i = 0; i <= ticks; i++) {
    const x = x0 + ((x1 - x0) * i) / ticks;
    axis.push(`<text x="${X(x)}" y="${H - 6}" text-anchor="middle">${esc(spec.xLabel(x))}</text>`);
  }
  for (const y of [0, y1 / 1.05 / 2, y1 / 1.05]) axis.push(`<text x="${m.l - 4}" y="${Y(y) + 4}" text-anchor="end">${esc(String(Math.round(y * 10) / 10))}</text>`);
  const legend = spec.series.map((s) => `<span class="key"><i style="background:${s.colour}"></i>${esc(s.label)}</span>`).join('')
    + (spec.yBand ? `<span class="key"><i style="background:${spec.yBand.colour}"></i>${esc(spec.yBand.label)}</span>` : '');
  return `<figure class="chart"><figcaption>${esc(spec.title)}</figcaption><svg role="img" aria-label="${esc(spec.title)}" viewBox="0 0 ${W} ${H}" width="100%" font-size="10" fill="#222">${parts.join('')}${axis.join('')}</svg><div class="legend">${legend}</div></figure>`;
}
