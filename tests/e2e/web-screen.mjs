// web-screen.mjs URL NAME PASSWORD OUT.png: logs in to qes serve in Debian's
// headless Chromium, opens the screener, screens one record by keyboard
// (i), excludes the next one by keyboard (e, Enter), and saves a
// screenshot. Prints TAP-style lines and, last, "decided ID1 ID2".
import { chromium } from 'playwright-core';

const [url, name, password, pngPath] = process.argv.slice(2);
if (!url || !name || !password || !pngPath) {
  console.error('usage: node web-screen.mjs URL NAME PASSWORD OUT.png');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = 0;
let n = 0;
const ok = (cond, what, detail) => {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else { failed++; console.log(`not ok ${n} - ${what}`); if (detail) console.log(`#   ${detail}`); }
};
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  // Keyboard only: the name field has focus, Tab to the password, Enter.
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/dashboard.html');
  await page.waitForSelector('#stages progress');
  ok(await page.locator('label[for="p-ta"]').count() === 1, 'dashboard: a labelled progress bar per stage');
  await page.goto(new URL('/screen.html', url).href);
  await page.waitForFunction(() => document.getElementById('rec-title').textContent !== 'Loading…');
  const first = await page.textContent('#rec-title');
  ok(await page.evaluate(() => document.activeElement.id) === 'record', 'focus is on the record');
  await page.keyboard.press('i');
  await page.waitForFunction((t) => document.getElementById('rec-title').textContent !== t, first);
  const status1 = await page.textContent('#status');
  ok(/: include\.$/.test(status1), 'i includes and the next record comes at once', status1);
  await page.keyboard.press('e');
  ok(await page.isVisible('#reason'), 'e asks for a reason');
  ok(await page.evaluate(() => document.activeElement.id) === 'reason', 'focus moves to the reason');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /: exclude\.$/.test(document.getElementById('status').textContent));
  ok(true, 'Enter excludes');
  // The progress line comes with the next record, a moment after the status line.
  const counted = await page.waitForFunction(
    () => document.getElementById('progress-text').textContent.startsWith('2 decided'),
    null, { timeout: 10000 }).then(() => true, () => false);
  ok(counted, 'progress counts both', await page.textContent('#progress-text'));
  await page.screenshot({ path: pngPath, fullPage: true });
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
  const m1 = status1.match(/Record (\d+)/);
  const m2 = (await page.textContent('#status')).match(/Record (\d+)/);
  console.log(`decided ${m1 && m1[1]} ${m2 && m2[1]}`);
} catch (e) {
  ok(false, 'the browser run', String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
