// prisma.js: the PRISMA 2020 counts and diagram, and the report, computed
// by the server on every load. While records lack a final decision the
// diagram would be wrong, so the page lists them instead.
import { api, session, showError } from '/api.js';
import { el, pagedList, teamOnly } from '/review.js';

const $ = (id) => document.getElementById(id);

const boxes = [
  ['identified', 'Records identified', (p) => p.identified.n],
  ['duplicates_removed', 'Duplicate records removed', (p) => p.duplicates_removed],
  ['screened', 'Records screened', (p) => p.screened],
  ['excluded_screening', 'Records excluded', (p) => p.excluded_screening],
  ['sought', 'Reports sought for retrieval', (p) => p.sought],
  ['not_retrieved', 'Reports not retrieved', (p) => p.not_retrieved],
  ['assessed', 'Reports assessed for eligibility', (p) => p.assessed],
  ['excluded_reports', 'Reports excluded', (p) => p.excluded_reports.reduce((n, r) => n + r.n, 0)],
  ['studies_included', 'Studies included', (p) => p.studies_included],
  ['reports_included', 'Reports of included studies', (p) => p.reports_included],
];

const stages = { ta: 'title/abstract', ft: 'full text' };

async function main() {
  const s = await session();
  if (!teamOnly(s)) return;
  const p = await api('/api/prisma');
  $('counts').replaceChildren(...boxes.map(([k, label, f]) =>
    el('tr', { id: `c-${k}` }, el('th', { scope: 'row', text: label }), el('td', { text: String(f(p)) }))));
  if (p.complete) {
    $('diagram').replaceChildren(el('img', { src: '/api/review/prisma.svg', id: 'prisma-svg',
      alt: `PRISMA 2020 flow diagram: ${p.identified.n} records identified, ${p.studies_included} studies included.` }));
  } else {
    const line = (g) => `${g.source_key}: ${stages[g.stage] || g.stage} ${g.state}`;
    const ul = el('ul', { id: 'gaps' });
    $('diagram').replaceChildren(
      el('p', { id: 'gaps-intro', text: `The diagram is drawn once every record has a final decision; ${p.gaps.length.toLocaleString('en')} do not yet:` }),
      ul);
    pagedList(ul, (g) => el('li', { text: line(g) }), line, { label: 'Find an undecided record' })(p.gaps);
  }
  $('report').src = '/api/review/report';
}

main().catch(showError);
