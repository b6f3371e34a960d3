// conflicts.js: screening conflicts side by side, resolved with a decision
// and a reason. What each reviewer decided comes from the server only when
// the library's blinding lets this user see it; who may resolve is checked
// there too (a refusal is shown as the server words it).
import { api, session, showError } from '/api.js';
import { el, say, teamOnly, names } from '/review.js';

const $ = (id) => document.getElementById(id);
let me = null;

function side(d) {
  const dec = d.decision || 'hidden';
  return el('div', { class: `side dec-${dec}` },
    el('h3', { text: `Reviewer ${d.initials}` }),
    el('p', {}, el('span', { class: 'tag', text: d.decision || 'not shown to you' })),
    el('p', { class: 'meta', text: d.reason ? `Reason: ${d.reason}` : 'No reason given' }));
}

function resolveForm(c, stage, reasons) {
  const id = `r${c.record_id}`;
  const decided = c.decisions.some((d) => d.initials === me.initials);
  const form = el('form', { class: 'resolve', 'aria-label': `Resolve record ${c.source_key}` });
  const decision = el('select', { id: `${id}-dec`, name: 'decision' },
    el('option', { value: 'include', text: 'Include' }),
    el('option', { value: 'exclude', text: 'Exclude' }),
    el('option', { value: 'unsure', text: 'Unsure' }));
  const method = el('select', { id: `${id}-method`, name: 'method' },
    el('option', { value: 'consensus', text: 'Consensus', selected: decided || me.role === 'owner' }),
    el('option', { value: 'third', text: 'Third reviewer', selected: !decided && me.role !== 'owner' }));
  const reason = el('select', { id: `${id}-reason`, name: 'reason' },
    el('option', { value: '', text: '(no reason)' }), ...reasons.map((r) => el('option', { value: r, text: r })));
  const note = el('input', { id: `${id}-note`, name: 'note', autocomplete: 'off' });
  form.append(
    el('fieldset', {}, el('legend', { text: 'Resolution' }),
      el('p', {}, el('label', { for: decision.id, text: 'Decision' }), decision),
      el('p', {}, el('label', { for: method.id, text: 'Method' }), method),
      el('p', {}, el('label', { for: reason.id, text: 'Reason (needed to exclude at full text)' }), reason),
      el('p', {}, el('label', { for: note.id, text: 'Note' }), note),
      el('p', {}, el('button', { type: 'submit', text: 'Resolve' }))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { record_id: c.record_id, stage, decision: decision.value, method: method.value };
    if (reason.value) body.reason = reason.value;
    if (note.value) body.note = note.value;
    try {
      const r = await api('/api/review/conflicts/resolve', body);
      await load(true);
      say(`Record ${c.source_key} resolved: ${r.decision} (now ${r.outcome}).`);
    } catch (e) { showError(e); }
  });
  return form;
}

function card(c, stage, reasons) {
  const h = el('h2', { id: `h-${c.record_id}`, text: `${c.source_key}: ${c.title || '(no title)'}` });
  const sides = c.decisions.length
    ? el('div', { class: 'pair' }, c.decisions.map(side))
    : el('p', { class: 'meta', text: 'The decisions are not shown to you.' });
  const res = c.resolved
    ? el('p', {}, el('strong', { text: `Resolved: ${c.resolved.decision}` }),
      ` by ${c.resolved.by} (${c.resolved.method})${c.resolved.reason ? `, ${c.resolved.reason}` : ''}`)
    : resolveForm(c, stage, reasons);
  return el('article', { class: 'card conflict', 'aria-labelledby': h.id, 'data-record': c.source_key }, h, sides, res);
}

async function load(keepFocus) {
  const stage = $('stage').value;
  const all = $('all').checked ? '&all=1' : '';
  const r = await api(`/api/review/conflicts?stage=${stage}${all}`);
  const open = r.conflicts.filter((c) => !c.resolved).length;
  $('summary').textContent = `${names[stage]}: ${open} open conflict${open === 1 ? '' : 's'}` +
    (all ? `, ${r.conflicts.length - open} resolved` : '') + '.';
  $('list').replaceChildren(...r.conflicts.map((c) => card(c, stage, r.reasons)));
  if (keepFocus) $('summary').focus();
}

async function main() {
  me = await session();
  if (!teamOnly(me)) return;
  $('summary').tabIndex = -1;
  const st = new URLSearchParams(location.search).get('stage');
  if (st === 'ft') $('stage').value = 'ft';
  $('stage').addEventListener('change', () => load().catch(showError));
  $('all').addEventListener('change', () => load().catch(showError));
  await load();
}

main().catch(showError);
