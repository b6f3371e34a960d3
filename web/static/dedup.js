// dedup.js: the queue of possible duplicate pairs, fields aligned side by
// side with the differing rows marked; each decision (same work, different
// works, skip) is one transaction on the server.
import { api, session, showError } from '/api.js';
import { el, say, teamOnly } from '/review.js';

const $ = (id) => document.getElementById(id);

function table(p) {
  const rows = p.fields.map((f) => el('tr', { class: f.same ? null : 'diff' },
    el('th', { scope: 'row', text: f.name }),
    el('td', { text: f.a ?? '—' }),
    el('td', { text: f.b ?? '—' })));
  return el('table', { class: 'align' },
    el('caption', { class: 'meta', text: `Rules: ${p.reason || p.verdict}` }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Field' }),
      el('th', { scope: 'col', text: `Record ${p.key_a}` }), el('th', { scope: 'col', text: `Record ${p.key_b}` }))),
    el('tbody', {}, rows));
}

async function decide(p, decision) {
  try {
    const r = await api('/api/review/dedup/decide', { a: p.a, b: p.b, decision });
    const words = { merge: 'the same work (merged)', distinct: 'different works', skip: 'skipped' };
    await load();
    say(`${p.key_a} and ${p.key_b}: ${words[decision]}. ${r.works} works; ${r.pending} pairs left.`);
    const next = document.querySelector('#list button');
    if (next) next.focus();
  } catch (e) { showError(e); }
}

function card(p, i) {
  const h = el('h2', { id: `h-pair-${p.id}`, text: `Pair ${i + 1}: ${p.key_a} and ${p.key_b}` });
  return el('article', { class: 'card pair-card', 'aria-labelledby': h.id, 'data-pair': `${p.key_a}-${p.key_b}` }, h,
    p.status === 'skip' ? el('p', { class: 'meta', text: 'Skipped earlier.' }) : null,
    table(p),
    el('div', { class: 'choices', role: 'group', 'aria-label': `Decision on ${p.key_a} and ${p.key_b}` },
      el('button', { type: 'button', text: 'Same work: merge', onclick: () => decide(p, 'merge') }),
      el('button', { type: 'button', text: 'Different works', onclick: () => decide(p, 'distinct') }),
      el('button', { type: 'button', class: 'secondary', text: 'Skip for now', onclick: () => decide(p, 'skip') })));
}

async function load() {
  const r = await api('/api/review/dedup');
  const n = r.pairs.length;
  $('summary').textContent = `${n} pair${n === 1 ? '' : 's'} to review; ${r.counts.records} records, ` +
    `${r.counts.works} works, ${r.counts.decided} pairs decided.`;
  $('list').replaceChildren(...r.pairs.map(card));
}

async function main() {
  const s = await session();
  if (!teamOnly(s)) return;
  await load();
}

main().catch(showError);
