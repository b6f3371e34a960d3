// prisma-layout.mjs SVG PNG: renders a PRISMA diagram in Debian's headless
// Chromium, checks its layout as a browser lays it out (every line of text
// inside its box, no two boxes overlapping, nothing outside the page), and
// saves a PNG screenshot. Prints TAP-style "ok"/"not ok" lines.
import { launch, tap } from './harness.mjs';
import fs from 'node:fs';

const [svgPath, pngPath] = process.argv.slice(2);
if (!svgPath || !pngPath) {
  console.error('usage: node prisma-layout.mjs FILE.svg OUT.png');
  process.exit(2);
}

const browser = await launch();
const { ok, end } = tap();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
  // The SVG inline in a page, as a browser shows it in the report.
  const svgText = fs.readFileSync(svgPath, 'utf8').replace(/^<\?xml[^>]*>\s*/, '');
  await page.setContent(`<!doctype html><html><body style="margin:0">${svgText}</body></html>`);
  const r = await page.evaluate(() => {
    const svg = document.querySelector('svg');
    const W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
    const boxes = [...document.querySelectorAll('g.box')].map(g => {
      const rect = g.querySelector('rect').getBBox();
      const texts = [...g.querySelectorAll('text')].map(t => ({ s: t.textContent, b: t.getBBox() }));
      return { rect, texts };
    });
    const outside = [];
    for (const b of boxes)
      for (const t of b.texts)
        if (t.b.x < b.rect.x - 0.5 || t.b.y < b.rect.y - 0.5 ||
            t.b.x + t.b.width > b.rect.x + b.rect.width + 0.5 ||
            t.b.y + t.b.height > b.rect.y + b.rect.height + 0.5)
          outside.push(t.s);
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].rect, c = boxes[j].rect;
        if (a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height)
          overlaps.push(`${boxes[i].texts[0]?.s} / ${boxes[j].texts[0]?.s}`);
      }
    // getBoundingClientRect includes transforms (the rotated band labels).
    const page = svg.getBoundingClientRect();
    const offPage = [...document.querySelectorAll('text')].filter(t => {
      const b = t.getBoundingClientRect();
      return b.left < page.left - 0.5 || b.top < page.top - 0.5 ||
             b.right > page.right + 0.5 || b.bottom > page.bottom + 0.5;
    }).map(t => t.textContent);
    return { boxes: boxes.length, texts: boxes.reduce((k, b) => k + b.texts.length, 0),
             outside, overlaps, offPage, W, H };
  });
  ok(r.boxes >= 9, `the diagram has its boxes (${r.boxes})`);
  ok(r.texts > r.boxes, `boxes hold their text (${r.texts} lines)`);
  ok(r.outside.length === 0, 'every line of text lies inside its box', r.outside.join(' | '));
  ok(r.overlaps.length === 0, 'no two boxes overlap', r.overlaps.join(' | '));
  ok(r.offPage.length === 0, 'no text falls outside the page', r.offPage.join(' | '));
  await page.setViewportSize({ width: Math.ceil(r.W), height: Math.ceil(r.H) });
  await page.locator('svg').screenshot({ path: pngPath, timeout: 60000 });
  ok(true, `screenshot saved to ${pngPath}`);
} catch (e) {
  ok(false, 'the browser run', String(e));
} finally {
  await browser.close();
}
end();
