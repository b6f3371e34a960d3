/* cmd_criteria.c: qes criteria REVIEW [changes] [--json] */
#include "cli.h"
#include "qes/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes criteria REVIEW [--framework NAME] [--concept LABEL=TEXT]... [--include TEXT]...\n"
	"       [--exclude TEXT]... [--reason TEXT]... [--keyword WORD]... [--exclude-keyword WORD]...\n"
	"       [--remove-keyword WORD]... [--json]";
static const char help[] =
	"Shows, or adds to, the review's eligibility criteria: a framework (SPICE, PICo,\n"
	"PICO, ...) with its concept blocks, inclusion and exclusion criteria as text,\n"
	"the list of exclusion reasons screeners pick from, and the keywords the\n"
	"screener highlights (green for include, red for exclude). All changes given\n"
	"in one command are one transaction.\n"
	"\n"
	"  --framework NAME       e.g. SPICE\n"
	"  --concept LABEL=TEXT   a concept block, e.g. Setting=child protection services\n"
	"  --include TEXT         an inclusion criterion\n"
	"  --exclude TEXT         an exclusion criterion\n"
	"  --reason TEXT          an exclusion reason (required to exclude a full text)\n"
	"  --keyword WORD         highlight WORD as a sign to include\n"
	"  --exclude-keyword WORD highlight WORD as a sign to exclude\n"
	"  --remove-keyword WORD  stop highlighting WORD (whoever added it; on the web\n"
	"                         a reviewer removes only keywords they added)\n"
	"  --json                 print everything as one object: framework, concepts\n"
	"                         [{label, text}], include, exclude, reasons,\n"
	"                         keywords {include, exclude}\n";

typedef struct change { int kind; const char *v; } change;

static int on_crit(void *ud, qes_criterion_kind k, const char *label, const char *text)
{
	json_t *top = ud;
	if (k == QES_CRIT_CONCEPT) {
		json_t *o = json_object();
		json_object_set_new(o, "label", cli_json_str(label));
		json_object_set_new(o, "text", json_string(text));
		json_array_append_new(json_object_get(top, "concepts"), o);
	} else {
		json_array_append_new(json_object_get(top, qes_criterion_kind_name(k)),
				      json_string(text));
	}
	return 0;
}

static int on_reason(void *ud, const char *r)
{
	json_array_append_new(json_object_get(ud, "reasons"), json_string(r));
	return 0;
}

static int on_keyword(void *ud, const char *w, int exclude)
{
	json_array_append_new(json_object_get(json_object_get(ud, "keywords"),
					      exclude ? "exclude" : "include"), json_string(w));
	return 0;
}

/* Applies one change (inside the command's transaction). */
static int apply(qes_store *st, const change *c, qes_error *err)
{
	switch (c->kind) {
	case 'f': return qes_criteria_set_framework(st, c->v, err);
	case 'c': {
		const char *eq = strchr(c->v, '=');
		if (!eq)
			return qes_error_set(err, QES_EINVAL, "--concept wants LABEL=TEXT");
		char label[128];
		snprintf(label, sizeof(label), "%.*s", (int)(eq - c->v), c->v);
		return qes_criteria_add(st, QES_CRIT_CONCEPT, label, eq + 1, err);
	}
	case 'i': return qes_criteria_add(st, QES_CRIT_INCLUDE, NULL, c->v, err);
	case 'x': return qes_criteria_add(st, QES_CRIT_EXCLUDE, NULL, c->v, err);
	case 'r': return qes_reason_add(st, c->v, err);
	case 'k': return qes_keyword_add(st, c->v, 0, err);
	case 'R': return qes_keyword_remove(st, c->v, NULL, err);
	default: return qes_keyword_add(st, c->v, 1, err);
	}
}

static void print_text(json_t *top)
{
	const char *fw = json_string_value(json_object_get(top, "framework"));
	printf("Framework: %s\n", fw ? fw : "(none)");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(top, "concepts"), i, v)
		printf("  %s: %s\n", json_string_value(json_object_get(v, "label")),
		       json_string_value(json_object_get(v, "text")));
	static const char *const lists[][2] = {
		{ "include", "Include" }, { "exclude", "Exclude" }, { "reasons", "Exclusion reasons" }
	};
	for (int l = 0; l < 3; l++) {
		printf("%s:\n", lists[l][1]);
		json_array_foreach(json_object_get(top, lists[l][0]), i, v)
			printf("  - %s\n", json_string_value(v));
	}
	printf("Keywords:");
	json_array_foreach(json_object_get(json_object_get(top, "keywords"), "include"), i, v)
		printf(" +%s", json_string_value(v));
	json_array_foreach(json_object_get(json_object_get(top, "keywords"), "exclude"), i, v)
		printf(" -%s", json_string_value(v));
	printf("\n");
}

int cmd_criteria(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "framework", required_argument, NULL, 'f' },
		{ "concept", required_argument, NULL, 'c' },
		{ "include", required_argument, NULL, 'i' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "reason", required_argument, NULL, 'r' },
		{ "keyword", required_argument, NULL, 'k' },
		{ "exclude-keyword", required_argument, NULL, 'K' },
		{ "remove-keyword", required_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	change *changes = calloc((size_t)argc + 1, sizeof(*changes));
	int nch = 0, json = 0, c, rc = 0;
	if (!changes)
		return QES_EXIT_ERROR;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:c:i:x:r:k:K:R:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); free(changes); return 0;
		case '?': free(changes); return cli_usage_error(usage, "unknown option");
		default: changes[nch++] = (change){ c, optarg }; break;
		}
	}
	if (argc - optind != 1) {
		free(changes);
		return cli_usage_error(usage, "criteria takes one review");
	}
	qes_store *st;
	if ((rc = cli_open("criteria", argv[optind], &st))) {
		free(changes);
		return rc;
	}
	qes_error err;
	qes_error_clear(&err);
	json_t *top = NULL;
	if (nch) {
		int bad = qes_store_begin(st, &err);
		for (int i = 0; !bad && i < nch; i++)
			bad = apply(st, &changes[i], &err);
		if (!bad)
			bad = qes_store_commit(st, &err);
		if (bad) {
			qes_store_rollback(st);
			rc = cli_fail("criteria", &err);
			goto out;
		}
	}
	top = json_object();
	char *fw = NULL;
	json_object_set_new(top, "framework", json_null());
	json_object_set_new(top, "concepts", json_array());
	json_object_set_new(top, "include", json_array());
	json_object_set_new(top, "exclude", json_array());
	json_object_set_new(top, "reasons", json_array());
	json_t *kw = json_object();
	json_object_set_new(kw, "include", json_array());
	json_object_set_new(kw, "exclude", json_array());
	json_object_set_new(top, "keywords", kw);
	if (qes_criteria_foreach(st, &fw, on_crit, top, &err) ||
	    qes_reason_foreach(st, on_reason, top, &err) ||
	    qes_keyword_foreach(st, on_keyword, top, &err)) {
		free(fw);
		rc = cli_fail("criteria", &err);
		goto out;
	}
	json_object_set_new(top, "framework", cli_json_str(fw));
	free(fw);
	if (json) {
		rc = cli_print_json(top);
		top = NULL;
	} else if (!nch) {
		print_text(top);
	}
out:
	json_decref(top);
	qes_store_close(st);
	free(changes);
	return rc;
}
