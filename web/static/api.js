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

// The logged-in user, or off to the login page.
export async function session() {
  try {
    const s = await api('/api/session');
    csrf = s.csrf;
    const who = document.getElementById('who');
    if (who) who.textContent = `${s.user} (${s.role})`;
    const out = document.getElementById('logout');
    if (out) out.addEventListener('click', logout);
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
