// The first page's weight and stability: at most 60 KB transferred
// (compressed) for the landing page with everything it loads, and no
// layout shift when its data arrives (issue 10, item 4). Its holidays and
// closures come with the calendar's JSON (?upcoming=1), not from the .ics
// feed (7.7 KB, two years of events, for calendar programs).
import { test, expect, ready } from './harness.mjs';

test('the landing page transfers at most 60 KB and does not shift', async ({ page }, testInfo) => {
  const sizes = [];
  page.on('requestfinished', async (req) => {
    const s = await req.sizes();
    sizes.push({ url: req.url(), bytes: s.responseBodySize + s.responseHeadersSize });
  });
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  await ready(page, '¿En qué podemos ayudarle?');
  await expect(page.getByText(/Abierto ahora|Cerrado ahora/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Partner Oro' })).toBeVisible();
  expect(sizes.map((s) => s.url).filter((u) => u.includes('.ics')), 'the landing page fetches no .ics feed').toEqual([]);
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  const cls = await page.evaluate(() => window.__cls);
  testInfo.annotations.push({ type: 'first load', description: `${sizes.length} requests, ${(total / 1024).toFixed(1)} KB, CLS ${cls.toFixed(3)}` });
  console.log(`first load (${testInfo.project.name}): ${sizes.length} requests, ${(total / 1024).toFixed(1)} KB transferred, CLS ${cls.toFixed(3)}`);
  // From --web-dir nothing is compressed: only the embedded files count.
  if (!process.env.AY_E2E_WEB_DIR) expect(total, sizes.map((s) => `${s.bytes} ${s.url}`).join('\n')).toBeLessThanOrEqual(60 * 1024);
  expect(cls).toBeLessThan(0.1);
});
