// web-queries.mjs URL NAME PASSWORD SHOTS_DIR: on the queries page, searches
// the sources (the hit is marked), reads the co-occurrence and matrix
// tables, writes a framework cell summary through the prompt, and checks
// that every control is labelled and the console stays clean. A screenshot
// goes to SHOTS_DIR.
import { launch, loggedIn, tap } from './harness.mjs';

const [url, name, password, shots] = process.argv.slice(2);
if (!url || !name || !password || !shots) {
  console.error('usage: node web-queries.mjs URL NAME PASSWORD SHOTS_DIR');
  process.exit(2);
}
const browser = await launch();
const { ok, end } = tap();
const errors = [];
try {
  const page = await loggedIn(browser, url, name, password, errors);
  await page.goto(new URL('/queries.html', url).href);
  await page.waitForSelector('#matrix table');
  ok((await page.textContent('#cooccur')).includes('Parent/Concealment'), 'the co-occurrence table lists the overlapping codes');
  ok((await page.textContent('#matrix')).includes('Hiding to stay together'), 'the matrix lists the theme');
  await page.fill('#q', 'BRUISE');
  await page.click('#f-search button[type="submit"]');
  await page.waitForSelector('#search mark');
  ok((await page.textContent('#search mark')) === 'bruise', 'the search marks the hit in its context');
  await page.selectOption('#by', 'case');
  await page.click('#f-framework button[type="submit"]');
  await page.waitForSelector('#framework button[aria-label="Summarise Reassurance for W1"]');
  page.once('dialog', (d) => d.accept('Keeping families together, in the worker\'s words'));
  await page.click('#framework button[aria-label="Summarise Reassurance for W1"]');
  await page.waitForFunction(() => document.getElementById('framework').textContent.includes('in the worker'));
  ok(true, 'a cell summary written through the page shows in the framework');
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select')]
    .filter((e) => !document.querySelector(`label[for="${e.id}"]`)).length);
  ok(unlabelled === 0, 'every control is labelled', `${unlabelled} without a label`);
  await page.screenshot({ path: `${shots}/queries.png`, fullPage: true });
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
} catch (e) {
  ok(false, 'the queries page works', String(e));
} finally {
  await browser.close();
}
end();
