// web-wrap.mjs URL NAME PASSWORD WORD_PREFIX: logs in (an owner) and opens
// every page of the team; the review holds a code and a theme description
// with one very long word each (starting WORD_PREFIX) and a code name with a
// right-to-left override. Checks that no page is wider than the window
// (long words wrap everywhere) and that the text holding the override is
// its own bidi isolate with its direction from its content (so the override
// cannot reverse what follows it).
import { launch, tap, loggedIn } from './harness.mjs';

const [url, name, password, prefix] = process.argv.slice(2);
const { ok, end } = tap();
const browser = await launch();
const errors = [];
try {
  const width = 1000;
  const page = await loggedIn(browser, url, name, password, errors,
    { viewport: { width, height: 800 } });
  const pages = ['/dashboard.html', '/screen.html', '/code.html', '/themes.html', '/synthesis.html',
    '/queries.html', '/advisor.html', '/dedup.html', '/conflicts.html', '/fulltext.html',
    '/appraise.html', '/prisma.html', '/account.html'];
  let sawWord = 0;
  for (const p of pages) {
    await page.goto(url.replace(/\/$/, '') + p);
    await page.waitForLoadState('networkidle');
    if (p === '/code.html') {
      // The coding page shows codes once a source is open.
      const first = await page.$('#sources a, #sources button, #source-list a, #source-list button');
      if (first) { await first.click(); await page.waitForLoadState('networkidle'); }
    }
    const m = await page.evaluate((pre) => ({
      scroll: document.documentElement.scrollWidth,
      has: document.body.innerText.includes(pre),
    }), prefix);
    if (m.has) sawWord++;
    ok(m.scroll <= width + 2, `${p}: no wider than the window (${m.scroll} px)`);
  }
  ok(sawWord >= 2, `the long words are on the pages (on ${sawWord})`);
  // The override: find the element whose own text holds U+202E.
  await page.goto(url.replace(/\/$/, '') + '/themes.html');
  await page.waitForLoadState('networkidle');
  const bidi = await page.evaluate(() => {
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode())
      if (n.data.includes('\u202e')) return getComputedStyle(n.parentElement).unicodeBidi;
    return null;
  });
  ok(bidi === 'plaintext' || bidi === 'isolate', 'a right-to-left override is isolated in its element', bidi);
} catch (e) {
  ok(false, 'the pages run', e.stack);
} finally {
  await browser.close();
}
// Pages opened here without their usual arguments may 404 a request or
// refuse to be framed; a script error is what must not happen.
const real = errors.filter((e) => !/Failed to load resource|Framing '/.test(e));
ok(real.length === 0, 'no script errors', real.join(' | '));
end();
