// api.js: the JSON API, the session (CSRF token) and errors, for every page.
let csrf = null;

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(path, body) {
  const opts = { method: body === undefined ? 'GET' : 'POST', headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    if (csrf) opts.headers['X-CSRF-Token'] = csrf;
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) throw new ApiError(r.status, (data && data.error) || r.statusText);
  return data;
}

// One navigation per role, the same on every page (the pages' own <nav>
// is only what shows before the session is known).
const TEAM_NAV = [
  ['/dashboard.html', 'Dashboard'], ['/screen.html', 'Screen'], ['/conflicts.html', 'Conflicts'],
  ['/dedup.html', 'Duplicates'], ['/fulltext.html', 'Full texts'], ['/appraise.html', 'Appraisal'],
  ['/prisma.html', 'PRISMA'], ['/code.html', 'Coding'], ['/themes.html', 'Themes'],
  ['/queries.html', 'Queries'], ['/synthesis.html', 'Synthesis'], ['/selfcheck.html', 'Self-appraisal'],
  ['/advisor.html', 'Advisory group'], ['/lay.html', 'Lay summary'], ['/account.html', 'Account'],
];
const ADVISOR_NAV = [['/advisor.html', 'Advisory group'], ['/lay-advisor.html', 'Lay summary'],
  ['/account.html', 'Account']];

export function navFor(role) { return role === 'advisor' ? ADVISOR_NAV : TEAM_NAV; }

function buildNav(role) {
  const nav = document.querySelector('header nav');
  if (!nav) return;
  const here = location.pathname === '/' ? '/dashboard.html' : location.pathname;
  nav.replaceChildren(...navFor(role).map(([href, text]) => {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    if (href === here) a.setAttribute('aria-current', 'page');
    return a;
  }));
}

// An advisor on a page of the review team: a clear page with the way to
// theirs, never "Loading..." waiting for answers the server refuses.
function advisorElsewhere() {
  const m = document.getElementById('main');
  if (!m) return;
  const h = document.createElement('h1');
  h.textContent = 'This page is for the review team';
  const p = document.createElement('p');
  p.append('As an advisor you see what the team shares with the advisory group: ');
  const a = document.createElement('a');
  a.href = '/advisor.html';
  a.textContent = 'the advisory group\'s page';
  p.append(a, '.');
  m.replaceChildren(h, p);
  document.title = 'For the review team – qes';
}

// The logged-in user, or off to the login page. For an advisor on a team
// page it shows the advisor's page instead and rejects (status 403).
export async function session() {
  try {
    const s = await api('/api/session');
    csrf = s.csrf;
    const who = document.getElementById('who');
    if (who) who.textContent = `${s.user} (${s.role})`;
    const out = document.getElementById('logout');
    if (out) out.addEventListener('click', logout);
    buildNav(s.role);
    if (s.role === 'advisor' && !ADVISOR_NAV.some(([href]) => href === location.pathname)) {
      if (location.pathname === '/dashboard.html') location.replace('/advisor.html');
      else advisorElsewhere();
      throw new ApiError(403, 'This page is for the review team.');
    }
    return s;
  } catch (e) {
    if (e.status === 401) location.replace('/');
    throw e;
  }
}

export function setCsrf(token) { csrf = token; }

export async function logout() {
  try { await api('/api/logout', {}); } finally { location.replace('/'); }
}

export function showError(e) {
  const el = document.getElementById('error');
  if (!el) return;
  el.textContent = e.message || String(e);
  el.hidden = false;
}
