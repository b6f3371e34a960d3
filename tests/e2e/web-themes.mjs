// web-themes.mjs URL NAME PASSWORD SHOTS_DIR: on the themes board, creates
// a descriptive theme "Not asked" with the form, ticks the code
// Parents/Unheard, adds it to the new theme, and checks the card; then
// opens the synthesis tables. Screenshots of both pages in SHOTS_DIR.
import { launch, loggedIn, tap } from './harness.mjs';

const [url, name, password, shots] = process.argv.slice(2);
if (!url || !name || !password || !shots) {
  console.error('usage: node web-themes.mjs URL NAME PASSWORD SHOTS_DIR');
  process.exit(2);
}
const browser = await launch();
const { ok, end } = tap();
const errors = [];
try {
  const page = await loggedIn(browser, url, name, password, errors);
  await page.goto(new URL('/themes.html', url).href);
  await page.waitForSelector('#analytical article');
  ok(await page.locator('#analytical article h3', { hasText: 'A downward spiral' }).count() === 1, 'the analytical theme is on the board');
  ok(await page.locator('#analytical article h4', { hasText: 'Feeling judged' }).count() === 1, 'with its subtheme inside');
  await page.fill('#new-name', 'Not asked');
  await page.selectOption('#new-level', 'descriptive');
  await page.click('#new-form button[type="submit"]');
  await page.waitForFunction(() => [...document.querySelectorAll('#codes-target option')].some((o) => o.value === 'Not asked'));
  await page.check('#codes input[value="Parents/Unheard"]');
  await page.selectOption('#codes-target', 'Not asked');
  await page.click('#codes-form button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('added to Not asked'));
  const card = page.locator('#descriptive li', { hasText: 'Not asked' }).locator('article');
  ok((await card.textContent()).includes('Code: Parents/Unheard'), 'the new theme card lists the code');
  // Drag and drop: the code Practitioners/No time onto the new theme, and
  // the new theme onto the analytical theme.
  // The page's own drag and drop events, with one DataTransfer carried
  // from the dragged item to the card (as the browser does on a drag).
  const drag = async (from, to) => {
    const dt = await page.evaluateHandle(() => new DataTransfer());
    await page.locator(from).first().dispatchEvent('dragstart', { dataTransfer: dt });
    await page.locator(to).first().dispatchEvent('dragover', { dataTransfer: dt });
    await page.locator(to).first().dispatchEvent('drop', { dataTransfer: dt });
  };
  await drag('#codes li[data-drag="code"]:has(input[value="Practitioners/No time"])',
    '#descriptive li:has(input[value="Not asked"]) article');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('No time added to Not asked'), null, { timeout: 10000 })
    .then(() => ok(true, 'drag and drop: a code dropped on a theme joins it'),
      async () => ok(false, 'drag and drop: a code dropped on a theme joins it', await page.textContent('#status')));
  await drag('#descriptive li[data-drag="desc"]:has(input[value="Not asked"])',
    '#analytical > article:has(h3:text("A downward spiral"))');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('Not asked grouped under A downward spiral'), null, { timeout: 10000 })
    .then(() => ok(true, 'drag and drop: a theme dropped on an analytical theme is grouped under it'),
      async () => ok(false, 'drag and drop: a theme dropped on an analytical theme is grouped under it', await page.textContent('#status')));
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select')]
    .filter((e) => !document.querySelector(`label[for="${e.id}"]`)).length);
  ok(unlabelled === 0, 'every control is labelled', `${unlabelled} without a label`);
  await page.screenshot({ path: `${shots}/themes.png`, fullPage: true });
  await page.goto(new URL('/synthesis.html', url).href);
  await page.waitForSelector('#t-themes table');
  ok((await page.textContent('#t-themes')).includes('inspection of my kitchen'), 'the themes table shows the illustrative quote');
  ok(await page.locator('#t-matrix table').count() === 1, 'the matrix is a table');
  await page.screenshot({ path: `${shots}/synthesis.png`, fullPage: true });
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
} catch (e) {
  ok(false, 'the themes board works', String(e));
} finally {
  await browser.close();
}
end();
