// harness.mjs: what every browser test here shares: Debian's Chromium
// launched headless as the project requires (never a downloaded browser),
// and TAP-style checks that the CLI tests turn into their own (node_tap in
// tests/cli/lib.sh).
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// ok(cond, what, detail) prints "ok N - what" or "not ok N - what" (and the
// detail, cut to 500 characters); failures() counts the not oks. end()
// prints the TAP plan "1..N" and exits (1 when a check failed): node_tap in
// tests/cli/lib.sh counts a run without the plan (it died half-way), or one
// whose plan differs from the checks printed, as a failure.
export function tap() {
  let n = 0;
  let failed = 0;
  const ok = (cond, what, detail) => {
    n++;
    if (cond) console.log(`ok ${n} - ${what}`);
    else {
      failed++;
      console.log(`not ok ${n} - ${what}`);
      if (detail !== undefined && detail !== null && detail !== '') console.log(`#   ${String(detail).slice(0, 500)}`);
    }
  };
  const end = () => {
    console.log(`1..${n}`);
    process.exit(failed ? 1 : 0);
  };
  return { ok, failures: () => failed, end };
}

// A new page (pageOptions as for browser.newPage) whose console errors and
// uncaught exceptions go into errors.
export async function watchedPage(browser, errors, pageOptions) {
  const page = await browser.newPage(pageOptions);
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

// A watchedPage logged in through the login form as name; resolves once
// the page the login lands on (landing) is there.
export async function loggedIn(browser, url, name, password, errors,
                               pageOptions = { viewport: { width: 1200, height: 900 } },
                               landing = '**/dashboard.html') {
  const page = await watchedPage(browser, errors, pageOptions);
  await page.goto(url);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.keyboard.press('Enter');
  await page.waitForURL(landing);
  return page;
}
