// report-print.mjs REPORT.html OUT.pdf: the review report as Chromium shows
// it on a narrow screen and prints it (A4, the report's own @page margins).
// Checks, as the browser lays the page out: no table wider than the page's
// text area, in print media at the printable width and on screen at 800
// and 1280 pixels; header rows repeat (thead); and writes the PDF, which
// t74 reads back with pdftotext to check no word lies beyond the margin.
import { launch, tap } from './harness.mjs';
import { pathToFileURL } from 'node:url';

const [file, pdf] = process.argv.slice(2);
const { ok, end } = tap();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(file).href);

  // Every table's right edge against the body's content box (and the
  // document's scroll width against the viewport): widest offender named.
  const overflow = () => page.evaluate(() => {
    const body = document.body.getBoundingClientRect();
    const cs = getComputedStyle(document.body);
    const right = body.right - parseFloat(cs.paddingRight);
    const bad = [];
    let n = 0;
    for (const t of document.querySelectorAll('table')) {
      n++;
      const r = t.getBoundingClientRect();
      if (r.right > right + 0.5 || t.scrollWidth > t.clientWidth + 1) {
        const h = t.previousElementSibling;
        bad.push(`${t.className || 'table'} (${Math.round(r.width)}px > ${Math.round(right - body.left)}px)` +
                 (h ? ` after "${h.textContent.slice(0, 40)}"` : ''));
      }
    }
    const doc = document.documentElement;
    return { n, bad, scroll: doc.scrollWidth, client: doc.clientWidth };
  });

  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 900 });
    const o = await overflow();
    ok(o.n >= 10, `the report has its tables (${o.n}) at ${width}px`, `${o.n}`);
    ok(o.bad.length === 0, `on screen at ${width}px no table is wider than the page`, o.bad.join('; '));
    ok(o.scroll <= o.client, `on screen at ${width}px the page does not scroll sideways`,
       `${o.scroll} > ${o.client}`);
  }

  // Print: A4 (210 mm) less the 15 mm margins of the report's @page rule
  // is 180 mm, 680 CSS pixels; lay the page out at that width in print media.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 680, height: 1000 });
  const p = await overflow();
  ok(p.bad.length === 0, 'in print (A4 text width, 680px) no table is wider than the page', p.bad.join('; '));
  ok(p.scroll <= p.client, 'in print the page does not run past the right margin', `${p.scroll} > ${p.client}`);
  const marks = await page.evaluate(() =>
    [...document.querySelectorAll('.mark')].filter((m) => getComputedStyle(m).display !== 'none').length);
  ok(marks === 0, 'the [edited] marks are not printed', `${marks} shown`);
  const heads = await page.evaluate(() => [...document.querySelectorAll('table.qes-studies thead, table.qes-cerqual thead')]
    .filter((h) => getComputedStyle(h).display === 'table-header-group').length);
  ok(heads >= 2, 'wide tables repeat their header row on each printed page', `${heads}`);

  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  ok(true, `printed to ${pdf}`);
} catch (e) {
  ok(false, 'the report loads and prints in Chromium', String(e));
} finally {
  await browser.close();
}
end();
