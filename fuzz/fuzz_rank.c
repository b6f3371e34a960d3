/* fuzz_rank.c: the ranking library on arbitrary text. Each input line is a
 * record (title TAB abstract); the first byte of a line says whether it is
 * labelled relevant, irrelevant or not at all. Features, a retrain, the next
 * records and the explanation must survive anything. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qes/rank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	char *buf = malloc(size + 1);
	qes_rank_item *items = calloc(size + 1, sizeof(*items));
	char *labels = calloc(size + 1, 1);
	if (!buf || !items || !labels)
		goto out;
	memcpy(buf, data, size);
	buf[size] = '\0';
	size_t n = 0;
	for (char *line = buf; line && *line && n < 200;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		labels[n] = line[0];
		char *tab = strchr(line, '\t');
		if (tab)
			*tab = '\0';
		items[n].id = "x";
		items[n].title = line;
		items[n].abstract = tab ? tab + 1 : NULL;
		n++;
		line = nl ? nl + 1 : NULL;
	}
	qes_rank_features *f = NULL;
	qes_rank *r = NULL;
	qes_error err;
	if (n == 0 || qes_rank_features_build(&f, items, n, NULL, &err) ||
	    qes_rank_new(&r, f, NULL, NULL, &err))
		goto done;
	for (size_t i = 0; i < n; i++)
		if (labels[i] == '+' || labels[i] == '-')
			qes_rank_label(r, i, labels[i] == '+', 0, &err);
	qes_rank_retrain(r, &err);
	size_t next[4];
	size_t got = qes_rank_next(r, next, 4);
	qes_rank_term why[5];
	for (size_t i = 0; i < got; i++)
		qes_rank_explain(r, next[i], why, 5);
	long s = qes_rank_sample_next(r);
	if (s >= 0)
		qes_rank_label(r, (size_t)s, 0, 1, &err);
	qes_rank_stop st;
	qes_rank_stop_estimate(r, 0.95, 0.95, &st);
	char sentence[1024];
	qes_rank_stop_sentence(&st, sentence, sizeof(sentence));
done:
	qes_rank_free(r);
	qes_rank_features_free(f);
out:
	free(buf);
	free(items);
	free(labels);
	return 0;
}
