/* screen_pool.c: which records are screened (the screening units).
 *
 * Screening works per record id. When deduplication is in the review, a
 * record that is a non-primary member of a duplicate cluster is not
 * screened: its cluster's primary record (dedup_clusters.best_record_id)
 * stands for it. This function is the one place that says so. */
#include "screen_internal.h"

const char *qes__screen_pool_sql(void)
{
	return "SELECT r.id AS record_id FROM records r WHERE NOT EXISTS ("
	       " SELECT 1 FROM dedup_members m JOIN dedup_clusters c ON c.id = m.cluster_id"
	       " WHERE m.record_id = r.id AND c.status = 'active' AND c.best_record_id <> r.id)";
}
