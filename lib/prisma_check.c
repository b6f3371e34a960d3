/* prisma_check.c: every arithmetic relation of the PRISMA 2020 diagram.
 * A diagram whose numbers do not add up is never drawn. */
#include "qes/prisma.h"

#include <stdlib.h>

static int fail(qes_error *err, const char *what, long lhs, long rhs)
{
	return qes_error_set(err, QES_ECONFLICT,
			     "the numbers do not add up: %s (%ld versus %ld)", what, lhs, rhs);
}

static long sum(const qes_prisma_count *c, size_t n)
{
	long s = 0;
	for (size_t i = 0; i < n; i++)
		s += c[i].n;
	return s;
}

static int check_column(const qes_prisma_column *c, int databases, qes_error *err)
{
	const long *all[] = { &c->identified_total, &c->registers, &c->duplicates_removed,
			      &c->automation_removed, &c->other_removed, &c->screened,
			      &c->excluded_screening, &c->sought, &c->not_retrieved, &c->assessed };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (*all[i] < 0)
			return qes_error_set(err, QES_ECONFLICT, "a count is negative (%ld)", *all[i]);
	if (c->n_identified && sum(c->identified, c->n_identified) != c->identified_total)
		return fail(err, "records identified per source must sum to the total",
			    sum(c->identified, c->n_identified), c->identified_total);
	if (databases) {
		long removed = c->duplicates_removed + c->automation_removed + c->other_removed;
		if (c->identified_total - removed != c->screened)
			return fail(err, "records screened = identified - removed before screening",
				    c->screened, c->identified_total - removed);
		if (c->excluded_screening + c->sought != c->screened)
			return fail(err, "records excluded + reports sought = records screened",
				    c->excluded_screening + c->sought, c->screened);
	} else if (c->identified_total - c->duplicates_removed - c->excluded_screening != c->sought) {
		return fail(err, "other methods: reports sought = identified - duplicates removed - "
			    "excluded on title and abstract",
			    c->sought, c->identified_total - c->duplicates_removed - c->excluded_screening);
	}
	if (c->sought - c->not_retrieved != c->assessed)
		return fail(err, "reports assessed = sought - not retrieved",
			    c->assessed, c->sought - c->not_retrieved);
	long excluded = sum(c->excluded_reports, c->n_excluded_reports);
	if (excluded > c->assessed)
		return fail(err, "reports excluded cannot exceed reports assessed", excluded,
			    c->assessed);
	return 0;
}

int qes_prisma_check(const qes_prisma *p, qes_error *err)
{
	int rc = check_column(&p->db, 1, err);
	if (!rc && p->other.present)
		rc = check_column(&p->other, 0, err);
	if (rc)
		return rc;
	long included_reports = p->db.assessed - sum(p->db.excluded_reports, p->db.n_excluded_reports);
	if (p->other.present)
		included_reports += p->other.assessed -
				    sum(p->other.excluded_reports, p->other.n_excluded_reports);
	if (included_reports != p->reports_included)
		return fail(err, "reports included = reports assessed - reports excluded, over both columns",
			    p->reports_included, included_reports);
	if (p->studies_included > p->reports_included)
		return fail(err, "studies included cannot exceed reports of included studies",
			    p->studies_included, p->reports_included);
	if (p->reports_included > 0 && p->studies_included == 0)
		return fail(err, "included reports must belong to at least one study",
			    p->studies_included, p->reports_included);
	return 0;
}

void qes_prisma_release(qes_prisma *p)
{
	qes_prisma_column *cols[] = { &p->db, &p->other };
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < cols[k]->n_identified; i++)
			free(cols[k]->identified[i].name);
		free(cols[k]->identified);
		for (size_t i = 0; i < cols[k]->n_excluded_reports; i++)
			free(cols[k]->excluded_reports[i].name);
		free(cols[k]->excluded_reports);
		cols[k]->identified = cols[k]->excluded_reports = NULL;
		cols[k]->n_identified = cols[k]->n_excluded_reports = 0;
	}
}
