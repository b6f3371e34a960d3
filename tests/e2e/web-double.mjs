// web-double.mjs URL SHOTS_DIR: two reviewers double-screen the same small
// review at the same time, each in their own browser context (own cookies,
// own session): ann (AB) includes every record, bob (CD) excludes every one
// with a reason. Blinding: while bob screens, nothing on his page or in what
// the server sends him says what ann decided. Then ann (the owner) sees the
// conflicts side by side and resolves one. Prints TAP-style lines and, last,
// "conflicts N".
import { launch, tap } from './harness.mjs';

const [url, shots] = process.argv.slice(2);
if (!url || !shots) {
  console.error('usage: node web-double.mjs URL SHOTS_DIR');
  process.exit(2);
}
const browser = await launch();
const { ok, end } = tap();
const errors = [];
const at = (p) => new URL(p, url).href;

async function login(name, password) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${name}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${name}: ${e}`));
  // Everything the server sends this reviewer, to check the blinding on
  // the wire as well as on the page.
  const bodies = [];
  page.on('response', async (r) => {
    if (r.url().includes('/api/')) bodies.push(await r.text().catch(() => ''));
  });
  await page.goto(url);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.press('#password', 'Enter');
  await page.waitForURL('**/dashboard.html');
  await page.goto(at('/screen.html'));
  await page.waitForFunction(() => document.getElementById('rec-title').textContent !== 'Loading…');
  return { ctx, page, bodies };
}

// Decides every record left with key (and Enter for a reason); returns the
// titles seen.
async function screenAll(page, key) {
  const seen = [];
  for (let i = 0; i < 20; i++) {
    const title = await page.textContent('#rec-title');
    if (title === 'Nothing left to screen at this stage.') break;
    seen.push(title);
    await page.keyboard.press(key);
    if (key === 'e') await page.keyboard.press('Enter');
    await page.waitForFunction((t) => document.getElementById('rec-title').textContent !== t, title);
  }
  return seen;
}

try {
  const a = await login('ann', 'ann-password');
  const b = await login('bob', 'bob-password');
  ok(a.ctx !== b.ctx, 'two browser contexts, each with its own session');
  const annSaw = await screenAll(a.page, 'i');
  ok(annSaw.length === 4, 'ann screened all four records', annSaw.length);
  const bobFirst = await b.page.textContent('#rec-title');
  ok(annSaw.includes(bobFirst), "bob still gets a record ann has decided (double screening)", bobFirst);
  // The record, why it is here and the status line are all that speak of
  // this record (the buttons and key help name the choices, not decisions).
  const said = ['record', 'why', 'status'];
  const recText = (await Promise.all(said.map((id) => b.page.textContent(`#${id}`).catch(() => '')))).join(' ');
  ok(!/\bAB\b|\bann\b/i.test(recText), "nothing on bob's page names ann", recText.slice(0, 300));
  // The model's order counts bob's own decisions only: ann's four includes
  // must not have taught it anything ("0 and 0 so far").
  ok(/\(0 and 0 so far\)/.test(recText), "bob's order knows only his own decisions", recText.slice(0, 300));
  const bobSaw = await screenAll(b.page, 'e');
  ok(bobSaw.length === 4 && bobSaw.every((t) => annSaw.includes(t)), 'bob screened the same four', bobSaw.join(' | '));
  const leaked = b.bodies.filter((x) => /"AB"|"initials":"AB"|"decision":"include"/.test(x));
  ok(leaked.length === 0, "the server never sent bob ann's decisions", leaked[0]);
  await b.page.screenshot({ path: `${shots}/double-bob.png`, fullPage: true });
  // The owner sees the conflicts, both sides, and resolves one.
  await a.page.goto(at('/conflicts.html'));
  await a.page.waitForSelector('article.conflict');
  const conflicts = await a.page.locator('article.conflict').count();
  ok(conflicts === 4, 'four conflicts, side by side, for the owner', conflicts);
  const card = a.page.locator('article.conflict').first();
  const key = await card.getAttribute('data-record');
  await card.locator('select[name="decision"]').selectOption('include');
  await card.locator('input[name="note"]').fill('both agree on reading the abstract again');
  await card.locator('input[name="note"]').press('Enter');
  await a.page.waitForFunction((k) => new RegExp(`${k} resolved: include`).test(document.getElementById('status').textContent), key);
  ok(await a.page.locator('article.conflict').count() === 3, `the conflict on ${key} is resolved`);
  await a.page.screenshot({ path: `${shots}/double-conflicts.png`, fullPage: true });
  console.log(`resolved ${key}`);
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
} catch (e) {
  ok(false, 'the double-screening run', String(e));
} finally {
  await browser.close();
}
end();
