// account.js: the user's own password (the current one is required; the
// server ends the user's other sessions).
import { api, session, showError } from '/api.js';

const $ = (id) => document.getElementById(id);

$('pw-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('error').hidden = true;
  $('status').textContent = '';
  if ($('pw-new').value !== $('pw-again').value) {
    showError(new Error('The two new passwords differ.'));
    return;
  }
  try {
    await api('/api/account/password', { current: $('pw-current').value, new: $('pw-new').value });
    $('pw-form').reset();
    $('status').textContent = 'Password changed; your other sessions have ended.';
  } catch (e) {
    showError(e);
  }
});

session().catch(showError);
