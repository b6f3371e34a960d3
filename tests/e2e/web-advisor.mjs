// web-advisor.mjs URL NAME PASSWORD OUT.png: an advisor on a phone-sized
// screen logs in, lands on the advisory group's page, sees the shared quote
// and never the held-back one, sends a general comment, and the page says
// it was sent. Saves a screenshot. Prints TAP-style lines.
import { launch, loggedIn, tap } from './harness.mjs';

const [url, name, password, pngPath] = process.argv.slice(2);
if (!url || !name || !password || !pngPath) {
  console.error('usage: node web-advisor.mjs URL NAME PASSWORD OUT.png');
  process.exit(2);
}
const browser = await launch();
const { ok, end } = tap();
const errors = [];
try {
  const page = await loggedIn(browser, url, name, password, errors, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true }, '**/advisor.html');
  ok(true, 'an advisor lands on the advisory group page');
  await page.waitForSelector('#themes article');
  const text = await page.textContent('main');
  ok(text.includes('I cleaned for two days and still felt I had failed'), 'the shared quote is shown');
  ok(!text.includes('fridge'), 'the held-back quote is not', text);
  ok(!text.includes('Stretched services'), 'the unshared theme is not');
  ok(await page.locator('#nav-screen').count() === 0, 'no screening link for an advisor');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  ok(width <= 375, 'no sideways scrolling on a phone', `scrollWidth ${width}`);
  // Every text box has a label (screen readers).
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('textarea')]
    .filter((t) => !document.querySelector(`label[for="${t.id}"]`)).length);
  ok(unlabelled === 0, 'every comment box is labelled', `${unlabelled} without a label`);
  await page.fill('#general-text', 'Said in the browser.');
  await page.click('#general-form button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('sent'));
  await page.waitForFunction(() => document.getElementById('mine').textContent.includes('Said in the browser.'));
  ok(true, 'the comment was sent and is listed with its status');
  await page.screenshot({ path: pngPath, fullPage: true });
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
} catch (e) {
  ok(false, 'the advisor page works', String(e));
} finally {
  await browser.close();
}
end();
