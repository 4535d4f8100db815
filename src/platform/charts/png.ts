// SVG to PNG with resvg (a native renderer shipped inside its npm package). Text needs fonts: a
// Korean-capable font is looked for among the usual system locations (Debian's fonts-nanum or
// fonts-noto-cjk, installed by .ci/run); without one, system fonts are used and Korean text in
// the charts is avoided by the charts themselves (see `hasKoreanFont`).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const FONT_DIRS = ['/usr/share/fonts/truetype/nanum', '/usr/share/fonts/opentype/noto', '/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/truetype/noto'];
const WANTED = [/^NanumGothic(Bold)?\.ttf$/, /^NotoSansCJK-(Regular|Bold)\.ttc$/, /^DejaVuSans(-Bold)?\.ttf$/];

let fontFiles: string[] | null = null;

export function availableFonts(): string[] {
  if (fontFiles) return fontFiles;
  const found: string[] = [];
  for (const dir of FONT_DIRS) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (WANTED.some((re) => re.test(f))) found.push(join(dir, f));
  }
  fontFiles = found.sort();
  return fontFiles;
}

/** Whether PNGs can show Korean text (a Nanum or Noto CJK font was found). */
export function hasKoreanFont(): boolean {
  return availableFonts().some((f) => /Nanum|CJK/.test(f));
}

export function svgToPng(svg: string, scale = 2): Buffer {
  const files = availableFonts();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: files.length
      ? { loadSystemFonts: false, fontFiles: files, defaultFontFamily: hasKoreanFont() ? (files.some((f) => /Nanum/.test(f)) ? 'NanumGothic' : 'Noto Sans CJK KR') : 'DejaVu Sans' }
      : { loadSystemFonts: true },
  });
  return resvg.render().asPng();
}
