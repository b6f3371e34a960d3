// login.js: the login form.
import { api } from '/api.js';

const form = document.getElementById('login');
const err = document.getElementById('login-error');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  err.hidden = true;
  try {
    const s = await api('/api/login', { name: form.name.value, password: form.password.value });
    // Advisors see only what the team shares with them: their own page.
    location.assign(s.role === 'advisor' ? '/advisor.html' : '/dashboard.html');
  } catch (e) {
    // 429: this name from this address must wait (the server says how long).
    err.textContent = e.status === 429 ? e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.'
      : e.status === 401 ? 'Wrong name or password.' : e.message;
    err.hidden = false;
    form.password.value = '';
    form.password.focus();
  }
});
