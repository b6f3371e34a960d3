// web-lists.mjs URL GAP_KEY: long lists page and search, on the demo review
// (101 included studies, the update search's undecided records): the
// appraisal list shows 25 studies a page with Next and a search, and the
// PRISMA page's undecided records can be searched. Prints TAP-style lines.
import { launch, tap, loggedIn } from './harness.mjs';

const [url, gapKey] = process.argv.slice(2);
const browser = await launch();
const { ok, end } = tap();
const errors = [];
try {
  const page = await loggedIn(browser, url, 'ann', 'demo-owner-pass', errors, { viewport: { width: 1400, height: 900 } });
  await page.goto(new URL('/appraise.html', url).href);
  await page.waitForSelector('#studies button');
  const n = await page.locator('#studies li').count();
  const count = () => page.locator('.pager .meta').first().textContent();
  ok(n === 25, 'appraisal: 25 studies a page', `${n}`);
  ok(/^1–25 of \d+/.test(await count()), 'appraisal: the pager says which', await count());
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  ok(h < 6000, 'appraisal: the page is not thousands of pixels tall', `${h}px`);
  await page.locator('.pager button', { hasText: 'Next' }).first().click();
  ok(/^26–50 of/.test(await count()), 'appraisal: Next shows the next page', await count());
  const label = (await page.locator('#studies button').first().textContent()).split(/\s/)[0];
  await page.fill('#studies-search', label);
  const shown = await page.locator('#studies li').count();
  const all = await page.locator('#studies button').allTextContents();
  ok(shown >= 1 && all.every((t) => t.toLowerCase().includes(label.toLowerCase())), `appraisal: searching "${label}" finds only matches`, `${shown}: ${all.join(' | ').slice(0, 300)}`);
  await page.goto(new URL('/prisma.html', url).href);
  await page.waitForSelector('#gaps li');
  await page.fill('#gaps-search', gapKey);
  const gaps = await page.locator('#gaps li').allTextContents();
  ok(gaps.length === 1 && gaps[0].startsWith(`${gapKey}:`), 'PRISMA: an undecided record found by its key', gaps.join(' | '));
  ok(errors.filter((e) => !/^Failed to load resource/.test(e)).length === 0, 'no errors in the console', errors.join(' | '));
} catch (e) {
  ok(false, 'the browser run', String(e));
} finally {
  await browser.close();
}
end();
