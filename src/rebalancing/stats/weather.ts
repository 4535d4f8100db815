// Usage by weather: hours grouped into bands of temperature, rain, rain intensity, wind and
// humidity. Two figures per band: the mean rentals in an hour of that band, and `relative`, the
// band's rentals divided by what a typical hour of the same local hour-of-day and day type carries
// (so that nights, which are cold and quiet, do not pass for a temperature effect). Rain / no rain
// uses the source's rain flag where it has one (Seoul's 2021 hourly series gives only 0/1), else
// precipitation > 0; rain intensity needs amounts in mm, so flag-only hours are left out of it.
import { DAY_TYPES, N_DAY_TYPES } from '../../platform/calendar/day-types.ts';
import type { LocalHourTotal, WeatherHour } from './types.ts';
import { observedShare, round } from './by-hour.ts';

export type WeatherFactor = 'temperature' | 'rain' | 'rain_intensity' | 'wind' | 'humidity';

export interface WeatherBandRow {
  factor: WeatherFactor;
  band: string;
  unit: string;
  order: number; // position of the band along its axis (its lower bound where numeric)
  /** Observed hours in the band (an hour half lost to a feed outage counts 0.5). */
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
    band: (w) => {
      const wet = w.rain ?? (w.precipitationMm === null ? null : w.precipitationMm > 0);
      if (wet === null) return null;
      return wet ? { band: 'rain', order: 1 } : { band: 'no rain', order: 0 };
    },
  },
  rain_intensity: {
    unit: 'mm/h',
    band: (w) => {
      const p = w.precipitationMm;
      if (p === null) return null;
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
  // Keyed by hour number (a small integer) rather than epoch ms, which V8 hashes far more slowly.
  const byHour = new Map<number, WeatherHour>();
  for (const w of weather) byHour.set(Math.round(w.hourUtc / 3_600_000), w);
  const joined: LocalHourTotal[] = [];
  const wx: WeatherHour[] = [];
  for (const h of hours) {
    const w = byHour.get(Math.round(h.hourUtc / 3_600_000));
    if (w) {
      joined.push(h);
      wx.push(w);
    }
  }
  if (joined.length === 0) return [];
  // Typical rentals for each (day type, local hour) over the joined hours, per observed hour: an
  // hour half lost to a feed outage weighs half, and is expected to carry half (by-hour.ts).
  const cell = (h: LocalHourTotal) => DAY_TYPES.indexOf(h.dayType) * 24 + h.hour;
  const sum = new Float64Array(N_DAY_TYPES * 24);
  const count = new Float64Array(N_DAY_TYPES * 24);
  for (const h of joined) {
    sum[cell(h)]! += h.rentals;
    count[cell(h)]! += observedShare(h);
  }
  const expected = joined.map((h) => (count[cell(h)]! > 0 ? (sum[cell(h)]! / count[cell(h)]!) * observedShare(h) : 0));
  const rows: WeatherBandRow[] = [];
  for (const factor of WEATHER_FACTORS) {
    const { unit, band } = FACTORS[factor];
    const acc = new Map<string, { order: number; hours: number; rentals: number; expected: number }>();
    for (let i = 0; i < joined.length; i++) {
      const b = band(wx[i]!);
      if (!b) continue;
      let a = acc.get(b.band);
      if (!a) acc.set(b.band, (a = { order: b.order, hours: 0, rentals: 0, expected: 0 }));
      a.hours += observedShare(joined[i]!);
      a.rentals += joined[i]!.rentals;
      a.expected += expected[i]!;
    }
    for (const [b, a] of [...acc.entries()].sort((x, y) => x[1].order - y[1].order)) {
      rows.push({
        factor, band: b, unit, order: a.order, hours: round(a.hours), rentals: a.rentals,
        rentals_per_hour: a.hours > 0 ? round(a.rentals / a.hours) : 0, relative: a.expected > 0 ? round(a.rentals / a.expected) : 0,
      });
    }
  }
  return rows;
}
