// appraise.js: per included study, the extraction form and the appraisal
// checklist (CASP and the review's own questions) as labelled forms, each
// saved as the user's own ratings; the owner compares the raters.
import { api, session, showError } from '/api.js';
import { el, pagedList, say, teamOnly } from '/review.js';

const $ = (id) => document.getElementById(id);
let me = null;
let list = null;

function fieldInput(f, values) {
  const id = `f-${f.name}`;
  const v = values[f.name] ?? '';
  if (f.type === 'count') {
    return el('fieldset', { class: 'field' }, el('legend', { text: `${f.label} (number per group)` }),
      f.options.map((g) => el('p', {}, el('label', { for: `${id}-${g}`, text: g }),
        el('input', { id: `${id}-${g}`, name: `${f.name}.${g}`, inputmode: 'numeric', value: values[`${f.name}.${g}`] ?? '' }))));
  }
  if (f.type === 'multi') {
    const have = String(v).split(';').map((s) => s.trim()).filter(Boolean);
    return el('fieldset', { class: 'field multi', 'data-name': f.name }, el('legend', { text: f.label }),
      f.options.map((o) => el('label', { class: 'radio' },
        el('input', { type: 'checkbox', value: o, checked: have.includes(o) }), o)));
  }
  let input;
  if (f.type === 'choice' || f.type === 'yesno') {
    const opts = f.type === 'yesno' ? ['yes', 'no'] : f.options;
    input = el('select', { id, name: f.name }, el('option', { value: '', text: '(not given)' }),
      opts.map((o) => el('option', { value: o, text: o, selected: o === v })));
  } else if (f.name === 'aim' || f.name === 'notes' || f.name === 'analysis') {
    input = el('textarea', { id, name: f.name, rows: '2' });
    input.value = v;
  } else {
    input = el('input', { id, name: f.name, value: v, inputmode: f.type === 'number' ? 'decimal' : null });
  }
  const hint = f.type === 'country' ? ' (several with “; ”)' : '';
  return el('p', {}, el('label', { for: id, text: f.label + hint }), input);
}

function extractForm(s) {
  const form = el('form', { id: 'extract', 'aria-labelledby': 'h-extract' },
    el('h3', { id: 'h-extract', text: 'Extraction form' }),
    s.form.map((f) => fieldInput(f, s.values)),
    el('p', {}, el('button', { type: 'submit', text: 'Save the form' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = {};
    for (const i of form.querySelectorAll('input[name], select[name], textarea[name]')) values[i.name] = i.value.trim();
    for (const fs of form.querySelectorAll('fieldset.multi')) {
      values[fs.dataset.name] = [...fs.querySelectorAll('input:checked')].map((c) => c.value).join('; ');
    }
    // Only what changed: an untouched empty field is not a value to check.
    for (const k of Object.keys(values)) if (values[k] === (s.values[k] ?? '')) delete values[k];
    try {
      const r = await api('/api/review/extract', { study: s.study, values });
      s.values = r.values;
      say(`Form of ${s.label} saved.`);
    } catch (e) { showError(e); }
  });
  return form;
}

function question(q, cl, mine, i) {
  const id = `q-${q.id}`;
  const have = mine[q.id] || {};
  const parts = [el('legend', { text: `${i + 1}. ${q.text}` })];
  if (q.type === 'rating') {
    const labels = cl.answer_labels || {};
    parts.push(el('div', { class: 'answers' },
      cl.answers.map((a) => el('label', { class: 'radio' },
        el('input', { type: 'radio', name: id, value: a, checked: have.answer === a }), labels[a] || a))));
    const c = el('textarea', { id: `${id}-c`, 'data-comment': q.id, rows: '1' });
    c.value = have.comment || '';
    parts.push(el('label', { for: c.id, text: 'Comment' }), c);
  } else {
    const t = el('textarea', { id: `${id}-t`, 'data-text': q.id, rows: '2' });
    t.value = have.answer || '';
    parts.push(el('label', { for: t.id, text: 'Answer' }), t);
  }
  return el('fieldset', { 'data-q': q.id }, parts);
}

function appraiseForm(s) {
  const cl = s.checklist;
  const cons = me.role === 'owner'
    ? el('p', {}, el('label', { class: 'radio' }, el('input', { type: 'checkbox', id: 'consensus' }),
      'Save as the agreed (consensus) answers'))
    : null;
  const form = el('form', { id: 'appraise', 'aria-labelledby': 'h-appraise' },
    el('h3', { id: 'h-appraise', text: `${cl.title}: your ratings (${s.rater})` }),
    cl.questions.map((q, i) => [
      q.section && q.section !== (cl.questions[i - 1] || {}).section ? el('h4', { text: q.section }) : null,
      question(q, cl, s.ratings, i)]), cons,
    el('p', {}, el('button', { type: 'submit', text: 'Save my ratings' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const ratings = {};
    for (const fs of form.querySelectorAll('fieldset[data-q]')) {
      const q = fs.dataset.q;
      const r = fs.querySelector('input[type="radio"]:checked');
      const t = fs.querySelector('textarea[data-text]');
      const c = fs.querySelector('textarea[data-comment]');
      const answer = r ? r.value : t ? t.value.trim() : '';
      if (answer) ratings[q] = { answer, comment: c ? c.value.trim() : '' };
    }
    const body = { study: s.study, ratings };
    if (cons && $('consensus').checked) body.consensus = true;
    try {
      const r = await api('/api/review/appraise', body);
      say(`${r.saved} rating${r.saved === 1 ? '' : 's'} of ${s.label} saved as ${r.rater}.`);
    } catch (e) { showError(e); }
  });
  return form;
}

async function open(key) {
  const s = await api(`/api/review/study?study=${encodeURIComponent(key)}`);
  for (const b of document.querySelectorAll('#studies button')) b.setAttribute('aria-current', String(b.dataset.key === key));
  $('h-detail').textContent = `${s.label} (${s.study})`;
  $('detail-body').replaceChildren(extractForm(s), appraiseForm(s));
  $('detail').focus();
}

async function compare() {
  const c = await api('/api/review/appraise/compare');
  $('h-detail').textContent = 'Double rating: raters compared';
  const a = c.agreement;
  const summary = a.none ? el('p', { text: a.none })
    : el('p', { text: `${a.reviewers.join(' and ')}: ${a.agreed} of ${a.items} answers agree (${Number(a.percent).toFixed(1)}%), ` +
      `kappa ${a.kappa === null ? 'undefined' : Number(a.kappa).toFixed(2)}.` });
  const rows = c.discrepancies.map((d) => el('tr', {},
    el('td', { text: d.study }), el('td', { text: d.question }),
    el('td', { text: Object.entries(d.answers).map(([k, v]) => `${k}: ${v}`).join('; ') }),
    el('td', { text: d.resolved ? `agreed: ${d.consensus}` : 'open' })));
  const table = el('table', { class: 'align' },
    el('caption', { text: `${c.discrepancies.length} answers differ` }),
    el('thead', {}, el('tr', {}, ['Study', 'Question', 'Answers', 'Consensus'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows));
  $('detail-body').replaceChildren(summary, table);
  $('detail').focus();
}

async function main() {
  me = await session();
  if (!teamOnly(me)) return;
  list = await api('/api/review/studies');
  $('summary').textContent = `${list.studies.length} included studies; checklist: ${list.checklist.title}; you rate as ${list.rater}.`;
  pagedList($('studies'), (s) => el('li', {},
    el('button', { type: 'button', 'data-key': s.study, onclick: () => open(s.study).catch(showError) },
      `${s.label}`, el('br'), el('span', { class: 'meta', text: s.title || '' }))),
  (s) => `${s.label} ${s.title || ''} ${s.study}`, { label: 'Find a study', size: 25 })(list.studies);
  if (me.role === 'owner') {
    $('compare-link').hidden = false;
    $('b-compare').addEventListener('click', () => compare().catch(showError));
  }
}

main().catch(showError);
