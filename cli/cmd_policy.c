/* cmd_policy.c: qes policy REVIEW --stage ta|ft [single|double|sample] */
#include "cli.h"
#include "qes/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"qes policy REVIEW --stage ta|ft [single|double|sample --fraction F --seed N] "
	"[--as INITIALS] [--json]";
static const char help[] =
	"Shows or sets a stage's double-screening policy: single (one reviewer per\n"
	"record), double (two for every record), or sample (two for a random share\n"
	"of records, exactly round(fraction x pool), drawn reproducibly from the seed\n"
	"and extended as the pool grows; the rest single). Setting it\n"
	"needs an owner (--as) once the review has reviewers.\n"
	"\n"
	"  --stage ta|ft   title/abstract or full text\n"
	"  --fraction F    share double-screened, e.g. 0.1 for 10%\n"
	"  --seed N        the seed of the sample (recorded, so anyone can redraw it)\n"
	"  --as INITIALS   the owner making the change\n"
	"  --json          {stage, mode, fraction, seed, pool, sampled, planned,\n"
	"                  double_decided}: pool is the records the policy applies to\n"
	"                  now, sampled those drawn for two reviewers (exactly\n"
	"                  round(fraction x pool), extended as the pool grows)\n";

int cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stage", required_argument, NULL, 's' },
		{ "fraction", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 'S' },
		{ "as", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *stage_s = NULL, *as = NULL, *frac = NULL, *seed = NULL;
	int json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "s:f:S:a:jh", opts, NULL)) != -1) {
		switch (c) {
		case 's': stage_s = optarg; break;
		case 'f': frac = optarg; break;
		case 'S': seed = optarg; break;
		case 'a': as = optarg; break;
		case 'j': json = 1; break;
		case 'h': printf("usage: %s\n\n%s", usage, help); return 0;
		default: return cli_usage_error(usage, "unknown option");
		}
	}
	int left = argc - optind;
	if (left < 1 || left > 2 || !stage_s)
		return cli_usage_error(usage, "policy takes a review, --stage and maybe a mode");
	qes_error err;
	qes_error_clear(&err);
	qes_stage stage;
	qes_policy p = { QES_POLICY_SINGLE, 0, 0 };
	if (qes_stage_parse(stage_s, &stage, &err) ||
	    (left == 2 && qes_policy_parse(argv[optind + 1], &p.mode, &err)))
		return cli_usage_error(usage, "%s", err.message);
	char *end = NULL;
	if (frac) {
		p.fraction = strtod(frac, &end);
		if (*end || end == frac)
			return cli_usage_error(usage, "--fraction wants a number such as 0.1");
	}
	if (seed) {
		p.seed = strtoull(seed, &end, 10);
		if (*end || end == seed)
			return cli_usage_error(usage, "--seed wants a whole number");
	}
	if (p.mode == QES_POLICY_SAMPLE && (!frac || !seed))
		return cli_usage_error(usage, "a sample needs --fraction and --seed");
	qes_store *st;
	int rc = cli_open("policy", argv[optind], &st);
	if (rc)
		return rc;
	qes_progress pg;
	if (left == 2 && qes_policy_set(st, stage, &p, as, &err))
		rc = cli_fail("policy", &err);
	else if (qes_policy_get(st, stage, &p, &err) ||
		 qes_screen_progress(st, NULL, stage, &pg, &err))
		rc = cli_fail("policy", &err);
	qes_store_close(st);
	if (rc)
		return rc;
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "stage", json_string(qes_stage_name(stage)));
		json_object_set_new(o, "mode", json_string(qes_policy_name(p.mode)));
		json_object_set_new(o, "fraction", json_real(p.fraction));
		json_object_set_new(o, "seed", json_integer((json_int_t)p.seed));
		json_object_set_new(o, "pool", json_integer(pg.pool));
		json_object_set_new(o, "sampled", json_integer(pg.double_needed));
		json_object_set_new(o, "planned", json_integer(pg.planned));
		json_object_set_new(o, "double_decided", json_integer(pg.double_decided));
		return cli_print_json(o);
	}
	if (p.mode == QES_POLICY_SAMPLE)
		printf("%s: double screening on a %g%% sample (seed %llu), single otherwise: "
		       "%ld of %ld records drawn, %ld decided by two so far\n",
		       qes_stage_name(stage), p.fraction * 100, p.seed, pg.double_needed, pg.pool,
		       pg.double_decided);
	else
		printf("%s: %s screening\n", qes_stage_name(stage), qes_policy_name(p.mode));
	return 0;
}
