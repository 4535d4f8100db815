// Usage by weather: hours grouped into bands of temperature, rain, rain intensity, wind and
// humidity. Two figures per band: the mean rentals in an hour of that band, and `relative`, the
// band's rentals divided by what a typical hour of the same local hour-of-day and day type carries
// (so that nights, which are cold and quiet, do not pass for a temperature effect). A missing
// precipitation reading counts as no rain: KMA leaves the field blank when none fell.
import type { LocalHourTotal, WeatherHour } from './types.ts';
import { round } from './by-hour.ts';

export type WeatherFactor = 'temperature' | 'rain' | 'rain_intensity' | 'wind' | 'humidity';

export interface WeatherBandRow {
  factor: WeatherFactor;
  band: string;
  unit: string;
  order: number; // position of the band along its axis (its lower bound where numeric)
  hours: number;
  rentals: number;
  rentals_per_hour: number;
  relative: number;
}

interface Band {
  band: string;
  order: number;
}

type Bander = (w: WeatherHour) => Band | null;

const FACTORS: Record<WeatherFactor, { unit: string; band: Bander }> = {
  temperature: {
    unit: '°C',
    band: (w) => {
      if (w.temperatureC === null) return null;
      const lo = Math.floor(w.temperatureC / 5) * 5;
      return { band: `${lo} to ${lo + 5}`, order: lo };
    },
  },
  rain: {
    unit: 'mm/h',
    band: (w) => ((w.precipitationMm ?? 0) > 0 ? { band: 'rain', order: 1 } : { band: 'no rain', order: 0 }),
  },
  rain_intensity: {
    unit: 'mm/h',
    band: (w) => {
      const p = w.precipitationMm ?? 0;
      if (p <= 0) return { band: '0', order: 0 };
      if (p <= 1) return { band: '0-1', order: 1 };
      if (p <= 5) return { band: '1-5', order: 2 };
      if (p <= 10) return { band: '5-10', order: 3 };
      return { band: '>10', order: 4 };
    },
  },
  wind: {
    unit: 'm/s',
    band: (w) => {
      if (w.windMs === null) return null;
      const lo = Math.min(5, Math.floor(w.windMs));
      return { band: lo >= 5 ? '5+' : `${lo}-${lo + 1}`, order: lo };
    },
  },
  humidity: {
    unit: '%',
    band: (w) => {
      if (w.humidityPct === null) return null;
      const lo = Math.min(80, Math.floor(w.humidityPct / 20) * 20);
      return { band: lo >= 80 ? '80-100' : `${lo}-${lo + 20}`, order: lo };
    },
  },
};

export const WEATHER_FACTORS = Object.keys(FACTORS) as WeatherFactor[];

export function weatherBands(hours: readonly LocalHourTotal[], weather: readonly WeatherHour[]): WeatherBandRow[] {
  const byHour = new Map<number, WeatherHour>();
  for (const w of weather) byHour.set(w.hourUtc, w);
  const joined = hours.filter((h) => byHour.has(h.hourUtc));
  if (joined.length === 0) return [];
  // Typical rentals for each (day type, local hour) over the joined hours.
  const typicalSum = new Map<string, { s: number; n: number }>();
  for (const h of joined) {
    const k = `${h.dayType}|${h.hour}`;
    const t = typicalSum.get(k) ?? { s: 0, n: 0 };
    t.s += h.rentals;
    t.n += 1;
    typicalSum.set(k, t);
  }
  const typical = (h: LocalHourTotal) => {
    const t = typicalSum.get(`${h.dayType}|${h.hour}`)!;
    return t.s / t.n;
  };
  const rows: WeatherBandRow[] = [];
  for (const factor of WEATHER_FACTORS) {
    const { unit, band } = FACTORS[factor];
    const acc = new Map<string, { order: number; hours: number; rentals: number; expected: number }>();
    for (const h of joined) {
      const b = band(byHour.get(h.hourUtc)!);
      if (!b) continue;
      const a = acc.get(b.band) ?? { order: b.order, hours: 0, rentals: 0, expected: 0 };
      a.hours += 1;
      a.rentals += h.rentals;
      a.expected += typical(h);
      acc.set(b.band, a);
    }
    for (const [b, a] of [...acc.entries()].sort((x, y) => x[1].order - y[1].order)) {
      rows.push({
        factor, band: b, unit, order: a.order, hours: a.hours, rentals: a.rentals,
        rentals_per_hour: round(a.rentals / a.hours), relative: a.expected > 0 ? round(a.rentals / a.expected) : 0,
      });
    }
  }
  return rows;
}
