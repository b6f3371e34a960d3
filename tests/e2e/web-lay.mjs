// web-lay.mjs URL OWNER OWNERPASS ADVISOR ADVISORPASS: the owner answers a
// self-appraisal item, drafts the lay summary with readability measured as
// they type, and shares the latest version; the advisor reads exactly that
// version and comments on it. Prints TAP-style lines.
import { launch, loggedIn, tap } from './harness.mjs';

const [url, owner, opass, advisor, apass] = process.argv.slice(2);
if (!url || !owner || !opass || !advisor || !apass) {
  console.error('usage: node web-lay.mjs URL OWNER OWNERPASS ADVISOR ADVISORPASS');
  process.exit(2);
}
const browser = await launch();
const { ok, end } = tap();
const errors = [];
try {
  const page = await loggedIn(browser, url, owner, opass, errors);
  await page.goto(`${url}selfcheck.html`);
  await page.waitForSelector('#items tbody tr');
  ok(await page.locator('#items tbody tr').count() === 11, 'the self-appraisal page lists the 11 JBI items');
  const row = page.locator('#items tbody tr[data-item="jbi8"]');
  await row.locator('select').selectOption('na');
  await row.locator('input').fill('Set in the browser.');
  await row.locator('button').click();
  await page.waitForFunction(() => document.getElementById('counts').textContent.includes('2 confirmed'));
  ok(true, 'an answer saved in the browser counts as confirmed');

  await page.goto(`${url}lay.html`);
  await page.waitForSelector('#versions li');
  await page.fill('#text', '# Browser draft\n\nThe intervention helped. Parents liked it.');
  await page.waitForFunction(() => document.getElementById('readability').textContent.includes('intervention'));
  ok(true, 'readability (with jargon) is measured as the team types');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('state').textContent.startsWith('Version 6'));
  await page.click('#share');
  await page.waitForFunction(() => document.getElementById('state').textContent.includes('version 6 is shared'));
  ok(true, 'the draft was saved as version 6 and shared');

  const adv = await loggedIn(browser, url, advisor, apass, errors, undefined, '**/advisor.html');
  await adv.goto(`${url}lay-advisor.html`);
  await adv.waitForSelector('#summary h1');
  const text = await adv.textContent('#summary');
  ok(text.includes('Browser draft') && !text.includes('New draft'), 'the advisor sees the shared version only', text);
  await adv.fill('#comment', 'Plainer than before, thank you.');
  await adv.click('#send');
  await adv.waitForFunction(() => document.getElementById('mine').textContent.includes('Plainer than before'));
  ok(true, 'the advisor comments and sees the comment listed');
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
} catch (e) {
  ok(false, 'the self-appraisal and lay summary pages work', String(e));
} finally {
  await browser.close();
}
end();
