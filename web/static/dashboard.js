// dashboard.js: the review at a glance, a progress bar per stage.
import { api, session, showError } from '/api.js';
import { names } from '/review.js';

function stage(key, p) {
  const sec = document.createElement('div');
  sec.className = 'stage';
  const id = `p-${key}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = `${names[key] || key}: ${p.screened} of ${p.pool} screened`;
  const bar = document.createElement('progress');
  bar.id = id;
  bar.max = Math.max(p.pool, 1);
  bar.value = p.screened;
  const detail = document.createElement('p');
  detail.className = 'meta';
  detail.textContent = `${p.included} included, ${p.excluded} excluded, ${p.unsure} unsure, ` +
    `${p.conflicts} conflicts, ${p.pending} pending`;
  sec.append(label, bar, detail);
  return sec;
}

async function main() {
  const s = await session();
  if (s.role === 'advisor') { location.replace('/advisor.html'); return; }
  const st = await api('/api/status');
  document.getElementById('title').textContent = st.title || 'Review';
  document.getElementById('summary').textContent =
    `${st.records} records from ${st.sources.length} sources; ${st.dedup.works} after deduplication; ${st.studies} studies.`;
  const box = document.getElementById('stages');
  box.replaceChildren(...Object.keys(st.screening).map((k) => stage(k, st.screening[k])));
}

main().catch(showError);
