// web-code.mjs URL NAME PASSWORD SOURCE_ID OUT.png: logs in to qes serve in
// Debian's headless Chromium and codes the source twice: first by keyboard
// only (Shift+arrows over a span after an emoji and a combining mark, c,
// type a new code, Enter), then a selection made as a mouse makes it (a DOM
// range) coded through the button and the picker's type-ahead, overlapping
// the first. Checks the highlights, saves a screenshot and checks that a
// narrow (phone) screen needs no sideways scrolling. Prints TAP-style lines.
import { launch, tap, watchedPage } from './harness.mjs';

const [url, name, password, sourceId, pngPath] = process.argv.slice(2);
if (!url || !name || !password || !sourceId || !pngPath) {
  console.error('usage: node web-code.mjs URL NAME PASSWORD SOURCE_ID OUT.png');
  process.exit(2);
}
const browser = await launch();
const { ok, end } = tap();
const errors = [];
const WORD = 'q\u0301uite';
try {
  const page = await watchedPage(browser, errors, { viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/dashboard.html');
  await page.waitForSelector('header nav a[href="/code.html"]');
  ok(await page.locator('header nav a[href="/code.html"]').isVisible(), 'dashboard links to the coding page');
  await page.goto(new URL(`/code.html?source=${sourceId}`, url).href);
  await page.waitForFunction((w) => document.getElementById('text').textContent.includes(w), WORD);
  const text = await page.textContent('#text');
  // What the server must receive: code points, not UTF-16 units or graphemes.
  const cpStart = [...text.slice(0, text.indexOf(WORD))].length;
  const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text.slice(0, text.indexOf(WORD)))].length;
  const wordGraphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(WORD)].length;

  // 1. Keyboard only.
  await page.focus('#text');
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < graphemes; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < wordGraphemes; i++) await page.keyboard.press('Shift+ArrowRight');
  ok(await page.evaluate(() => document.getSelection().toString()) === WORD, 'Shift+arrows select the word',
    await page.evaluate(() => document.getSelection().toString()));
  await page.keyboard.press('c');
  ok(await page.isVisible('#picker'), 'c opens the code picker');
  ok(await page.evaluate(() => document.activeElement.id) === 'pick-q', 'focus is in the type-ahead');
  await page.keyboard.type('Parent/Feeling judged');
  ok((await page.textContent('#pick-list')).includes('Create code'), 'a new path offers to create the code');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^Coded/.test(document.getElementById('status').textContent));
  ok(!(await page.isVisible('#picker')), 'the picker closes');
  ok(await page.evaluate(() => document.activeElement.id) === 'text', 'focus returns to the text');
  // The status line comes with the server's answer; the text is redrawn
  // with the new coding just after (seen to lag on a loaded machine).
  await page.waitForSelector('#text .coded', { timeout: 10000 }).catch(() => {});
  const hl = await page.$$eval('#text .coded', (els) => els.map((e) => ({
    text: e.textContent, title: e.title, shadow: getComputedStyle(e).boxShadow })));
  ok(hl.length === 1 && hl[0].text === WORD, 'the highlight covers the word', JSON.stringify(hl));
  ok(hl.length === 1 && /rgb/.test(hl[0].shadow), 'the highlight is coloured', JSON.stringify(hl));
  ok(hl.length === 1 && hl[0].title.includes('Parent/Feeling judged'), 'its code is named on hover', JSON.stringify(hl));
  ok((await page.textContent('#here')).includes('Parent/Feeling judged'), 'the side panel names the code at the cursor');
  ok((await page.textContent('#tree')).includes('1 coding in 1 source'), 'the code tree counts it');
  console.log(`expect ${cpStart} ${cpStart + [...WORD].length}`);

  // 2. A selection as a mouse makes it, overlapping the first coding.
  await page.evaluate((w) => {
    const el = document.getElementById('text');
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let t = walk.nextNode(); t; t = walk.nextNode()) nodes.push(t);
    const full = nodes.map((t) => t.data).join('');
    const at = (i) => { for (const t of nodes) { if (i <= t.data.length) return [t, i]; i -= t.data.length; } return null; };
    const s = full.indexOf(w);
    const r = document.createRange();
    r.setStart(...at(s));
    r.setEnd(...at(s + w.length));
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(r);
  }, `${WORD} fine`);
  await page.click('#b-code');
  await page.fill('#pick-q', 'Parent/Fear of removal');
  await page.check('#pick-ill');
  await page.check('input[name="kind"][value="quote"]');
  await page.click('#pick-ok');
  await page.waitForFunction(() => document.querySelectorAll('#text .coded').length === 2);
  const two = await page.$$eval('#text .coded', (els) => els.map((e) => [e.textContent, e.dataset.codings.split(' ').length]));
  ok(JSON.stringify(two) === JSON.stringify([[WORD, 2], [' fine', 1]]), 'overlapping codings: two underlines on the shared part', JSON.stringify(two));
  // Type-ahead finds an existing code from a fragment.
  await page.focus('#text');
  await page.keyboard.press('c');
  await page.keyboard.type('fear');
  const opts = await page.$$eval('#pick-list [role=option]', (els) => els.map((e) => [e.textContent, e.getAttribute('aria-selected')]));
  ok(JSON.stringify(opts) === JSON.stringify([['Parent/Fear of removal', 'true'], ['Create code “fear”', 'false']]),
    'type-ahead narrows to the matching code, highlighted first', JSON.stringify(opts));
  await page.keyboard.press('ArrowDown');
  ok(await page.getAttribute('#pick-q', 'aria-activedescendant') === 'opt-1', 'arrow keys move through the options');
  await page.keyboard.press('Escape');
  ok(!(await page.isVisible('#picker')), 'Escape closes the picker');
  const colours = await page.$$eval('#tree .swatch', (els) => els.map((e) => getComputedStyle(e).backgroundColor));
  ok(colours.length === 2 && colours[0] !== colours[1], 'new codes get different colours', JSON.stringify(colours));
  await page.evaluate(() => document.getSelection().removeAllRanges());
  await page.screenshot({ path: pngPath, fullPage: true });

  await page.setViewportSize({ width: 390, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  ok(wide <= 390, 'a phone-width screen needs no sideways scrolling', `scrollWidth ${wide}`);
  ok(errors.length === 0, 'no errors in the console (CSP included)', errors.join(' | '));
} catch (e) {
  ok(false, 'the browser run', String(e));
} finally {
  await browser.close();
}
end();
