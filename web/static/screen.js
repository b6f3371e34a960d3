// screen.js: the screener. Keys i / e / u decide, z undoes, s skips, b goes
// back, n takes a note, ? toggles the help; exclude asks for a reason. As in
// the terminal screener: the session's records are listed beside the record
// (choose one to see it again and change your decision), and the stopping
// line is read again after every decision. The record after the current one is
// fetched while the reviewer reads (prefetch), so the next one shows as soon
// as the decision is acknowledged. Order, blinding and undo rules are the
// server's: the page is only given the record and the user's own progress.
import { api, session, showError } from '/api.js';

const stage = 'ta';
let order = 'auto';      // or 'random': the stopping rule's sample
let current = null;      // the answer of /api/screen/next on screen
let prefetch = null;     // a promise of the answer after it
let keywords = { include: [], exclude: [] };
let prog = { pool: 0, mine: 0, to_do: 0 };  // counted here between refreshes
let busy = false;
let note = '';           // kept for the record on screen, saved with the decision
let revisit = null;      // a record of this session shown again (back, or the list)
const history = [];      // this session: { record, decision }, oldest first
const $ = (id) => document.getElementById(id);

function clearError() { $('error').hidden = true; }

// Text with the keywords marked, case-insensitive, as whole words; a
// trailing * is a truncation (child* marks children), as in the search
// syntax. Built from nodes, never HTML.
function highlighted(text) {
  const words = [];
  for (const [cls, list] of [['kw-in', keywords.include], ['kw-ex', keywords.exclude]])
    for (const w of list) {
      const trunc = /\*$/.test(w);
      const t = w.replace(/\*+$/, '').trim();
      if (t) words.push({ t: t.toLowerCase(), trunc, cls });
    }
  if (!words.length) return [document.createTextNode(text)];
  words.sort((a, b) => b.t.length - a.t.length);
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alt = words.map((w) => `(${esc(w.t)}${w.trunc ? '[\\p{L}\\p{N}]*' : ''})`).join('|');
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alt})(?![\\p{L}\\p{N}])`, 'giu');
  const out = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    const mark = document.createElement('mark');
    const k = m.slice(1).findIndex((g) => g !== undefined);
    mark.className = k >= 0 ? words[k].cls : 'kw-in';
    mark.textContent = m[0];
    out.push(mark);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

function whyLine(o) {
  if (!o) return '';
  if (o.used === 'prioritised') {
    const terms = o.terms.length ? `; strongest terms: ${o.terms.join(', ')}` : '';
    return `Why here: prioritised order, score ${o.score.toFixed(2)}${terms} ` +
      `(model learnt from ${o.labelled} decisions, ${o.relevant} relevant).`;
  }
  if (o.why_not) return `Why here: ${o.why_not}.`;
  if (o.used === 'random' && order === 'random')
    return 'Why here: drawn at random from the records left, for the stopping test\'s sample.';
  return `Why here: ${o.used} order.`;
}

function showProgress() {
  $('progress').max = Math.max(prog.pool, 1);
  $('progress').value = prog.mine;
  $('progress-text').textContent = `${prog.mine} decided, ${prog.to_do} to do`;
}

// The exact counts and the stopping estimate: they read the whole stage, so
// they come after the record (never before it), after every decision.
async function refresh() {
  try {
    const r = await api(`/api/screen/progress?stage=${stage}`);
    prog = r.progress;
    showProgress();
    // Silent until it has something true to say, as in the terminal
    // screener (qes_rank_stop_worth_saying): a random sample, or a long run
    // without an include that is the cue to start one.
    $('stopping').textContent = r.stopping.worth_saying ? `Stopping: ${r.stopping.sentence}` : '';
  } catch (e) {
    $('stopping').textContent = '';
  }
}

function showNote() {
  $('note-shown').hidden = !note;
  $('note-shown').textContent = note ? `Note: ${note}` : '';
}

function showHistory() {
  $('session-empty').hidden = history.length > 0;
  const here = current && current.record && current.record.id;
  $('history').replaceChildren(...history.slice().reverse().map((h) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('aria-current', String(h.record.id === here));
    const dec = document.createElement('span');
    dec.className = 'dec';
    dec.textContent = h.decision;
    b.append(dec, ` · ${h.record.title || '(no title)'}`);
    b.addEventListener('click', () => again(h));
    li.append(b);
    return li;
  }));
}

function show(n) {
  current = n;
  note = '';
  showNote();
  $('note-form').hidden = true;
  if (n.progress) prog = n.progress;
  showProgress();
  const sel = $('reason');
  sel.replaceChildren(new Option('(no reason)', ''), ...n.reasons.map((r) => new Option(r, r)));
  const rec = n.record;
  prefetch = null;
  if (!rec) {
    $('rec-title').textContent = 'Nothing left to screen at this stage.';
    $('rec-meta').textContent = '';
    $('rec-abstract').textContent = '';
    $('rec-keywords').textContent = '';
    $('why').textContent = '';
    for (const b of ['b-include', 'b-exclude', 'b-unsure']) $(b).hidden = true;
    refresh();
    return;
  }
  for (const b of ['b-include', 'b-exclude', 'b-unsure']) $(b).hidden = false;
  $('rec-title').replaceChildren(...highlighted(rec.title || '(no title)'));
  const authors = rec.authors.length > 3 ? `${rec.authors.slice(0, 3).join('; ')} et al.`
    : rec.authors.join('; ');
  $('rec-meta').textContent = [authors, rec.journal, rec.year, rec.doi && `doi:${rec.doi}`]
    .filter(Boolean).join(' · ');
  $('rec-abstract').replaceChildren(...highlighted(rec.abstract || '(no abstract)'));
  $('rec-keywords').replaceChildren(...(rec.keywords && rec.keywords.length
    ? highlighted(`Keywords: ${rec.keywords.join('; ')}`) : []));
  $('why').textContent = whyLine(n.order);
  $('record').focus();
  showHistory();
  // The record after this one, while the reviewer reads.
  prefetch = api(`/api/screen/next?stage=${stage}&order=${order}&after=${rec.id}`)
    .catch(() => null);
  prefetch.then(refresh);
}

// A record of this session again (b, or chosen in the list): deciding
// changes the decision, then the screener goes on where it was.
function again(h) {
  if (busy || !current) return;
  const keep = current.reasons;
  revisit = h;
  show({ record: h.record, order: null, reasons: keep, progress: null });
  $('why').textContent = `Your decision: ${h.decision}. Decide again to change it; s goes on.`;
  $('status').textContent = `Back to record ${h.record.id}.`;
}

function back() {
  if (!history.length) { $('status').textContent = 'Nothing to go back to yet.'; return; }
  const at = revisit ? history.indexOf(revisit) : history.length;
  again(history[Math.max(0, at - 1)]);
}

async function skip() {
  if (busy || !current || !current.record) return;
  clearError();
  const id = current.record.id;
  try {
    if (revisit) { revisit = null; await next(); return; }
    const n = prefetch && await prefetch;
    if (n && n.record && n.record.id !== id) {
      show(n);
      $('status').textContent = `Record ${id} skipped: it stays for later.`;
    } else {
      $('status').textContent = 'Nothing else to screen now; this record stays.';
    }
  } catch (e) {
    showError(e);
  }
}

function askNote() {
  if (!current || !current.record) return;
  $('note').value = note;
  $('note-form').hidden = false;
  $('note').focus();
}

async function next() {
  show(await api(`/api/screen/next?stage=${stage}&order=${order}`));
}

async function decide(decision, reason) {
  if (!current || !current.record || busy) return;
  busy = true;
  clearError();
  const id = current.record.id;
  const ahead = prefetch;
  try {
    const body = { record_id: id, stage, decision, order };
    if (reason) body.reason = reason;
    if (note) body.note = note;
    const saved = note;
    await api('/api/screen/decide', body);
    const old = history.find((h) => h.record.id === id);
    if (old) old.decision = decision;
    else history.push({ record: current.record, decision });
    if (!old) {
      prog.mine += 1;
      prog.to_do = Math.max(0, prog.to_do - 1);
    }
    const was = revisit;
    revisit = null;
    const n = !was && ahead && await ahead;
    if (n && n.record && n.record.id !== id) {
      show(n);
    } else {
      await next();
    }
    $('status').textContent = `Record ${id}: ${decision}${saved ? ' (note saved)' : ''}.`;
  } catch (e) {
    showError(e);
    if (e.status === 409) await next().catch(showError);  // someone else was quicker
  } finally {
    busy = false;
  }
}

async function undo() {
  if (busy) return;
  busy = true;
  clearError();
  try {
    const u = await api('/api/screen/undo', { stage });
    if (!u.record) {
      $('status').textContent = 'Nothing to undo.';
      return;
    }
    const i = history.findIndex((h) => h.record.id === u.record.id);
    if (i >= 0) history.splice(i, 1);
    revisit = null;
    const n = await api(`/api/screen/next?stage=${stage}&order=${order}`);
    n.record = u.record;
    n.order = null;
    show(n);
    $('status').textContent = `Record ${u.record.id}: decision undone; decide again.`;
    $('why').textContent = 'Why here: you undid your decision on it.';
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
  }
}

function askReason() {
  if (!current || !current.record) return;
  $('reason-form').hidden = false;
  $('reason').focus();
}

function closeReason() {
  $('reason-form').hidden = true;
  $('record').focus();
}

// Each keyword with a button that removes it (the server allows an owner,
// or the reviewer who added it; anyone else is told 403).
function showKeywords() {
  const out = [];
  for (const [label, list] of [['include', keywords.include], ['exclude', keywords.exclude]]) {
    if (!list.length) continue;
    if (out.length) out.push(' · ');
    out.push(`${label}: `);
    list.forEach((w, i) => {
      if (i) out.push(', ');
      const word = document.createElement('bdi');
      word.textContent = w;
      const rm = document.createElement('button');
      rm.type = 'button';
      rm.className = 'kw-remove';
      rm.textContent = '×';
      rm.setAttribute('aria-label', `Remove keyword ${w}`);
      rm.addEventListener('click', () => removeKeyword(w));
      out.push(word, rm);
    });
  }
  if (out.length) $('kw-list').replaceChildren(...out);
  else $('kw-list').textContent = 'No keywords yet.';
}

async function removeKeyword(word) {
  clearError();
  try {
    keywords = await api('/api/screen/keywords/remove', { word });
    showKeywords();
    if (current) {
      const keep = prefetch;
      show(current);
      prefetch = keep;
    }
  } catch (e) {
    showError(e);
  }
}

async function addKeyword(ev) {
  ev.preventDefault();
  const word = $('kw-word').value.trim();
  if (!word) return;
  clearError();
  try {
    keywords = await api('/api/screen/keywords', { word, exclude: $('kw-exclude').checked });
    $('kw-word').value = '';
    showKeywords();
    if (current) {
      const keep = prefetch;
      show(current);
      prefetch = keep;
    }
  } catch (e) {
    showError(e);
  }
}

$('b-include').addEventListener('click', () => decide('include'));
$('b-unsure').addEventListener('click', () => decide('unsure'));
$('b-exclude').addEventListener('click', askReason);
$('b-undo').addEventListener('click', undo);
$('reason-cancel').addEventListener('click', closeReason);
$('b-skip').addEventListener('click', skip);
$('b-back').addEventListener('click', back);
$('b-note').addEventListener('click', askNote);
$('note-cancel').addEventListener('click', () => { $('note-form').hidden = true; $('record').focus(); });
$('note-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  note = $('note').value.trim();
  $('note-form').hidden = true;
  showNote();
  $('status').textContent = note ? 'Note kept: it is saved with your decision on this record.'
    : 'No note.';
  $('record').focus();
});
$('kw-form').addEventListener('submit', addKeyword);
$('order').addEventListener('change', async () => {
  if (busy) return;
  order = $('order').value;
  clearError();
  prefetch = null;
  try {
    await next();
    $('status').textContent = order === 'random'
      ? 'Random sample: records drawn at random from those left.'
      : 'Prioritised order: the model\'s best first.';
    refresh();
  } catch (e) {
    showError(e);
  }
});
$('reason-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const r = $('reason').value;
  $('reason-form').hidden = true;
  decide('exclude', r);
});
document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (!$('note-form').hidden) {
    if (ev.key === 'Escape') { $('note-form').hidden = true; $('record').focus(); }
    return;
  }
  if (!$('reason-form').hidden) {
    if (ev.key === 'Escape') closeReason();
    // A select does not submit its form on Enter by itself.
    else if (ev.key === 'Enter' && ev.target === $('reason')) {
      ev.preventDefault();
      $('reason-form').requestSubmit();
    }
    return;
  }
  const t = ev.target;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
  if (ev.key === 'i') { ev.preventDefault(); decide('include'); }
  else if (ev.key === 'u') { ev.preventDefault(); decide('unsure'); }
  else if (ev.key === 'e') { ev.preventDefault(); askReason(); }
  else if (ev.key === 'z') { ev.preventDefault(); undo(); }
  else if (ev.key === 's') { ev.preventDefault(); skip(); }
  else if (ev.key === 'b') { ev.preventDefault(); back(); }
  else if (ev.key === 'n') { ev.preventDefault(); askNote(); }
  else if (ev.key === '?') { ev.preventDefault(); $('keys-help').hidden = !$('keys-help').hidden; }
});

session()
  .then(() => api('/api/screen/keywords'))
  .then((k) => { keywords = k; showKeywords(); })
  .then(next)
  .catch(showError);
