// Writes charts into a folder as SVG and PNG; returns the paths written. Every stage's charts go
// through it (statistics, targets).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chart } from './chart.ts';
import { svgToPng } from './png.ts';

export function writeChartFiles(dir: string, charts: readonly Chart[]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const c of charts) {
    const svgPath = join(dir, `${c.name}.svg`);
    const pngPath = join(dir, `${c.name}.png`);
    writeFileSync(svgPath, c.svg);
    writeFileSync(pngPath, svgToPng(c.svg));
    written.push(svgPath, pngPath);
  }
  return written;
}
