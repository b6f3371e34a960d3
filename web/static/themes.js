// themes.js: the themes board. Codes are grouped into descriptive themes,
// descriptive themes into analytical themes and subthemes. Every change is
// one call to the theme library (POST /api/themes/change); the board is
// then reloaded from the server, so it always shows what is stored. Codes
// can be dragged onto a descriptive theme or subtheme, and descriptive
// themes onto an analytical theme or subtheme; the tick boxes and forms do
// the same from the keyboard.
import { api, session, showError } from '/api.js';
import { textEl as el } from '/review.js';

let board = { themes: [], codes: [] };

// How a theme is named to the library: a subtheme as "Analytical/Subtheme".
function ref(t) { return t.level === 'subtheme' && t.parent ? `${t.parent}/${t.name}` : t.name; }

function count(t) {
  const c = t.counts || {};
  return `${c.spans ?? 0} spans, ${c.studies ?? 0} studies`;
}

async function change(body, done) {
  try {
    await api('/api/themes/change', body);
    await load();   // the status line only once the board shows the change
    document.getElementById('status').textContent = done;
  } catch (e) { showError(e); }
}

function checkItem(value, label, meta, name) {
  const li = el('li');
  const id = `${name}-${value.replace(/[^A-Za-z0-9]/g, '_')}-${Math.random().toString(36).slice(2, 7)}`;
  const box = el('input');
  box.type = 'checkbox'; box.value = value; box.id = id; box.name = name;
  const l = el('label', label);
  l.htmlFor = id;
  l.className = 'check-label';
  li.append(box, l);
  if (meta) li.append(el('span', ` ${meta}`, 'meta'));
  return li;
}

function themeButtons(t) {
  const bar = el('div', undefined, 'theme-actions');
  const trace = el('button', 'What it rests on');
  trace.type = 'button';
  trace.addEventListener('click', () => showTrace(t));
  const rename = el('button', 'Rename');
  rename.type = 'button';
  rename.addEventListener('click', () => {
    const name = prompt(`New name for “${t.name}”`, t.name);
    if (name && name !== t.name) change({ action: 'rename', theme: ref(t), name }, `Renamed to ${name}.`);
  });
  const del = el('button', 'Remove');
  del.type = 'button';
  del.addEventListener('click', () => {
    if (confirm(`Remove the theme “${t.name}”? Its codes and codings stay.`))
      change({ action: 'remove', theme: ref(t) }, `Removed ${t.name}.`);
  });
  for (const b of [trace, rename, del]) b.className = 'secondary';
  bar.append(trace, rename, del);
  return bar;
}

// The members of a theme, each with a button that takes it out.
function members(t) {
  const ul = el('ul', undefined, 'members');
  for (const c of t.codes) {
    const li = el('li', `Code: ${c} `);
    const x = el('button', '×', 'secondary small');
    x.type = 'button';
    x.setAttribute('aria-label', `Take code ${c} out of ${t.name}`);
    x.addEventListener('click', () => change({ action: 'codes', theme: ref(t), codes: [c], remove: true }, `Took ${c} out.`));
    li.append(x);
    ul.append(li);
  }
  for (const d of t.themes) {
    const li = el('li', `Theme: ${d} `);
    const x = el('button', '×', 'secondary small');
    x.type = 'button';
    x.setAttribute('aria-label', `Ungroup ${d} from ${t.name}`);
    x.addEventListener('click', () => change({ action: 'group', parent: ref(t), children: [d], remove: true }, `Ungrouped ${d}.`));
    li.append(x);
    ul.append(li);
  }
  return ul;
}

// Drag and drop: what is dragged ("code" or "desc", and its name) rides in
// the dataTransfer; a card takes what its level can hold.
const DRAG = 'application/x-qes-theme';

function draggable(li, kind, value) {
  li.draggable = true;
  li.dataset.drag = kind;
  li.addEventListener('dragstart', (ev) => {
    ev.dataTransfer.setData(DRAG, JSON.stringify({ kind, value }));
    ev.dataTransfer.setData('text/plain', value);
    ev.dataTransfer.effectAllowed = 'copy';
    ev.stopPropagation();
  });
}

function dropTarget(art, t) {
  const takes = t.level === 'descriptive' ? ['code'] : t.level === 'subtheme' ? ['code', 'desc'] : ['desc'];
  art.dataset.drop = takes.join(' ');
  art.addEventListener('dragover', (ev) => {
    if (!ev.dataTransfer.types.includes(DRAG)) return;
    ev.preventDefault();
    ev.stopPropagation();
    art.classList.add('drop-here');
  });
  art.addEventListener('dragleave', () => art.classList.remove('drop-here'));
  art.addEventListener('drop', (ev) => {
    art.classList.remove('drop-here');
    let d;
    try { d = JSON.parse(ev.dataTransfer.getData(DRAG)); } catch (e) { return; }
    ev.preventDefault();
    ev.stopPropagation();
    if (!takes.includes(d.kind)) {
      showError(new Error(d.kind === 'code' ? `${t.name} groups themes, not codes: drop the code on a descriptive theme.`
        : `${t.name} holds codes: drop a descriptive theme on an analytical theme or subtheme.`));
      return;
    }
    if (d.kind === 'code') change({ action: 'codes', theme: ref(t), codes: [d.value] }, `Code ${d.value} added to ${t.name}.`);
    else if (d.value !== t.name) change({ action: 'group', parent: ref(t), children: [d.value] }, `${d.value} grouped under ${t.name}.`);
  });
}

function themeCard(t, heading) {
  const art = el('article', undefined, `card theme-${t.level}`);
  dropTarget(art, t);
  // A descriptive theme's name is its checkbox's label, just above.
  if (heading) art.append(el(heading, t.name));
  art.append(el('p', `${t.level === 'subtheme' ? 'Subtheme' : t.level === 'analytical' ? 'Analytical theme' : 'Descriptive theme'} · ${count(t)}`, 'meta'));
  if (t.description) art.append(el('p', t.description));
  art.append(members(t), themeButtons(t));
  return art;
}

function options(select, list, empty) {
  select.replaceChildren(...list.map((t) => { const o = el('option', t.label); o.value = t.value; return o; }));
  if (!list.length) { const o = el('option', empty); o.value = ''; select.append(o); }
}

function render() {
  const codes = document.getElementById('codes');
  codes.replaceChildren(...board.codes.map((c) => {
    const li = checkItem(c.path, c.path, `${c.codings} spans`, 'code');
    draggable(li, 'code', c.path);
    return li;
  }));
  if (!board.codes.length) codes.replaceChildren(el('li', 'No codes yet: code some text first.', 'meta'));

  const analytical = board.themes.filter((t) => t.level === 'analytical');
  const subs = board.themes.filter((t) => t.level === 'subtheme');
  const descriptive = board.themes.filter((t) => t.level === 'descriptive');
  const box = document.getElementById('analytical');
  box.replaceChildren(...analytical.map((a) => {
    const card = themeCard(a, 'h3');
    for (const s of subs.filter((x) => x.parent === a.name)) card.append(themeCard(s, 'h4'));
    return card;
  }));
  const dl = document.getElementById('descriptive');
  dl.replaceChildren(...descriptive.map((d) => {
    const li = checkItem(d.name, d.name, count(d), 'desc');
    draggable(li, 'desc', d.name);
    li.append(themeCard(d, null));
    return li;
  }));
  if (!descriptive.length) dl.replaceChildren(el('li', 'No descriptive themes yet.', 'meta'));

  options(document.getElementById('codes-target'), descriptive.concat(subs).map((t) => ({ value: ref(t), label: t.level === 'subtheme' ? `${t.parent} › ${t.name}` : t.name })), 'Create a theme first');
  options(document.getElementById('group-target'), analytical.concat(subs).map((t) => ({ value: ref(t), label: t.level === 'subtheme' ? `${t.parent} › ${t.name}` : t.name })), 'Create an analytical theme first');
  options(document.getElementById('new-parent'), analytical.map((t) => ({ value: t.name, label: t.name })), 'No analytical theme yet');
}

function ticked(name) {
  return [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value);
}

async function showTrace(t) {
  try {
    const r = await api(`/api/themes/trace?theme=${encodeURIComponent(ref(t))}`);
    const sec = document.getElementById('trace');
    sec.hidden = false;
    document.getElementById('h-trace').textContent = `What “${t.name}” rests on`;
    document.getElementById('trace-summary').textContent =
      `${r.spans.length} spans from ${r.studies.length} studies and ${r.sources.length} sources; perspectives: ${r.perspectives.join(', ') || 'none recorded'}.`;
    document.getElementById('trace-spans').replaceChildren(...r.spans.map((s) => {
      const li = el('li');
      li.append(el('blockquote', `“${s.text}”`), el('p', [s.code, s.perspectives.join('/'), s.study || s.source].filter(Boolean).join(' · '), 'meta'));
      return li;
    }));
    sec.scrollIntoView();
    document.getElementById('h-trace').tabIndex = -1;
    document.getElementById('h-trace').focus();
  } catch (e) { showError(e); }
}

async function load() {
  board = await api('/api/themes');
  render();
}

async function main() {
  const s = await session();
  if (s.role === 'advisor') { location.replace('/advisor.html'); return; }
  const level = document.getElementById('new-level');
  level.addEventListener('change', () => {
    const sub = level.value === 'subtheme';
    document.getElementById('new-parent').hidden = !sub;
    document.getElementById('new-parent-label').hidden = !sub;
  });
  document.getElementById('new-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = document.getElementById('new-name').value.trim();
    const body = { action: 'add', name, level: level.value };
    if (level.value === 'subtheme') body.parent = document.getElementById('new-parent').value;
    const desc = document.getElementById('new-desc').value.trim();
    if (desc) body.text = desc;
    change(body, `Created ${name}.`).then(() => { document.getElementById('new-name').value = ''; document.getElementById('new-desc').value = ''; });
  });
  document.getElementById('codes-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const codes = ticked('code');
    const theme = document.getElementById('codes-target').value;
    if (!codes.length || !theme) { showError(new Error('Tick one or more codes and choose a theme.')); return; }
    change({ action: 'codes', theme, codes }, `${codes.length} code(s) added to ${theme}.`);
  });
  document.getElementById('group-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const children = ticked('desc');
    const parent = document.getElementById('group-target').value;
    if (!children.length || !parent) { showError(new Error('Tick one or more descriptive themes and choose where they go.')); return; }
    change({ action: 'group', parent, children }, `${children.length} theme(s) grouped under ${parent}.`);
  });
  await load();
}

main().catch(showError);
