// Weather response curves: for each factor, rentals relative to a typical hour of the same hour of
// day and day type (1 = as usual), band by band, with the hours behind each point.
import * as Plot from '@observablehq/plot';
import type { StatsReport } from '../report.ts';
import type { WeatherBandRow, WeatherFactor } from '../weather.ts';
import type { Chart } from '../../../platform/charts/chart.ts';
import type { ChartContext } from './context.ts';
import { frame, plotSvg, type Panel } from '../../../platform/charts/svg.ts';

const TITLES: Record<WeatherFactor, string> = {
  temperature: 'Temperature (°C)',
  rain: 'Rain',
  rain_intensity: 'Rain intensity (mm/h)',
  wind: 'Wind speed (m/s)',
  humidity: 'Relative humidity (%)',
};

export function weatherChart(r: StatsReport, ctx: ChartContext): Chart | null {
  if (r.weather.length === 0) return null;
  const factors = (['temperature', 'rain_intensity', 'wind', 'humidity'] as WeatherFactor[]).filter((f) => r.weather.some((w) => w.factor === f));
  if (!factors.includes('rain_intensity') && r.weather.some((w) => w.factor === 'rain')) factors.splice(1, 0, 'rain');
  const pw = 440;
  const ph = 260;
  const ymax = Math.max(1.2, ...r.weather.map((w) => w.relative)) * 1.05;
  const panels: Panel[] = factors.map((f, i) => {
    const rows = r.weather.filter((w) => w.factor === f);
    return { svg: panel(rows, TITLES[f], ymax, pw, ph), x: (i % 2) * (pw + 10) + 10, y: Math.floor(i / 2) * (ph + 10), width: pw, height: ph };
  });
  const width = 2 * pw + 30;
  return {
    name: 'weather_response',
    svg: frame({
      width,
      title: `Weather response: ${ctx.system}`,
      subtitle: [
        'Rentals relative to a typical hour of the same hour of day and day type (1 = as usual); labels: hours in the band',
        `Hours in ${ctx.timezone}; ${ctx.span}; usage: ${r.sources.weather}; weather: hourly observations of the city`,
      ],
      panels,
    }),
  };
}

function panel(rows: WeatherBandRow[], title: string, ymax: number, w: number, h: number): string {
  return plotSvg({
    width: w, height: h, marginLeft: 50, marginBottom: rows.length > 8 ? 62 : 42, marginTop: 24, grid: true,
    x: { label: title, type: 'point', domain: rows.map((d) => d.band), padding: 0.4, tickRotate: rows.length > 8 ? -30 : 0 },
    y: { label: 'Relative rentals', domain: [0, ymax] },
    marks: [
      Plot.ruleY([1], { stroke: '#999', strokeDasharray: '4,3' }),
      Plot.lineY(rows, { x: 'band', y: 'relative', stroke: '#1f77b4', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'band', y: 'relative', fill: '#1f77b4', r: 3.5 }),
      Plot.text(rows, { x: 'band', y: 'relative', text: (d: WeatherBandRow) => `${d.hours} h`, dy: -10, fontSize: 9, fill: '#555' }),
    ],
  } as Plot.PlotOptions);
}
