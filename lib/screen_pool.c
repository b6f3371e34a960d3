/* screen_pool.c: which records are screened (the screening units).
 *
 * Screening works per record id. When deduplication is in the review, a
 * record that is a non-primary member of a duplicate cluster is not
 * screened: its cluster's primary record stands for it. This function is
 * the one place that says so; when the dedup module lands, it becomes
 *   SELECT id AS record_id FROM records
 *    WHERE id NOT IN (SELECT record_id FROM <dedup members> WHERE NOT primary)
 * and nothing else in screening changes. */
#include "screen_internal.h"

const char *qes__screen_pool_sql(void)
{
	return "SELECT id AS record_id FROM records";
}
