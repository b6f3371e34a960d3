// fulltext.js: the records sent on to full text. Attach a PDF (sent as
// application/pdf with the CSRF token), read it in the page (served back by
// the server from the review) or its extracted text, and decide with a
// reason from the review's list.
import { api, session, showError, ApiError } from '/api.js';
import { el, say, teamOnly } from '/review.js';

const $ = (id) => document.getElementById(id);
let me = null;
let data = null;
let current = null;

async function upload(rec, file) {
  if (!file) return;
  const r = await fetch(`/api/review/fulltext/pdf?record_id=${rec.record_id}`, {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { 'Content-Type': 'application/pdf', 'X-CSRF-Token': me.csrf },
  });
  const j = await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, (j && j.error) || r.statusText);
  await load(rec.record_id);
  say(`Attached ${file.name} to ${rec.source_key} (${j.pages} page${j.pages === 1 ? '' : 's'}).`);
}

function uploadForm(rec) {
  const input = el('input', { type: 'file', id: 'pdf-file', accept: 'application/pdf,.pdf' });
  const form = el('form', { id: 'upload', 'aria-label': 'Attach a PDF' },
    el('p', {}, el('label', { for: 'pdf-file', text: rec.fulltext === 'attached' ? 'Replace the PDF' : 'Attach the PDF' }), input),
    el('p', {}, el('button', { type: 'submit', text: 'Upload' })));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    upload(rec, input.files[0]).catch(showError);
  });
  return form;
}

function decideForm(rec) {
  const mine = rec.mine;
  const reason = el('select', { id: 'ft-reason' }, el('option', { value: '', text: '(choose a reason)' }),
    ...data.reasons.map((r) => el('option', { value: r, text: r, selected: mine && mine.reason === r })));
  const radios = ['include', 'exclude', 'unsure'].map((d) => el('label', { class: 'radio' },
    el('input', { type: 'radio', name: 'ft-decision', value: d, checked: mine && mine.decision === d, required: true }),
    d[0].toUpperCase() + d.slice(1)));
  const form = el('form', { id: 'ft-decide' },
    el('fieldset', {}, el('legend', { text: 'Your decision' }), radios),
    el('p', {}, el('label', { for: 'ft-reason', text: 'Reason (required to exclude)' }), reason),
    el('p', {}, el('button', { type: 'submit', text: 'Save decision' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const d = form.querySelector('input[name="ft-decision"]:checked');
    if (!d) { showError(new Error('Choose include, exclude or unsure.')); return; }
    const body = { record_id: rec.record_id, decision: d.value };
    if (reason.value) body.reason = reason.value;
    try {
      const r = await api('/api/review/fulltext/decide', body);
      await load(rec.record_id);
      say(`${rec.source_key}: ${r.decision} saved (now ${r.outcome}).`);
    } catch (e) { showError(e); }
  });
  return form;
}

async function showText(rec, box) {
  const t = await api(`/api/review/fulltext/text?record_id=${rec.record_id}`);
  box.replaceChildren(el('h3', { text: 'Extracted text' }),
    el('div', { class: 'fulltext', tabindex: '0', 'aria-label': 'Extracted text', text: t.text || '(no text)' }));
}

function detail(rec) {
  $('h-detail').textContent = `${rec.source_key}: ${rec.title || '(no title)'}`;
  const meta = el('p', { class: 'meta', text: [rec.authors.slice(0, 3).join('; '), rec.journal, rec.year].filter(Boolean).join(' · ') });
  const state = el('p', {}, 'Report: ', el('span', { class: 'tag', id: 'ft-state', text: rec.fulltext || 'not attached' }),
    ' · outcome: ', el('span', { class: 'tag', text: rec.outcome }));
  const parts = [meta, state];
  if (rec.fulltext === 'attached') {
    const src = `/api/review/fulltext/pdf?record_id=${rec.record_id}`;
    const textBox = el('div', { id: 'text-box' });
    parts.push(el('iframe', { class: 'viewer', id: 'pdf', src, title: `PDF of ${rec.source_key}` }),
      el('p', {}, el('a', { href: src, text: 'Open the PDF on its own' }), ' ',
        el('button', { type: 'button', class: 'secondary', id: 'b-text', text: 'Show the extracted text',
          onclick: () => showText(rec, textBox).catch(showError) })),
      textBox);
  }
  if (rec.fulltext !== 'not_retrieved') parts.push(uploadForm(rec));
  if (me.initials) parts.push(decideForm(rec));
  else parts.push(el('p', { class: 'meta', text: 'You act as no screening reviewer, so you cannot decide here.' }));
  $('detail-body').replaceChildren(...parts);
}

function select(id, focus) {
  current = data.records.find((r) => r.record_id === id) || null;
  for (const b of document.querySelectorAll('#records button'))
    b.setAttribute('aria-current', String(Number(b.dataset.id) === id));
  if (current) detail(current);
  if (focus) $('detail').focus();
}

async function load(keep) {
  data = await api('/api/review/fulltext');
  const attached = data.records.filter((r) => r.fulltext === 'attached').length;
  $('summary').textContent = `${data.records.length} records at full text, ${attached} with a PDF.`;
  $('records').replaceChildren(...data.records.map((r) => el('li', {},
    el('button', { type: 'button', 'data-id': String(r.record_id), onclick: () => select(r.record_id, true) },
      `${r.source_key} — ${r.title || '(no title)'}`, el('br'),
      el('span', { class: 'meta', text: `${r.fulltext || 'no PDF'} · ${r.mine ? `you: ${r.mine.decision}` : 'not decided by you'}` })))));
  if (keep) select(keep, false);
}

async function main() {
  me = await session();
  if (!teamOnly(me)) return;
  await load();
  const want = Number(new URLSearchParams(location.search).get('record'));
  if (want) select(want, false);
}

main().catch(showError);
