// synthesis.js: the synthesis tables as the report shows them. The server
// sends each table as an HTML fragment the library built and escaped; it
// is parsed here into inert nodes (no script can run: the page's CSP
// allows none inline, and a <template> does not execute anything).
import { api, session, showError } from '/api.js';

function put(id, html) {
  const box = document.getElementById(id);
  const t = document.createElement('template');
  t.innerHTML = html || '';
  const table = t.content.querySelector('table');
  if (!table || !table.querySelector('tbody tr, tr + tr')) {
    const p = document.createElement('p');
    p.className = 'meta';
    p.textContent = 'Nothing yet.';
    box.replaceChildren(p);
    return;
  }
  box.replaceChildren(t.content);
}

async function main() {
  const s = await session();
  if (s.role === 'advisor') { location.replace('/advisor.html'); return; }
  const r = await api('/api/synthesis/tables');
  for (const k of ['themes', 'matrix', 'framework', 'soqf', 'profile', 'leag', 'entreq']) put(`t-${k}`, r[k]);
}

main().catch(showError);
