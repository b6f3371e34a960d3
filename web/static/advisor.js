// advisor.js: the advisory group's page. Shows the view the server builds
// for advisors (only what the team shared, never a held-back quote) and
// lets an advisor comment on a theme or finding and follow the responses.
import { api, session, showError } from '/api.js';
import { textEl as el } from '/review.js';

const statusWords = {
  pending: 'Waiting for the team', adopted: 'Adopted', partly: 'Partly adopted',
  not_adopted: 'Not adopted',
};

function quotes(list) {
  const ul = el('ul', undefined, 'quotes');
  for (const q of list) {
    const li = el('li');
    const bq = el('blockquote', `“${q.text}”`);
    const who = [q.role || q.perspective, q.study].filter(Boolean).join(', ');
    li.append(bq, el('p', who, 'meta'));
    ul.append(li);
  }
  return ul;
}

let canComment = false;
let uid = 0;

// A small form under a theme or finding: "theme:NAME" / "finding:KEY".
function commentForm(on, label) {
  const f = el('form', undefined, 'comment-form');
  const id = `c-${++uid}`;
  const l = el('label', `Your comment on ${label}`);
  l.htmlFor = id;
  const t = el('textarea');
  t.id = id; t.rows = 2; t.maxLength = 4000; t.required = true;
  const b = el('button', 'Send comment');
  b.type = 'submit';
  f.append(l, t, b);
  f.addEventListener('submit', (ev) => { ev.preventDefault(); send(on, t); });
  return f;
}

function card(title, level, body, on) {
  const art = el('article', undefined, 'card');
  const h = el('h3', title);
  art.append(h);
  if (level) art.append(el('p', level, 'meta'));
  art.append(...body);
  if (canComment) art.append(commentForm(on, title));
  return art;
}

function render(view) {
  const themes = document.getElementById('themes');
  themes.replaceChildren(...view.themes.map((t) => card(t.theme,
    t.level === 'analytical' ? 'Analytical theme' : t.level === 'subtheme' ? 'Subtheme' : 'Descriptive theme',
    [el('p', t.description || ''), quotes(t.quotes)], `theme:${t.theme}`)));
  if (!view.themes.length) themes.replaceChildren(el('p', 'Nothing has been shared yet.', 'meta'));
  const findings = document.getElementById('findings');
  findings.replaceChildren(...view.findings.map((f) => card(f.statement,
    f.confidence ? `Confidence in this finding: ${f.confidence}` : 'Confidence not yet assessed',
    [quotes(f.quotes)], `finding:${f.finding}`)));
  if (!view.findings.length) findings.replaceChildren(el('p', 'No findings shared yet.', 'meta'));
}

async function loadMine() {
  const r = await api('/api/advisor/comments');
  const ul = document.getElementById('mine');
  ul.replaceChildren(...r.comments.map((c) => {
    const li = el('li', undefined, 'card');
    li.append(el('p', c.text), el('p', `${c.on ? `On ${c.on}. ` : ''}${statusWords[c.status] || c.status}`, 'meta'));
    if (c.change) li.append(el('p', `The team: ${c.change}`));
    return li;
  }));
  if (!r.comments.length) ul.replaceChildren(el('li', 'You have not commented yet.', 'meta'));
}

async function send(on, textarea) {
  const text = textarea.value.trim();
  if (!text) return;
  try {
    await api('/api/advisor/comments', on ? { text, on } : { text });
    textarea.value = '';
    document.getElementById('status').textContent = 'Thank you: your comment was sent to the team.';
    await loadMine();
  } catch (e) { showError(e); }
}

async function main() {
  const s = await session();
  canComment = s.role === 'advisor';
  document.getElementById('preview').hidden = canComment;
  // The dashboard is the team's; an advisor's whole site is this page.
  document.getElementById('mine-section').hidden = !canComment;
  render(await api('/api/advisor/view'));
  if (canComment) {
    document.getElementById('general-form').addEventListener('submit', (ev) => {
      ev.preventDefault(); send(null, document.getElementById('general-text'));
    });
    await loadMine();
  }
}

main().catch(showError);
