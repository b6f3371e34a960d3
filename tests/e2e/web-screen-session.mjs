// web-screen-session.mjs URL: the screener on a phone (375 px) as in the
// terminal: the decision bar stays on screen over a long abstract, n keeps
// a note that is saved with the decision, s skips, b goes back and a new
// decision changes the old one, the session's records are listed beside
// the record, and the stopping line is read again after every decision.
// Prints TAP-style lines.
import { launch, tap, loggedIn } from './harness.mjs';

const [url] = process.argv.slice(2);
const browser = await launch();
const { ok, end } = tap();
const errors = [];
const status = (page) => page.textContent('#status');
const waitStatus = (page, re) => page.waitForFunction((s) => new RegExp(s).test(document.getElementById('status').textContent), re.source, { timeout: 10000 });
try {
  const page = await loggedIn(browser, url, 'ann', 'ann-password', errors, { viewport: { width: 375, height: 667 } });
  await page.goto(new URL('/screen.html', url).href);
  await page.waitForFunction(() => !/Loading/.test(document.getElementById('rec-title').textContent));
  const box = await page.locator('#b-include').boundingBox();
  const absBottom = await page.evaluate(() => document.getElementById('rec-abstract').getBoundingClientRect().bottom);
  ok(absBottom > 667 && box && box.y + box.height <= 667,
    'phone: the decision bar is on screen while the long abstract runs below it', `abstract ends ${absBottom}, bar ${JSON.stringify(box)}`);
  const first = await page.textContent('#rec-title');
  await page.keyboard.press('n');
  await page.fill('#note', 'check the sample size');
  await page.click('#note-form button[type="submit"]');
  ok(/Note kept/.test(await status(page)), 'n: the note is confirmed', await status(page));
  ok(/check the sample size/.test(await page.textContent('#note-shown')), 'the note is shown with the record');
  await page.keyboard.press('i');
  await waitStatus(page, /: include \(note saved\)\.$/);
  ok(true, 'the decision says the note was saved');
  // The counts are read again at once; the stopping line stays silent
  // (no random sample, no long run without an include), as in the terminal.
  await page.waitForFunction(() => /^1 decided/.test(document.getElementById('progress-text').textContent), null, { timeout: 10000 })
    .then(() => ok(true, 'the counts follow the first decision at once'),
      async () => ok(false, 'the counts follow the first decision at once', await page.textContent('#progress-text')));
  ok(await page.textContent('#stopping') === '', 'no stopping sentence after one decision', await page.textContent('#stopping'));
  ok(await page.locator('#history li').count() === 1, 'the session list beside the record has it');
  const second = await page.textContent('#rec-title');
  await page.keyboard.press('s');
  await waitStatus(page, /skipped/);
  const third = await page.textContent('#rec-title');
  ok(third !== second && third !== first, 's skips to another record', `${second} -> ${third}`);
  await page.keyboard.press('i');
  await waitStatus(page, /: include\.$/);
  await page.waitForFunction(() => /^2 decided/.test(document.getElementById('progress-text').textContent), null, { timeout: 10000 })
    .then(() => ok(true, 'the counts follow every decision'),
      async () => ok(false, 'the counts follow every decision', await page.textContent('#progress-text')));
  await page.keyboard.press('b');
  await page.keyboard.press('b');
  ok(await page.textContent('#rec-title') === first, 'b, b: back to the first record', await page.textContent('#rec-title'));
  ok(/Your decision: include/.test(await page.textContent('#why')), 'with the decision made', await page.textContent('#why'));
  await page.keyboard.press('u');
  await waitStatus(page, /: unsure\.$/);
  ok((await page.textContent('#history')).includes('unsure'), 'deciding again changes it in the list');
  ok(await page.locator('#history li').count() === 2, 'still two records in the session');
  await page.locator('#history button').last().click();
  ok(await page.textContent('#rec-title') === first, 'a record chosen in the list is shown again');
  ok(errors.length === 0, 'no errors in the console', errors.join(' | '));
} catch (e) {
  ok(false, 'the browser run', String(e));
} finally {
  await browser.close();
}
end();
