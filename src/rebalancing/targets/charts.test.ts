// The targets' charts: drawn from a real exact computation (failure curve) and over Seoul's real
// district boundaries (class map); checked for what a reader needs to see, and rendered to PNG.
import { asStationId } from '../../platform/ids.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dataFile } from '../../platform/bundled-data.ts';
import { svgToPng } from '../../platform/charts/png.ts';
import { classMapChart, failureCurveChart, type MapStation, type TargetsChartContext } from './charts.ts';
import { stationTarget } from './station-targets.ts';
import { hourlyToSteps } from './steps.ts';

const ctx: TargetsChartContext = {
  system: 'seoul', at: '2025-05-01T08:00:00.000Z', horizonMinutes: 180, service: 0.9, rates: 'historical-average',
  capacityPolicy: 'soft:50%', runId: 'test-run', korean: false,
};

describe('targets charts', () => {
  it('failure curve: the three curves, the interval shaded, the current bikes marked', () => {
    const t = stationTarget({
      stationId: asStationId('ST-1'), capacity: 15, current: 2,
      rates: hourlyToSteps([1, 2, 1], [1, 1, 1], 0, 180, 15), pickupShape: 8, returnShape: Infinity,
    }, { service: 0.9, points: 3, fullBinds: true });
    assert.ok(t.feasible && t.min > 2, `a feasible station in shortage: [${t.min}, ${t.max}]`);
    const chart = failureCurveChart({ ...t, name: '여의도 Station', racks: 10 }, ctx);
    const has = (re: RegExp) => assert.ok(re.test(chart.svg), `${re} in the SVG`);
    assert.equal(chart.name, 'failure_curve_ST-1');
    // Korean text is left out without a Korean font; the rest of the name stays.
    has(/Failure curve: Station</);
    has(new RegExp(`Target interval \\[${t.min}, ${t.max}\\]`));
    has(/capacity 15 in the model \(10 racks,/);
    has(/now 2 bikes/);
    has(/shortage: 2 bikes now/);
    has(/1 - service = 0\.1/);
    // Two panels: expected failures (3 curves) and risks (3 curves); the band and the rule in each.
    assert.equal(chart.svg.match(/aria-label="line"/g)?.length, 6);
    assert.equal(chart.svg.match(/fill-opacity="0.15"/g)?.length, 2);
    const png = svgToPng(chart.svg, 1);
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  });

  it('class map over the 25 districts, one dot per placed station', () => {
    const gj = JSON.parse(readFileSync(dataFile('seoul', 'boundaries', 'seoul_districts_25gu_2015.geojson'), 'utf8')) as {
      features: { properties: { SIG_CD: string; SIG_KOR_NM: string }; geometry: unknown }[];
    };
    const districts = gj.features.map((f) => ({ code: f.properties.SIG_CD, name: f.properties.SIG_KOR_NM, geometry: f.geometry }));
    const stations: MapStation[] = [
      { station_id: 'a', lat: 37.498, lon: 127.028, class: 'shortage', bring: 5, take: 0 },
      { station_id: 'b', lat: 37.526, lon: 126.924, class: 'surplus', bring: 0, take: 3 },
      { station_id: 'c', lat: 37.571, lon: 126.992, class: 'balanced', bring: 0, take: 0 },
      { station_id: 'd', lat: 37.55, lon: 127.0, class: null, bring: 0, take: 0 },
      { station_id: 'e', lat: null, lon: null, class: 'shortage', bring: 1, take: 0 },
    ];
    const chart = classMapChart(stations, districts, ctx)!;
    const has = (re: RegExp) => assert.ok(re.test(chart.svg), `${re} in the SVG`);
    assert.equal(chart.name, 'target_classes_map');
    has(/4 stations placed \(1 without coordinates left off\), over 25 district boundaries/);
    has(/shortage: below min \(1\)/);
    has(/no status \(1\)/);
    has(/5 to bring, 3 to take/);
    assert.equal(chart.svg.match(/<circle[^>]*fill="#b2182b"/g)?.length, 2); // the dot and its legend swatch
    assert.equal(classMapChart([stations[4]!], districts, ctx), null);
    assert.deepEqual([...svgToPng(chart.svg, 1).subarray(1, 4)], [...Buffer.from('PNG')]);
  });
});
