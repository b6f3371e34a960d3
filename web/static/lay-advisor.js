// lay-advisor.js: what advisors see of the lay summary: the shared version
// only (rendered by the library: escaped HTML, parsed here into inert
// nodes), their own comments and the team's responses.
import { api, session, showError } from '/api.js';

async function load(role) {
  const r = await api('/api/advisor/lay');
  const box = document.getElementById('summary');
  if (r.version === null) {
    const p = document.createElement('p');
    p.className = 'meta';
    p.textContent = 'Nothing has been shared yet.';
    box.replaceChildren(p);
    document.getElementById('comment-section').hidden = true;
    return;
  }
  const t = document.createElement('template');
  t.innerHTML = r.html;
  box.replaceChildren(t.content);
  const mine = document.getElementById('mine');
  mine.replaceChildren();
  for (const c of r.comments) {
    const li = document.createElement('li');
    li.textContent = `${c.text} [${c.status}${c.change ? `: ${c.change}` : ''}]`;
    mine.append(li);
  }
  document.getElementById('comment-section').hidden = role !== 'advisor';
}

async function main() {
  const s = await session();
  document.getElementById('send').addEventListener('click', async () => {
    try {
      await api('/api/advisor/lay', { text: document.getElementById('comment').value });
      document.getElementById('comment').value = '';
      await load(s.role);
    } catch (e) { showError(e); }
  });
  await load(s.role);
}

main().catch(showError);
