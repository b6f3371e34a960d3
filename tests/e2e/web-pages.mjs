// web-pages.mjs: every page of the web interface, for each role, at 1400 px
// and at 375 px (a phone): a screenshot of each (the test's artifacts), no
// horizontal overflow, no page left at "Loading…", one navigation per role
// on every page, and an advisor on a team page gets a clear page.
//   node web-pages.mjs BASE_URL SHOTS_DIR
import { launch, tap, loggedIn } from './harness.mjs';

const [base, shots] = process.argv.slice(2);
const { ok, end } = tap();
const TEAM = ['dashboard', 'screen', 'conflicts', 'dedup', 'fulltext', 'appraise', 'prisma', 'code',
  'themes', 'queries', 'synthesis', 'advisor', 'account'];
const users = [
  { name: 'ann', pw: 'ann-password', role: 'owner', pages: TEAM },
  { name: 'bob', pw: 'bob-password', role: 'reviewer', pages: TEAM },
  { name: 'val', pw: 'val-password', role: 'advisor', pages: ['advisor', 'account', 'prisma', 'screen', 'themes'] },
];
const browser = await launch();
try {
  for (const u of users) {
    for (const width of [1400, 375]) {
      const errors = [];
      const page = await loggedIn(browser, base, u.name, u.pw, errors,
        { viewport: { width, height: width > 800 ? 900 : 740 } },
        u.role === 'advisor' ? '**/advisor.html' : '**/dashboard.html');
      const failed = [];
      page.on('response', (r) => { if (r.status() === 404) failed.push(r.url().replace(base, '/')); });
      const navs = new Set();
      for (const p of u.pages) {
        await page.goto(`${base}${p}.html`);
        await page.waitForLoadState('networkidle');
        // A page may still be drawing what it fetched (a loaded machine):
        // give it up to 10 s to leave "Loading…" before it is judged stuck.
        await page.waitForFunction(() => !/Loading…|Loading\.\.\./.test(document.body.innerText),
          null, { timeout: 10000 }).catch(() => {});
        const tag = `${u.role} ${p} at ${width}px`;
        const m = await page.evaluate(() => ({
          sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
          wide: [...document.querySelectorAll('body *')].filter((e) => {
            const r = e.getBoundingClientRect();
            return r.right > document.documentElement.clientWidth + 1 && getComputedStyle(e).position !== 'fixed';
          }).slice(0, 3).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`),
          loading: /Loading…|Loading\.\.\./.test(document.body.innerText),
          nav: [...document.querySelectorAll('header nav a')].map((a) => a.getAttribute('href')).join(' '),
          text: document.body.innerText.slice(0, 300),
        }));
        await page.screenshot({ path: `${shots}/${u.role}-${p}-${width}.png`, fullPage: true });
        ok(m.sw <= m.cw + 1, `${tag}: no horizontal overflow`, `scrollWidth ${m.sw} > ${m.cw}: ${m.wide.join(', ')}`);
        ok(!m.loading, `${tag}: nothing left at "Loading…"`, m.text);
        navs.add(m.nav);
        if (p === 'code' && u.role !== 'advisor') {
          await page.locator('button.source', { hasText: 'Transcript 1' }).first().click().catch(() => {});
          await page.waitForFunction(() => /Nobody explained/.test(document.getElementById('text').textContent), null, { timeout: 5000 }).catch(() => {});
          const t = await page.evaluate(() => {
            const e = document.getElementById('text');
            const cs = getComputedStyle(e);
            return { ws: cs.whiteSpace, lh: parseFloat(cs.lineHeight) / parseFloat(cs.fontSize), sw: e.scrollWidth, cw: e.clientWidth,
              lines: e.textContent.split('\n').length };
          });
          ok(t.ws === 'pre-wrap' && t.lines >= 5, `${tag}: the transcript keeps its hard line breaks`, JSON.stringify(t));
          ok(t.lh < 2, `${tag}: at an even line height, not double spacing`, JSON.stringify(t));
          ok(t.sw <= t.cw + 1, `${tag}: a long word wraps inside the text`, JSON.stringify(t));
        }
        if (u.role === 'advisor' && !['advisor', 'account'].includes(p))
          ok(/This page is for the review team/.test(m.text), `${tag}: a clear page for an advisor`, m.text);
      }
      ok(navs.size === 1, `${u.role} at ${width}px: the same navigation on every page`, [...navs].join(' | '));
      ok(errors.filter((e) => !/^Failed to load resource/.test(e)).length === 0, `${u.role} at ${width}px: no script errors`,
        `${errors.join(' | ')} ${failed.join(' ')}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
}
end();
