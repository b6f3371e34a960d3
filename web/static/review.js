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

// A long list, a page at a time, with a search box: list (a <ul> or <ol>
// already in the page) shows the items whose text() holds the search, 50
// per page, with Previous / Next and "51–100 of 2,207". render(item) makes
// one <li>. Returns a function that takes new items.
export function pagedList(list, render, text, { size = 50, label = 'Search the list' } = {}) {
  let items = [];
  let page = 0;
  const id = `${list.id}-search`;
  const input = el('input', { id, type: 'search', autocomplete: 'off' });
  const count = el('span', { class: 'meta', 'aria-live': 'polite' });
  const prev = el('button', { type: 'button', class: 'secondary small', text: 'Previous' });
  const next = el('button', { type: 'button', class: 'secondary small', text: 'Next' });
  const pager = el('p', { class: 'pager' }, prev, ' ', next, ' ', count);
  list.before(el('p', { class: 'list-search' }, el('label', { for: id, text: label }), input));
  list.after(pager);
  const fmt = (n) => n.toLocaleString('en');
  function draw() {
    const q = input.value.trim().toLowerCase();
    const shown = q ? items.filter((x) => text(x).toLowerCase().includes(q)) : items;
    const pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(page, pages - 1);
    const from = page * size;
    list.replaceChildren(...shown.slice(from, from + size).map(render));
    count.textContent = shown.length ? `${fmt(from + 1)}–${fmt(Math.min(from + size, shown.length))} of ${fmt(shown.length)}`
      + (q ? ` matching “${input.value.trim()}”` : '') : 'None match.';
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    pager.hidden = shown.length <= size && !q;
  }
  input.addEventListener('input', () => { page = 0; draw(); });
  prev.addEventListener('click', () => { page -= 1; draw(); });
  next.addEventListener('click', () => { page += 1; draw(); });
  return (xs) => { items = xs; draw(); };
}
