// review.js: what the review team's pages share: building elements without
// innerHTML (nothing from the review is ever parsed as HTML), the status
// line, and hiding what an advisor may not use (the server refuses it too).
export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'for') e.htmlFor = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const k of kids.flat(Infinity)) if (k !== null && k !== undefined) e.append(k);
  return e;
}

// The short form the synthesis and advisor pages build with: a tag with
// its text (if any) and class (if any).
export function textEl(tag, text, cls) { return el(tag, { text, class: cls }); }

export function say(text) {
  const s = document.getElementById('status');
  if (s) s.textContent = text;
}

// Advisors see none of these pages: say so instead of a broken page.
export function teamOnly(s) {
  if (s.role !== 'advisor') return true;
  const m = document.getElementById('main');
  m.replaceChildren(el('h1', { text: 'Not available' }),
    el('p', { text: 'These pages are for the review team; an advisor sees the dashboard.' }));
  return false;
}

export const names = { ta: 'Title and abstract', ft: 'Full text' };
