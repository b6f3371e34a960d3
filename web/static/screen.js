// screen.js: the screener. Keys i / e / u decide; exclude asks for a reason;
// the next record comes at once. Blinding is the server's: the page is only
// ever given the record and the user's own progress.
import { api, session, showError } from '/api.js';

const stage = 'ta';
let current = null;
let busy = false;
const $ = (id) => document.getElementById(id);

function show(n) {
  const p = n.progress;
  $('progress').max = Math.max(p.pool, 1);
  $('progress').value = p.mine;
  $('progress-text').textContent = `${p.mine} decided, ${p.to_do} to do`;
  const sel = $('reason');
  sel.replaceChildren(new Option('(no reason)', ''), ...n.reasons.map((r) => new Option(r, r)));
  current = n.record;
  if (!current) {
    $('rec-title').textContent = 'Nothing left to screen at this stage.';
    $('rec-meta').textContent = '';
    $('rec-abstract').textContent = '';
    $('actions').hidden = true;
    return;
  }
  $('actions').hidden = false;
  $('rec-title').textContent = current.title || '(no title)';
  const authors = current.authors.length > 3 ? `${current.authors.slice(0, 3).join('; ')} et al.`
    : current.authors.join('; ');
  $('rec-meta').textContent = [authors, current.journal, current.year].filter(Boolean).join(' · ');
  $('rec-abstract').textContent = current.abstract || '(no abstract)';
  $('record').focus();
}

async function next() {
  show(await api(`/api/screen/next?stage=${stage}`));
}

async function decide(decision, reason) {
  if (!current || busy) return;
  busy = true;
  try {
    const body = { record_id: current.id, stage, decision };
    if (reason) body.reason = reason;
    await api('/api/screen/decide', body);
    $('status').textContent = `Record ${current.id}: ${decision}.`;
    await next();
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
  }
}

function askReason() {
  if (!current) return;
  $('reason-form').hidden = false;
  $('reason').focus();
}

function closeReason() {
  $('reason-form').hidden = true;
  $('record').focus();
}

$('b-include').addEventListener('click', () => decide('include'));
$('b-unsure').addEventListener('click', () => decide('unsure'));
$('b-exclude').addEventListener('click', askReason);
$('reason-cancel').addEventListener('click', closeReason);
$('reason-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const r = $('reason').value;
  $('reason-form').hidden = true;
  decide('exclude', r);
});
document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
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
});

session().then(next).catch(showError);
