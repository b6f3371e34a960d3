// lay.js: the team drafts the lay summary; readability is measured as they
// write (POST /api/lay/readability, nothing saved); each save is a version.
// Every text is set with textContent.
import { api, session, showError } from '/api.js';

function li(list, text) {
  const e = document.createElement('li');
  e.textContent = text;
  list.append(e);
}

function showReadability(r) {
  const box = document.getElementById('readability');
  const p = document.createElement('p');
  const f = r.flesch === null ? 'n/a' : r.flesch.toFixed(1);
  const m = r.mean_sentence_length === null ? 'n/a' : r.mean_sentence_length.toFixed(1);
  p.textContent = `Flesch reading ease ${f} (60-70 is plain English; higher is easier); ` +
    `${r.words} words, ${r.sentences} sentences, ${m} words a sentence.`;
  const ul = document.createElement('ul');
  for (const j of r.jargon) li(ul, `Jargon: "${j.word}": try "${j.plain}"`);
  for (const s of r.long_sentences) li(ul, `Long sentence (${s.words} words): ${s.sentence}`);
  if (r.long_words.length) li(ul, `Long words: ${r.long_words.join(', ')}`);
  box.replaceChildren(p, ul);
}

async function load() {
  const r = await api('/api/lay');
  document.getElementById('text').value = r.text;
  document.getElementById('state').textContent = (r.version ? `Version ${r.version}` : 'Not saved yet: the template filled from the review') +
    (r.shared ? `; version ${r.shared} is shared with advisors.` : '; nothing shared with advisors.');
  showReadability(r.readability);
  const c = document.getElementById('comments');
  c.replaceChildren();
  for (const x of r.comments) li(c, `${x.by} on ${x.on}: ${x.text} [${x.status}${x.change ? `: ${x.change}` : ''}]`);
  const v = document.getElementById('versions');
  v.replaceChildren();
  for (const x of r.versions) li(v, `v${x.version} ${x.at} by ${x.by}${x.shared ? ' (shared)' : ''}, ${x.comments} comments`);
}

let timer = null;
function measure() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    try {
      showReadability(await api('/api/lay/readability', { text: document.getElementById('text').value }));
    } catch (e) { showError(e); }
  }, 400);
}

async function main() {
  const s = await session();
  if (s.role === 'advisor') { location.replace('/lay-advisor.html'); return; }
  document.getElementById('text').addEventListener('input', measure);
  document.getElementById('save').addEventListener('click', async () => {
    try { await api('/api/lay', { text: document.getElementById('text').value }); await load(); } catch (e) { showError(e); }
  });
  document.getElementById('share').addEventListener('click', async () => {
    try { await api('/api/lay', { share: 0 }); await load(); } catch (e) { showError(e); }
  });
  document.getElementById('stop').addEventListener('click', async () => {
    try { await api('/api/lay', { share: -1 }); await load(); } catch (e) { showError(e); }
  });
  await load();
}

main().catch(showError);
