// The printable driver sheet in a real browser: Debian's chromium driven by playwright-core (which
// never downloads a browser here). Checks the rows and counts as rendered, that the Korean names
// are drawn with a Korean font, and that printing gives one PDF page per truck.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { handMadePlan } from '../src/rebalancing/planning/write/fixture-plan.ts';
import { writePlanOutputs } from '../src/rebalancing/planning/write/index.ts';
import { tempDir } from './helpers/store.ts';

test('driver sheets in chromium: rows and counts as rendered, Korean font, one printed page per truck', async () => {
  const t = tempDir();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const plan = handMadePlan();
    writePlanOutputs(plan, t.dir);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(t.dir, 'sheets.html')).href);
    await page.evaluate(() => document.fonts.ready);
    const sheets = await page.$$eval('section.sheet', (els) => els.map((el) => ({
      truck: el.getAttribute('data-truck'),
      rows: Array.from(el.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td as HTMLElement).innerText.trim())),
      visible: (el as HTMLElement).offsetHeight > 0,
    })));
    assert.deepEqual(sheets.map((s) => s.truck), plan.routes.map((r) => r.truck));
    plan.routes.forEach((r, k) => {
      const rows = sheets[k]!.rows;
      assert.equal(rows.length, r.stops.length, r.truck);
      r.stops.forEach((s, i) => {
        const [seq, number, name, task, bikes, , load] = rows[i]!;
        assert.equal(seq, String(i + 1));
        assert.equal(number, s.number ?? '');
        assert.equal(name, s.name ?? s.station_id);
        assert.match(task!, s.collect ? /회수/ : /배치/);
        assert.equal(bikes, String(s.collect ?? s.drop));
        assert.equal(load, String(s.load_after));
      });
      assert.ok(sheets[k]!.visible);
    });
    // Korean glyphs come from a Korean font (fonts-nanum, installed by .ci/run), not a fallback box.
    assert.ok(await page.evaluate(() => document.fonts.check('12px NanumGothic', '서교동')), 'NanumGothic available to the page');
    // What chromium actually drew the first station name with (DevTools protocol: platform fonts).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'tbody td:nth-child(3)' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    assert.ok(fonts.length > 0 && fonts.every((f) => /Nanum|CJK/.test(f.familyName)), `fonts used: ${JSON.stringify(fonts)}`);

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    assert.equal(pages, plan.routes.length, `PDF pages ${pages} for ${plan.routes.length} trucks`);
  } finally {
    await browser.close();
    t.dispose();
  }
});
