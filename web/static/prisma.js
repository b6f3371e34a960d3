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

// The other-methods column (when there is one), kept apart from the
// databases' boxes; the two marked † are boxes qes adds (docs/prisma.md).
const otherBoxes = [
  ['identified', 'Other methods: records identified', (o) => o.identified.n],
  ['duplicates_removed', 'Other methods: duplicate records removed †', (o) => o.duplicates_removed],
  ['excluded_screening', 'Other methods: records excluded on title and abstract †', (o) => o.excluded_screening],
  ['sought', 'Other methods: reports sought for retrieval', (o) => o.sought],
  ['not_retrieved', 'Other methods: reports not retrieved', (o) => o.not_retrieved],
  ['assessed', 'Other methods: reports assessed for eligibility', (o) => o.assessed],
];

const stages = { ta: 'title/abstract', ft: 'full text' };
// One meaning of "screened" (docs/screening.md): pending is one of two things.
const states = { pending: 'not yet screened', waiting_second: 'waiting for a second reviewer' };

async function main() {
  const s = await session();
  if (!teamOnly(s)) return;
  const p = await api('/api/prisma');
  const rows = boxes.map(([k, label, f]) =>
    el('tr', { id: `c-${k}` }, el('th', { scope: 'row', text: label }), el('td', { text: String(f(p)) })));
  if (p.other_methods) {
    for (const [k, label, f] of otherBoxes)
      rows.push(el('tr', { id: `c-other-${k}` }, el('th', { scope: 'row', text: label }),
        el('td', { text: String(f(p.other_methods)) })));
  }
  $('counts').replaceChildren(...rows);
  if (p.complete) {
    $('diagram').replaceChildren(el('img', { src: '/api/review/prisma.svg', id: 'prisma-svg',
      alt: `PRISMA 2020 flow diagram: ${p.identified.n} records identified, ${p.studies_included} studies included.` }));
  } else {
    const line = (g) => `${g.source_key}: ${stages[g.stage] || g.stage} ${states[g.state] || g.state}`;
    const ul = el('ul', { id: 'gaps' });
    $('diagram').replaceChildren(
      el('p', { id: 'gaps-intro', text: `The diagram is drawn once every record has a final decision; ${p.gaps.length.toLocaleString('en')} do not yet:` }),
      ul);
    pagedList(ul, (g) => el('li', { text: line(g) }), line, { label: 'Find an undecided record' })(p.gaps);
  }
  $('report').src = '/api/review/report';
}

main().catch(showError);
