// web-screen.mjs URL NAME PASSWORD SHOTS_DIR: logs in to qes serve in
// Debian's headless Chromium, opens the screener, screens one record by
// keyboard (i), excludes the next one (e, Enter), undoes that (z) and marks
// it unsure (u); checks the keyword highlights, the "why here" line, the key
// help and the stopping sentence; changes the password on the account page.
// Saves screenshots of the dashboard, the screener and the account page in
// SHOTS_DIR. Prints TAP-style lines and, last, "decided ID1 ID2".
import { launch, tap, watchedPage } from './harness.mjs';

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [url, name, password, shots, newPassword] = process.argv.slice(2);
if (!url || !name || !password || !shots) {
  console.error('usage: node web-screen.mjs URL NAME PASSWORD SHOTS_DIR [NEW_PASSWORD]');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const browser = await launch();
const { ok, end } = tap();
const errors = [];
try {
  const page = await watchedPage(browser, errors, { viewport: { width: 1000, height: 800 } });
  await page.goto(url);
  // Keyboard only: the name field has focus, Tab to the password, Enter.
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/dashboard.html');
  await page.waitForSelector('#stages progress');
  ok(await page.locator('label[for="p-ta"]').count() === 1, 'dashboard: a labelled progress bar per stage');
  await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
  await page.goto(new URL('/screen.html', url).href);
  await page.waitForFunction(() => document.getElementById('rec-title').textContent !== 'Loading…');
  const first = await page.textContent('#rec-title');
  ok(await page.evaluate(() => document.activeElement.id) === 'record', 'focus is on the record');
  ok(await page.isVisible('#keys-help') && /undo/.test(await page.textContent('#keys-help')),
    'the key help is shown');
  ok(/^Why here: /.test(await page.textContent('#why')), 'the "why here" line', await page.textContent('#why'));
  // The keywords t91 set: include histamine* patients urticaria, exclude
  // rat skin. Count whole-word matches in the text independently.
  const text = await page.$eval('#rec-title', (e) => e.textContent) + ' ' +
    await page.$eval('#rec-abstract', (e) => e.textContent);
  const count = (re) => (text.match(re) || []).length;
  const wantIn = count(/(?<![\p{L}\p{N}])(histamine[\p{L}\p{N}]*|patients|urticaria)(?![\p{L}\p{N}])/giu);
  const wantEx = count(/(?<![\p{L}\p{N}])(rat|skin)(?![\p{L}\p{N}])/giu);
  const gotIn = await page.locator('#rec-title mark.kw-in, #rec-abstract mark.kw-in').count();
  const gotEx = await page.locator('#rec-title mark.kw-ex, #rec-abstract mark.kw-ex').count();
  ok(wantIn + wantEx > 0 && gotIn === wantIn && gotEx === wantEx,
    'include and exclude keywords highlighted as whole words', `in ${gotIn}/${wantIn} ex ${gotEx}/${wantEx}`);
  ok(await page.locator('#record mark', { hasText: /^rat$/i }).count() === count(/(?<![\p{L}\p{N}])rat(?![\p{L}\p{N}])/giu),
    'no keyword marked inside another word (rat in temperature)');
  // No stopping sentence before it has something true to say (no random
  // sample, no long run without an include), as in the terminal screener.
  await page.waitForFunction(() => /decided/.test(document.getElementById('progress-text').textContent),
    null, { timeout: 10000 }).catch(() => {});
  ok(await page.textContent('#stopping') === '', 'no stopping sentence at the start',
    await page.textContent('#stopping'));
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
  await page.screenshot({ path: join(shots, 'screener.png'), fullPage: true });
  const status2 = await page.textContent('#status');
  const m1 = status1.match(/Record (\d+)/);
  const m2 = status2.match(/Record (\d+)/);
  // z: the exclusion goes back and its record returns to the screen.
  await page.keyboard.press('z');
  await page.waitForFunction(() => /undone/.test(document.getElementById('status').textContent));
  ok((await page.textContent('#status')).startsWith(`Record ${m2 && m2[1]}:`), 'z undoes the last decision');
  ok(/1 decided/.test(await page.textContent('#progress-text')), 'progress after undo',
    await page.textContent('#progress-text'));
  await page.keyboard.press('u');
  await page.waitForFunction(() => /: unsure\.$/.test(document.getElementById('status').textContent));
  ok((await page.textContent('#status')).startsWith(`Record ${m2 && m2[1]}:`), 'u marks the undone record unsure');
  await page.keyboard.press('?');
  ok(!(await page.isVisible('#keys-help')), '? hides the key help');
  await page.keyboard.press('?');
  ok(await page.isVisible('#keys-help'), '? shows it again');
  // The order selector: the stopping test's random sample, decided by key.
  await page.selectOption('#order', 'random');
  await page.waitForFunction(() => /^Random sample/.test(document.getElementById('status').textContent));
  ok(/drawn at random/.test(await page.textContent('#why')), 'random sample: why here says so',
    await page.textContent('#why'));
  await page.keyboard.press('i');
  await page.waitForFunction(() => /: include\.$/.test(document.getElementById('status').textContent));
  ok(true, 'a record of the random sample included by key');
  // A sample of one rules nothing out: the line stays silent, as in the
  // terminal (qes_rank_stop_worth_saying); t88 checks when it speaks.
  await page.waitForTimeout(500);
  ok(await page.textContent('#stopping') === '', 'a random sample of one says nothing yet',
    await page.textContent('#stopping'));
  // The account page: the user's own password.
  await page.goto(new URL('/account.html', url).href);
  await page.waitForFunction(() => document.getElementById('who').textContent !== '');
  await page.screenshot({ path: join(shots, 'account.png'), fullPage: true });
  if (newPassword) {
    await page.fill('#pw-current', password);
    await page.fill('#pw-new', newPassword);
    await page.fill('#pw-again', newPassword);
    await page.click('#pw-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('status').textContent !== '' ||
      !document.getElementById('error').hidden);
    ok(/Password changed/.test(await page.textContent('#status')), 'password changed on the account page',
      await page.textContent('#error'));
  }
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
  console.log(`decided ${m1 && m1[1]} ${m2 && m2[1]}`);
} catch (e) {
  ok(false, 'the browser run', String(e));
} finally {
  await browser.close();
}
end();
