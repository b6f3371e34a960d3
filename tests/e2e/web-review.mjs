// web-review.mjs URL SHOTS_DIR PDF: the review team's pages in Debian's
// headless Chromium (playwright-core), on the fixture of
// tests/cli/web-review-fixture.sh. As the owner (ann): the PRISMA page's
// counts; a title/abstract conflict resolved on the conflicts page; the
// PRISMA page again shows the new count; a duplicate pair decided; a PDF
// uploaded on the full-text page and shown in the page; a full-text
// decision; an appraisal saved by keyboard. An advisor (val) is refused the
// pages. A screenshot of every page, on a desktop and on a phone, goes to
// SHOTS_DIR. Prints TAP-style lines, and "resolved KEY" / "merged KEY KEY"
// for the shell test to check in the review.
import { launch, tap } from './harness.mjs';

const [url, shots, pdf] = process.argv.slice(2);
if (!url || !shots || !pdf) {
  console.error('usage: node web-review.mjs URL SHOTS_DIR FILE.pdf');
  process.exit(2);
}
const browser = await launch();
const { ok, end } = tap();
const errors = [];
const at = (p) => new URL(p, url).href;

async function login(ctx, name, password) {
  const page = await ctx.newPage();
  // The advisor's refusals (403) are expected; anything else is an error.
  page.on('console', (m) => {
    if (m.type() === 'error' && !(name === 'val' && /status of 403/.test(m.text()))) errors.push(`${name}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${name}: ${e}`));
  await page.goto(url);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.press('#password', 'Enter');
  // Advisors land on the advisory group's page, everyone else on the dashboard.
  await page.waitForURL(name === 'val' ? '**/advisor.html' : '**/dashboard.html');
  return page;
}

async function count(page, key) {
  return Number(await page.textContent(`#c-${key} td`));
}

try {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await login(ctx, 'ann', 'ann-password');
  await page.waitForSelector('#stages progress');
  for (const p of ['conflicts', 'dedup', 'fulltext', 'appraise', 'prisma'])
    ok(await page.locator(`nav a[href="/${p}.html"]`).isVisible(), `dashboard links to ${p}`);

  // PRISMA before: the counts and, as decisions are missing, the gaps.
  await page.goto(at('/prisma.html'));
  await page.waitForSelector('#c-excluded_screening td');
  const excludedBefore = await count(page, 'excluded_screening');
  ok(await page.locator('#gaps li').count() > 0, 'PRISMA: the records without a decision are listed instead of a diagram');
  ok(await page.locator('#gaps').textContent().then((t) => t.includes('a08')), 'PRISMA: a08 is among them');
  await page.waitForFunction(() => document.getElementById('report').src.endsWith('/api/review/report'));
  const rep = page.frameLocator('#report');
  ok(await rep.locator('h1').first().textContent({ timeout: 10000 }).then(() => true, () => false),
     'PRISMA: the report is shown in its sandboxed frame');
  await page.screenshot({ path: `${shots}/prisma.png`, fullPage: true });

  // Conflicts: resolve a08 as exclude, by keyboard from the decision field.
  await page.goto(at('/conflicts.html'));
  const card = page.locator('article.conflict[data-record="a08"]');
  await card.waitFor();
  const sides = await card.locator('.side h3').allTextContents();
  ok(sides.join(',') === 'Reviewer AB,Reviewer CD', 'conflicts: both reviewers side by side', sides.join(','));
  ok((await card.locator('.side .tag').allTextContents()).join(',') === 'exclude,include', 'conflicts: their decisions shown to the owner');
  await page.screenshot({ path: `${shots}/conflicts.png`, fullPage: true });
  await card.locator('select[name="decision"]').focus();
  await card.locator('select[name="decision"]').selectOption('exclude');
  await card.locator('select[name="reason"]').selectOption('Wrong population');
  await card.locator('input[name="note"]').fill('agreed in the browser');
  await card.locator('input[name="note"]').press('Enter');
  await page.waitForFunction(() => /a08 resolved: exclude/.test(document.getElementById('status').textContent));
  ok(true, 'conflicts: a08 resolved as exclude');
  ok(await page.locator('article.conflict[data-record="a08"]').count() === 0, 'conflicts: a08 is no longer open');
  console.log('resolved a08');

  // PRISMA after: one more record excluded at screening.
  await page.goto(at('/prisma.html'));
  await page.waitForSelector('#c-excluded_screening td');
  const excludedAfter = await count(page, 'excluded_screening');
  ok(excludedAfter === excludedBefore + 1, `PRISMA: records excluded ${excludedBefore} -> ${excludedAfter}`);
  ok(!(await page.locator('#gaps').textContent()).includes('a08'), 'PRISMA: a08 is no longer a gap');

  // Deduplication: the pair side by side, differences marked; merge it.
  await page.goto(at('/dedup.html'));
  const pair = page.locator('article.pair-card').first();
  await pair.waitFor();
  const diff = await pair.locator('tr.diff th').allTextContents();
  ok(diff.join(',') === 'year,journal,doi', 'dedup: the differing fields are marked', diff.join(','));
  await page.screenshot({ path: `${shots}/dedup.png`, fullPage: true });
  const key = await pair.getAttribute('data-pair');
  await pair.getByRole('button', { name: 'Same work: merge' }).click();
  await page.waitForFunction(() => /merged/.test(document.getElementById('status').textContent));
  ok(await page.locator(`article.pair-card[data-pair="${key}"]`).count() === 0, `dedup: ${key} merged and gone from the queue`);
  console.log(`merged ${key.replace('-', ' ')}`);

  // Full text: a05 has no PDF: upload one, see it in the page, decide.
  await page.goto(at('/fulltext.html'));
  await page.waitForSelector('#records button');
  await page.locator('#records button', { hasText: 'a05' }).click();
  await page.setInputFiles('#pdf-file', pdf);
  await page.click('#upload button[type="submit"]');
  await page.waitForFunction(() => /Attached/.test(document.getElementById('status').textContent));
  ok(await page.textContent('#ft-state') === 'attached', 'full text: the PDF is attached');
  const src = await page.getAttribute('#pdf', 'src');
  const got = await page.evaluate(async (s) => {
    const r = await fetch(s);
    return { type: r.headers.get('content-type'), len: (await r.arrayBuffer()).byteLength };
  }, src);
  ok(got.type === 'application/pdf', 'full text: the frame is served the PDF', JSON.stringify(got));
  await page.click('#b-text');
  await page.waitForSelector('#text-box .fulltext');
  ok((await page.textContent('#text-box .fulltext')).includes('Full text of W05'), 'full text: the extracted text is shown');
  // By keyboard (the PDF viewer's frame may take the mouse in headless mode).
  await page.focus('input[name="ft-decision"][value="include"]');
  await page.keyboard.press('Space');
  await page.focus('#ft-decide button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /a05: include saved/.test(document.getElementById('status').textContent));
  ok(true, 'full text: decision saved');
  await page.screenshot({ path: `${shots}/fulltext.png`, fullPage: true });

  // Appraisal: open a study, answer CASP question 1 by keyboard, save.
  await page.goto(at('/appraise.html'));
  await page.waitForSelector('#studies button');
  await page.locator('#studies button').first().click();
  await page.waitForSelector('#appraise fieldset[data-q="casp1"]');
  const labelled = await page.evaluate(() => [...document.querySelectorAll('#detail input:not([type=radio]):not([type=checkbox]), #detail select, #detail textarea')]
    .every((e) => e.labels && e.labels.length > 0));
  ok(labelled, 'appraisal: every field has a label');
  await page.focus('fieldset[data-q="casp1"] input[value="yes"]');
  await page.keyboard.press('Space');
  await page.fill('#q-casp1-c', 'aims stated in the browser');
  await page.selectOption('#f-design', 'qualitative');
  await page.click('#extract button[type="submit"]');
  await page.waitForFunction(() => /Form of .* saved/.test(document.getElementById('status').textContent));
  ok(true, 'appraisal: extraction form saved');
  await page.click('#appraise button[type="submit"]');
  await page.waitForFunction(() => /1 rating of .* saved as AB/.test(document.getElementById('status').textContent));
  ok(true, 'appraisal: the rating saved as AB');
  // Reach the save button by keyboard: its focus ring must show.
  await page.focus('#appraise button[type="submit"]');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const focusVisible = await page.evaluate(() => {
    const b = document.activeElement;
    return b.matches('#appraise button[type="submit"]') && b.matches(':focus-visible') &&
      getComputedStyle(b).outlineStyle !== 'none';
  });
  ok(focusVisible, 'appraisal: focus is visible');
  await page.screenshot({ path: `${shots}/appraise.png`, fullPage: true });
  await page.click('#b-compare');
  await page.waitForFunction(() => /raters compared/.test(document.getElementById('h-detail').textContent));
  ok(true, 'appraisal: the owner compares raters');

  // A phone: every page fits its width.
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
  const pp = await login(phone, 'ann', 'ann-password');
  for (const p of ['conflicts', 'dedup', 'fulltext', 'appraise', 'prisma']) {
    await pp.goto(at(`/${p}.html`));
    await pp.waitForFunction(() => !/Loading/.test(document.getElementById('main').textContent), null, { timeout: 10000 }).catch(() => {});
    const wide = await pp.evaluate(() => document.documentElement.scrollWidth);
    ok(wide <= 380, `phone: ${p} fits 375 px`, `scrollWidth ${wide}`);
    await pp.screenshot({ path: `${shots}/${p}-phone.png`, fullPage: true });
  }

  // An advisor: the pages refuse (the server says 403).
  const adv = await browser.newContext();
  const ap = await login(adv, 'val', 'val-password');
  await ap.waitForSelector('#themes');   // the advisory group's page has loaded
  ok(!(await ap.locator('nav a[href="/conflicts.html"]').isVisible()), 'advisor: no link to the team pages');
  const status = await ap.evaluate(async () => (await fetch('/api/review/conflicts?stage=ta')).status);
  ok(status === 403, 'advisor: the conflicts API answers 403', status);
  await ap.goto(at('/conflicts.html'));
  await ap.waitForSelector('h1:text("This page is for the review team")');
  ok(true, 'advisor: the conflicts page says it is for the review team');
  await ap.screenshot({ path: `${shots}/advisor.png`, fullPage: true });

  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
} catch (e) {
  ok(false, 'the browser run', String(e));
} finally {
  await browser.close();
}
end();
