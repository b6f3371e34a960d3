// code.js: select text in a source and code it. The server counts offsets
// in Unicode code points (the REFI-QDA convention); the DOM counts UTF-16
// units, so every offset crosses cpOf() / u16Of() below. Blinding is the
// server's: the page is only given the codings this user may see.
import { api, session, showError } from '/api.js';

const $ = (id) => document.getElementById(id);
const palette = ['#c0392b', '#2e86c1', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#b7950b', '#5d6d7e'];

let me = null;
let sources = [];
let codes = [];
let src = null;         // {source, codings, notes} of the open source
let u16 = [];           // u16[cp] = UTF-16 index of code point cp in the text
let lastSel = null;     // {start, end} in code points: the last selection in the text
let pending = null;     // the span the picker is coding
let current = null;     // id of the coding shown as selected
let active = 0;         // the picker's highlighted option

// --- Offsets --------------------------------------------------------------

function indexText(text) {
  u16 = [0];
  let i = 0;
  for (const ch of text) { i += ch.length; u16.push(i); }
}

// Code points from the start of the text to a DOM position inside it.
function cpOf(node, offset) {
  const r = document.createRange();
  r.setStart($('text'), 0);
  r.setEnd(node, offset);
  return [...r.toString()].length;
}

// The DOM position of code point cp (a text node and a UTF-16 offset).
function u16Of(cp) {
  const want = u16[Math.min(cp, u16.length - 1)];
  const walk = document.createTreeWalker($('text'), NodeFilter.SHOW_TEXT);
  let at = 0;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (want <= at + n.data.length) return [n, want - at];
    at += n.data.length;
  }
  return [$('text'), $('text').childNodes.length];
}

function selectionInText() {
  const sel = document.getSelection();
  if (!sel || !sel.rangeCount || !src) return null;
  const r = sel.getRangeAt(0);
  if (!$('text').contains(r.startContainer) || !$('text').contains(r.endContainer)) return null;
  return { start: cpOf(r.startContainer, r.startOffset), end: cpOf(r.endContainer, r.endOffset) };
}

function select(start, end) {
  const r = document.createRange();
  r.setStart(...u16Of(start));
  r.setEnd(...u16Of(end));
  const sel = document.getSelection();
  sel.removeAllRanges();
  sel.addRange(r);
}

// --- Codes ----------------------------------------------------------------

function colourOf(path) {
  const c = codes.find((k) => k.path === path);
  if (c && c.colour) return c.colour;
  const id = c ? c.id : path.length;
  return palette[id % palette.length];
}

function swatch(colour) {
  const s = document.createElement('span');
  s.className = 'swatch';
  s.setAttribute('aria-hidden', 'true');
  s.style.setProperty('background-color', colour);
  return s;
}

function renderTree() {
  const byParent = new Map();
  for (const c of codes) {
    const k = c.parent || '';
    if (!byParent.has(k)) byParent.set(k, []);
    byParent.get(k).push(c);
  }
  const level = (parent) => (byParent.get(parent) || []).map((c) => {
    const li = document.createElement('li');
    if (!c.folder) li.append(swatch(colourOf(c.path)));
    const name = document.createElement('span');
    name.textContent = c.folder ? `${c.name}/` : c.name;
    const count = document.createElement('span');
    count.className = 'meta';
    count.textContent = ` ${c.codings} coding${c.codings === 1 ? '' : 's'} in ${c.sources} source${c.sources === 1 ? '' : 's'}`;
    li.append(name, count);
    const kids = level(c.path);
    if (kids.length) {
      const ul = document.createElement('ul');
      ul.append(...kids);
      li.append(ul);
    }
    return li;
  });
  $('tree').replaceChildren(...level(''));
  if (!codes.length) $('tree').textContent = 'No codes yet: code a span to make one.';
}

async function loadCodes() {
  codes = await api('/api/code/codes');
  renderTree();
}

// --- Sources --------------------------------------------------------------

function renderSources() {
  $('sources').replaceChildren(...sources.map((s) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'source';
    b.dataset.id = s.id;
    if (src && src.source.id === s.id) b.setAttribute('aria-current', 'true');
    const name = document.createElement('strong');
    name.textContent = s.name;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = [s.kind, s.study, `${s.length} characters`, `${s.mine} mine`,
      s.done ? 'done' : null, s.sampled ? 'double-coded sample' : null].filter(Boolean).join(' · ');
    b.append(name, document.createElement('br'), meta);
    b.addEventListener('click', () => open(s.id).catch(showError));
    li.append(b);
    return li;
  }));
  if (!sources.length) $('sources').textContent = 'No sources yet (qes code source add).';
}

async function loadSources() {
  sources = await api('/api/code/sources');
  renderSources();
}

// --- The text with its codings --------------------------------------------

function covering(cp) {
  return src.codings.filter((c) => c.start <= cp && cp < c.end);
}

// The text cut at every coding boundary; each piece under codings carries
// one underline per coding (stacked), their names as its title.
function renderText() {
  const text = src.source.text;
  const cuts = new Set([0, src.source.length]);
  for (const c of src.codings) { cuts.add(c.start); cuts.add(c.end); }
  const pts = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i], b = pts[i + 1];
    const piece = text.slice(u16[a], u16[b]);
    const on = src.codings.filter((c) => c.start <= a && b <= c.end);
    if (!on.length) { out.push(document.createTextNode(piece)); continue; }
    const span = document.createElement('span');
    span.className = 'coded';
    span.dataset.codings = on.map((c) => c.id).join(' ');
    span.title = on.map((c) => `${c.code} (${c.coder})`).join('\n');
    if (current && on.some((c) => c.id === current)) span.classList.add('current');
    const shadows = on.map((c, k) => `inset 0 -${3 * (k + 1)}px 0 ${colourOf(c.code)}`);
    span.style.setProperty('box-shadow', shadows.join(', '));
    span.style.setProperty('padding-bottom', `${3 * on.length}px`);
    span.textContent = piece;
    out.push(span);
  }
  $('text').replaceChildren(...out);
}

function excerpt(t, n = 80) {
  const cps = [...t];
  return cps.length > n ? `${cps.slice(0, n).join('')}…` : t;
}

function kindSelect(c) {
  const sel = document.createElement('select');
  sel.id = `kind-${c.id}`;
  for (const [v, label] of [['', 'not marked'], ['quote', 'participant quotation'], ['interpretation', "author's interpretation"]]) {
    sel.append(new Option(label, v, false, c.kind === v));
  }
  sel.addEventListener('change', () => update(c.id, { kind: sel.value }));
  const l = document.createElement('label');
  l.htmlFor = sel.id;
  l.textContent = 'Kind';
  return [l, sel];
}

// One coding in the side panel, with what may be done to it.
function codingItem(c) {
  const li = document.createElement('li');
  li.className = 'coding';
  const head = document.createElement('p');
  head.append(swatch(colourOf(c.code)));
  const strong = document.createElement('strong');
  strong.textContent = c.code;
  head.append(strong, ` by ${c.coder}, ${c.start}–${c.end}`);
  const q = document.createElement('p');
  q.className = 'quote';
  q.textContent = `“${excerpt(c.text, 200)}”`;
  li.append(head, q);
  if (c.memo) {
    const m = document.createElement('p');
    m.className = 'meta';
    m.textContent = `Memo: ${c.memo}`;
    li.append(m);
  }
  if (c.coder === me.user || me.role === 'owner') {
    const tools = document.createElement('div');
    tools.className = 'tools';
    const ill = document.createElement('input');
    ill.type = 'checkbox';
    ill.id = `ill-${c.id}`;
    ill.checked = c.illustrative;
    ill.addEventListener('change', () => update(c.id, { illustrative: ill.checked }));
    const il = document.createElement('label');
    il.className = 'inline';
    il.append(ill, ' Illustrative quote');
    const recode = document.createElement('select');
    recode.id = `recode-${c.id}`;
    for (const k of codes.filter((k) => !k.folder)) recode.append(new Option(k.path, k.path, false, k.path === c.code));
    recode.addEventListener('change', () => update(c.id, { code: recode.value }));
    const rl = document.createElement('label');
    rl.htmlFor = recode.id;
    rl.textContent = 'Code';
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'secondary';
    del.textContent = 'Delete coding';
    del.addEventListener('click', () => remove(c));
    tools.append(il, rl, recode, ...kindSelect(c), del);
    li.append(tools);
  }
  return li;
}

function renderHere() {
  if (!src) return;
  const at = lastSel ? lastSel.start : null;
  let list = current ? src.codings.filter((c) => c.id === current) : [];
  if (!list.length && at !== null) list = covering(at);
  $('here').replaceChildren(...list.map(codingItem));
  if (!list.length) $('here').textContent = 'No coding here.';
}

function renderCodings() {
  $('codings').replaceChildren(...src.codings.map((c) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.append(swatch(colourOf(c.code)), `${c.code}: “${excerpt(c.text, 60)}”`);
    b.addEventListener('click', () => {
      current = c.id;
      lastSel = { start: c.start, end: c.end };
      renderText();
      renderHere();
      $('text').focus();
      select(c.start, c.end);
    });
    li.append(b);
    return li;
  }));
  if (!src.codings.length) $('codings').textContent = 'None yet.';
}

function renderMemos() {
  const label = (n) => {
    if (n.target_type === 'source') return 'Source';
    if (n.target_type === 'code') {
      const c = codes.find((k) => k.id === n.target_id);
      return `Code ${c ? c.path : n.target_id}`;
    }
    const c = src.codings.find((k) => k.id === n.target_id);
    return `Coding ${c ? `${c.code} “${excerpt(c.text, 30)}”` : n.target_id}`;
  };
  $('memos').replaceChildren(...src.notes.map((n) => {
    const li = document.createElement('li');
    const h = document.createElement('strong');
    h.textContent = `${label(n)}${n.coder ? ` (${n.coder})` : ''}: `;
    li.append(h, n.text);
    return li;
  }));
  if (!src.notes.length) $('memos').textContent = 'No memos.';
  const t = $('memo-target');
  const keep = t.value;
  const opts = [new Option(`This source (${src.source.name})`, `source:${src.source.id}`)];
  if (current) {
    const c = src.codings.find((k) => k.id === current);
    if (c) opts.push(new Option(`The selected coding (${c.code})`, `coding:${c.id}`));
  }
  for (const c of codes) opts.push(new Option(`Code ${c.path}`, `code:${c.id}`));
  t.replaceChildren(...opts);
  if ([...t.options].some((o) => o.value === keep)) t.value = keep;
}

function renderSource() {
  const s = src.source;
  $('src-name').textContent = s.name;
  $('src-meta').textContent = [s.kind, s.study && `study ${s.study}`, `${s.length} characters`,
    s.blinded ? 'blinded: you see only your own codings until two coders mark it done' : null,
    s.done ? 'you marked it done' : null].filter(Boolean).join(' · ');
  $('b-done').disabled = !!s.done;
  renderText();
  renderHere();
  renderCodings();
  renderMemos();
}

async function open(id) {
  src = await api(`/api/code/source?id=${id}`);
  indexText(src.source.text);
  current = null;
  lastSel = null;
  renderSource();
  renderSources();
  history.replaceState(null, '', `/code.html?source=${id}`);
}

// Everything again from the server, keeping the selection and the coding shown.
async function refresh() {
  const keepSel = lastSel, keepCur = current;
  await Promise.all([open(src.source.id), loadCodes(), loadSources()]);
  lastSel = keepSel;
  current = keepCur && src.codings.some((c) => c.id === keepCur) ? keepCur : null;
  renderSource();
}

// --- Actions --------------------------------------------------------------

async function update(id, change) {
  try {
    await api('/api/code/coding/update', { id, ...change });
    $('status').textContent = 'Coding changed.';
    await refresh();
  } catch (e) { showError(e); }
}

async function remove(c) {
  try {
    await api('/api/code/coding/delete', { id: c.id });
    current = null;
    $('status').textContent = `Coding ${c.code} deleted.`;
    await refresh();
    $('text').focus();
  } catch (e) { showError(e); }
}

// The picker: type-ahead over the codes; Enter takes the highlighted one,
// or creates the typed path when it is new.
function options() {
  const q = $('pick-q').value.trim();
  const ql = q.toLowerCase();
  const list = codes.filter((c) => !c.folder && c.path.toLowerCase().includes(ql)).map((c) => ({ path: c.path, create: false }));
  if (q && !codes.some((c) => c.path === q)) list.push({ path: q, create: true });
  return list;
}

function renderPicker() {
  const list = options();
  if (active >= list.length) active = Math.max(list.length - 1, 0);
  $('pick-list').replaceChildren(...list.map((o, i) => {
    const li = document.createElement('li');
    li.id = `opt-${i}`;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(i === active));
    if (o.create) li.textContent = `Create code “${o.path}”`;
    else { li.append(swatch(colourOf(o.path)), o.path); }
    li.addEventListener('mousedown', (ev) => { ev.preventDefault(); active = i; renderPicker(); pick(); });
    return li;
  }));
  const o = list[active];
  $('pick-q').setAttribute('aria-activedescendant', o ? `opt-${active}` : '');
  $('new-colour-row').hidden = !(o && o.create);
}

function openPicker() {
  const sel = selectionInText() || lastSel;
  if (!src) return;
  if (!sel || sel.start === sel.end) {
    $('status').textContent = 'Select some text first.';
    return;
  }
  pending = { start: Math.min(sel.start, sel.end), end: Math.max(sel.start, sel.end) };
  $('picker-quote').textContent = `“${excerpt(src.source.text.slice(u16[pending.start], u16[pending.end]), 200)}”`;
  $('pick-q').value = '';
  $('pick-memo').value = '';
  $('pick-ill').checked = false;
  // A new code's colour: the first of the palette no code has yet.
  const used = new Set(codes.map((c) => (c.colour || '').toLowerCase()));
  $('pick-colour').value = palette.find((p) => !used.has(p)) || palette[codes.length % palette.length];
  document.querySelector('input[name="kind"][value=""]').checked = true;
  active = 0;
  renderPicker();
  $('picker').showModal();
  $('pick-q').focus();
}

function closePicker() {
  $('picker').close();
  $('text').focus();
  if (pending) select(pending.start, pending.end);
}

async function pick() {
  const o = options()[active];
  if (!o || !pending) return;
  const kind = document.querySelector('input[name="kind"]:checked').value;
  try {
    if (o.create) await api('/api/code/codes', { path: o.path, colour: $('pick-colour').value });
    const body = { source_id: src.source.id, start: pending.start, end: pending.end, code: o.path,
      kind, illustrative: $('pick-ill').checked };
    if ($('pick-memo').value.trim()) body.memo = $('pick-memo').value.trim();
    const c = await api('/api/code/span', body);
    current = c.id;
    lastSel = { start: c.start, end: c.end };
    $('picker').close();
    $('status').textContent = `Coded “${excerpt(c.text, 40)}” as ${c.code}.`;
    await refresh();
    $('text').focus();
    select(c.start, c.end);
  } catch (e) { showError(e); }
}

// --- Events ---------------------------------------------------------------

// The text is contenteditable only to give keyboard users a caret and
// Shift+arrow selection; nothing may change it.
for (const ev of ['beforeinput', 'paste', 'drop', 'cut']) {
  $('text').addEventListener(ev, (e) => e.preventDefault());
}
$('text').addEventListener('input', () => { if (src) renderText(); });
$('text').addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === 'c') { ev.preventDefault(); openPicker(); }
  else if (ev.key === 'Enter') ev.preventDefault();
});
document.addEventListener('selectionchange', () => {
  const s = selectionInText();
  if (!s) return;
  lastSel = { start: Math.min(s.start, s.end), end: Math.max(s.start, s.end) };
  if (current && !src.codings.some((c) => c.id === current && c.start <= lastSel.start && lastSel.start < c.end)) {
    current = null;
    for (const el of $('text').querySelectorAll('.current')) el.classList.remove('current');
  }
  renderHere();
});
$('b-code').addEventListener('click', openPicker);
$('b-done').addEventListener('click', async () => {
  try {
    await api('/api/code/done', { source_id: src.source.id });
    $('status').textContent = `${src.source.name} marked done.`;
    await refresh();
  } catch (e) { showError(e); }
});
$('pick-q').addEventListener('input', () => { active = 0; renderPicker(); });
$('pick-q').addEventListener('keydown', (ev) => {
  const n = options().length;
  if (ev.key === 'ArrowDown') { ev.preventDefault(); active = Math.min(active + 1, n - 1); renderPicker(); }
  else if (ev.key === 'ArrowUp') { ev.preventDefault(); active = Math.max(active - 1, 0); renderPicker(); }
  else if (ev.key === 'Enter') { ev.preventDefault(); pick(); }
});
$('picker-form').addEventListener('submit', (ev) => { ev.preventDefault(); pick(); });
$('pick-cancel').addEventListener('click', closePicker);
$('picker').addEventListener('cancel', (ev) => { ev.preventDefault(); closePicker(); });
$('memo-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const [type, id] = $('memo-target').value.split(':');
  const text = $('memo-text').value.trim();
  if (!text || !src) return;
  try {
    await api('/api/code/note', { target_type: type, target_id: Number(id), text });
    $('memo-text').value = '';
    $('status').textContent = 'Memo added.';
    await refresh();
  } catch (e) { showError(e); }
});

async function main() {
  me = await session();
  if (me.role === 'advisor') {
    $('main').replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Coding is for the review team.' }));
    return;
  }
  await Promise.all([loadCodes(), loadSources()]);
  const want = Number(new URLSearchParams(location.search).get('source')) ||
    (sources[0] && sources[0].id);
  if (want) await open(want);
}

main().catch(showError);
