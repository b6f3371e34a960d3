// queries.js: text search, code co-occurrence, the theme matrix by any case
// attribute and the framework matrix with its cell summaries. Every text
// from the review is shown as text (textContent), never as markup.
import { api, session, showError } from '/api.js';
import { textEl as el } from '/review.js';

const $ = (id) => document.getElementById(id);

function table(head, rows) {
  const t = el('table');
  const tr = el('tr');
  for (const h of head) tr.append(el('th', h));
  t.append(tr);
  for (const r of rows) t.append(r);
  return t;
}

function row(cells) {
  const tr = el('tr');
  cells.forEach((c, i) => {
    const td = el(i ? 'td' : 'th');
    if (!i) td.scope = 'row';
    if (c instanceof Node) td.append(c); else td.textContent = c;
    tr.append(td);
  });
  return tr;
}

function nothing(box, text) { box.replaceChildren(el('p', text, 'meta')); }

async function search() {
  const q = $('q').value.trim();
  if (!q) return;
  const src = $('q-source').value.trim();
  const r = await api(`/api/query/search?q=${encodeURIComponent(q)}${src ? `&source=${encodeURIComponent(src)}` : ''}`);
  $('search-status').textContent = `${r.hits.length} place${r.hits.length === 1 ? '' : 's'} found.`;
  if (!r.hits.length) { $('search').replaceChildren(); return; }
  $('search').replaceChildren(table(['Source', 'Where', 'Text'], r.hits.map((h) => {
    const p = el('span');
    p.append(`…${h.before}`, el('mark', h.text), `${h.after}…`);
    return row([h.study ? `${h.source} (${h.study})` : h.source, `${h.start}–${h.end}`, p]);
  })));
}

async function cooccur() {
  const c = $('coder').value.trim();
  const r = await api(`/api/query/cooccur${c ? `?coder=${encodeURIComponent(c)}` : ''}`);
  if (!r.pairs.length) { nothing($('cooccur'), 'No two codes overlap on the same text.'); return; }
  $('cooccur').replaceChildren(table(['Code', 'With code', 'Overlaps', 'Sources', 'Characters in common'],
    r.pairs.map((p) => row([p.code_a, p.code_b, String(p.overlaps), String(p.sources), String(p.chars)]))));
}

async function matrix() {
  const a = $('attr').value.trim() || 'perspective';
  const m = await api(`/api/query/matrix?attribute=${encodeURIComponent(a)}`);
  if (!m.rows.length) { nothing($('matrix'), 'No themes yet.'); return; }
  $('matrix').replaceChildren(table(['Theme', ...m.columns, 'All'], m.rows.map((r) => row([
    r.parent ? `${r.parent} / ${r.theme}` : r.theme,
    ...m.columns.map((c) => (r.cells[c] ? `${r.cells[c].studies} / ${r.cells[c].spans}` : '–')),
    `${r.total.studies} / ${r.total.spans}`]))));
}

async function summarise(by, rowKey, label, theme, current) {
  const text = prompt(`Summary of “${theme}” for ${label} (empty clears it):`, current || '');
  if (text === null) return;
  await api('/api/query/summary', { theme, by, row: rowKey, text });
  await framework();
}

function cell(by, r, theme) {
  const c = r.cells[theme];
  const box = el('div');
  if (c) {
    if (c.summary) box.append(el('p', c.summary));
    box.append(el('p', `${c.spans} span${c.spans === 1 ? '' : 's'}: “${c.quote}”`, 'meta'));
  }
  if (r.row !== '(none)') {
    const b = el('button', 'Summarise', 'small secondary');
    b.type = 'button';
    b.setAttribute('aria-label', `Summarise ${theme} for ${r.label}`);
    b.addEventListener('click', () => summarise(by, r.row, r.label, theme, c && c.summary).catch(showError));
    box.append(b);
  }
  return box;
}

async function framework() {
  const by = $('by').value, level = $('level').value;
  const f = await api(`/api/query/framework?by=${by}${level ? `&level=${level}` : ''}`);
  if (!f.rows.length) { nothing($('framework'), 'No coded spans under these themes yet.'); return; }
  $('framework').replaceChildren(table([by === 'study' ? 'Study' : 'Case', ...f.themes],
    f.rows.map((r) => row([r.label, ...f.themes.map((t) => cell(by, r, t))]))));
}

function on(form, fn) {
  $(form).addEventListener('submit', (e) => {
    e.preventDefault();
    $('error').hidden = true;
    fn().catch(showError);
  });
}

async function main() {
  const s = await session();
  if (s.role === 'advisor') { location.replace('/advisor.html'); return; }
  on('f-search', search);
  on('f-cooccur', cooccur);
  on('f-matrix', matrix);
  on('f-framework', framework);
  await Promise.all([cooccur(), matrix(), framework()]);
}

main().catch(showError);
