// selfcheck.js: the review appraised as a whole (qes selfcheck). Every text
// is set with textContent; the answers go to POST /api/selfcheck.
import { api, session, showError } from '/api.js';

const ANSWERS = ['', 'yes', 'no', 'unclear', 'na'];
let current = null;

function cell(tr, text) {
  const td = document.createElement('td');
  td.textContent = text;
  tr.append(td);
  return td;
}

function row(it) {
  const tr = document.createElement('tr');
  tr.dataset.item = it.id;
  cell(tr, it.id);
  cell(tr, it.question);
  cell(tr, it.evidence);
  cell(tr, it.proposed);
  const sel = document.createElement('select');
  sel.setAttribute('aria-label', `Team's answer to ${it.id}`);
  for (const a of ANSWERS) {
    const o = document.createElement('option');
    o.value = a;
    o.textContent = a || '(not confirmed)';
    sel.append(o);
  }
  sel.value = it.answer || '';
  cell(tr, '').append(sel);
  const com = document.createElement('input');
  com.type = 'text';
  com.value = it.comment || '';
  com.setAttribute('aria-label', `Comment on ${it.id}`);
  cell(tr, '').append(com);
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = 'Save';
  b.addEventListener('click', async () => {
    try {
      await api('/api/selfcheck', { checklist: current, item: it.id, answer: sel.value, comment: com.value });
      await load(current);
    } catch (e) { showError(e); }
  });
  cell(tr, '').append(b);
  return tr;
}

async function load(id) {
  const r = await api(`/api/selfcheck?checklist=${encodeURIComponent(id || '')}`);
  current = r.checklist.id;
  const sel = document.getElementById('checklist');
  if (!sel.options.length) {
    for (const c of r.checklists) {
      const o = document.createElement('option');
      o.value = c.id;
      o.textContent = c.title;
      sel.append(o);
    }
    sel.addEventListener('change', () => load(sel.value).catch(showError));
  }
  sel.value = current;
  const n = r.counts;
  document.getElementById('counts').textContent =
    `yes ${n.yes}, no ${n.no}, unclear ${n.unclear}, not applicable ${n.na}; ${n.confirmed} confirmed by the team`;
  document.querySelector('#items tbody').replaceChildren(...r.items.map(row));
  document.getElementById('citation').textContent = `${r.checklist.citation} ${r.checklist.licence}`;
}

async function main() {
  const s = await session();
  if (s.role === 'advisor') { location.replace('/advisor.html'); return; }
  await load('');
}

main().catch(showError);
