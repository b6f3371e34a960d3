/* test_prisma.c: the PRISMA 2020 diagram's arithmetic checks, and its SVG:
 * valid XML, the right variant, every count present, every line of text
 * inside its box, no boxes overlapping; PNG and PDF rendered from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qes/prisma.h"

/* The library frees names it allocated; these are static test data. */
#define S(lit) ((char *)(lit))

static qes_prisma_count dbs[] = {
	{ S("PsycINFO"), 2311 }, { S("CINAHL"), 1020 }, { S("HMIC"), 310 }, { S("MEDLINE"), 3005 },
	{ S("Embase"), 2900 }, { S("Social Policy and Practice"), 420 },
	{ S("Social Services Abstracts"), 655 }, { S("Social Science Citation Index"), 1100 },
};
static qes_prisma_count reasons[] = {
	{ S("Not about parents with mental health needs"), 61 }, { S("No child protection involvement"), 40 },
	{ S("Not qualitative & not mixed methods with qualitative data"), 22 },
	{ S("Conference abstract only"), 9 }, { S("Duplicate report"), 3 },
};
static qes_prisma_count others[] = { { S("Citation searching"), 14 }, { S("Expert recommendations"), 6 } };
static qes_prisma_count other_reasons[] = { { S("Not qualitative"), 5 } };

/* A consistent diagram: 11,721 identified, 4,200 duplicates. */
static qes_prisma sample(void)
{
	qes_prisma p;
	memset(&p, 0, sizeof(p));
	p.db.present = 1;
	p.db.identified = dbs;
	p.db.n_identified = 8;
	p.db.identified_total = 11721;
	p.db.duplicates_removed = 4200;
	p.db.screened = 7521;
	p.db.excluded_screening = 7350;
	p.db.sought = 171;
	p.db.not_retrieved = 2;
	p.db.assessed = 169;
	p.db.excluded_reports = reasons;
	p.db.n_excluded_reports = 5;
	p.other.present = 1;
	p.other.identified = others;
	p.other.n_identified = 2;
	p.other.identified_total = 20;
	p.other.sought = 20;
	p.other.assessed = 20;
	p.other.excluded_reports = other_reasons;
	p.other.n_excluded_reports = 1;
	p.reports_included = 169 - 135 + 15;
	p.studies_included = 41;
	return p;
}

static void test_check_relations(void **state)
{
	(void)state;
	qes_error err;
	qes_error_clear(&err);
	qes_prisma p = sample();
	assert_int_equal(qes_prisma_check(&p, &err), 0);

	p.db.screened = 7520;
	assert_int_equal(qes_prisma_check(&p, &err), QES_ECONFLICT);
	assert_non_null(strstr(err.message, "records screened = identified - removed"));
	p = sample();
	p.db.sought = 170;
	assert_int_equal(qes_prisma_check(&p, &err), QES_ECONFLICT);
	assert_non_null(strstr(err.message, "records excluded + reports sought"));
	p = sample();
	p.db.identified_total = 11722;
	p.db.duplicates_removed = 4201;
	assert_int_equal(qes_prisma_check(&p, &err), QES_ECONFLICT);
	assert_non_null(strstr(err.message, "per source must sum"));
	p = sample();
	p.reports_included = 50;
	assert_int_equal(qes_prisma_check(&p, &err), QES_ECONFLICT);
	assert_non_null(strstr(err.message, "reports included"));
	p = sample();
	p.studies_included = 60;
	assert_int_equal(qes_prisma_check(&p, &err), QES_ECONFLICT);
	p = sample();
	p.other.assessed = 19;
	assert_int_equal(qes_prisma_check(&p, &err), QES_ECONFLICT);
	assert_non_null(strstr(err.message, "assessed = sought - not retrieved"));
	/* Other methods: every record is a duplicate, an exclusion or sought. */
	p = sample();
	p.other.duplicates_removed += 1;
	assert_int_equal(qes_prisma_check(&p, &err), QES_ECONFLICT);
	assert_non_null(strstr(err.message, "other methods: reports sought = identified"));
}

typedef struct rect { double x, y, w, h; } rect;

static double attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	assert_non_null(v);
	double d = atof((const char *)v);
	xmlFree(v);
	return d;
}

static double measure(const char *s, int bold)
{
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(surf);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 13);
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	return e.x_advance;
}

/* Walks the SVG: each box group's texts lie inside its rect; no two box
 * rects overlap; collects all text into alltext. */
static void check_svg(const char *svg, size_t len, char *alltext, size_t cap, int *boxes)
{
	xmlDoc *doc = xmlReadMemory(svg, (int)len, "prisma.svg", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlNode *root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "svg");
	rect rects[64];
	int nr = 0;
	alltext[0] = '\0';
	for (xmlNode *g = root->children; g; g = g->next) {
		if (g->type != XML_ELEMENT_NODE || strcmp((const char *)g->name, "g"))
			continue;
		xmlChar *cls = xmlGetProp(g, (const xmlChar *)"class");
		int is_box = cls && !strncmp((const char *)cls, "box", 3);
		xmlFree(cls);
		rect r = { 0, 0, 0, 0 };
		for (xmlNode *c = g->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (!strcmp((const char *)c->name, "rect")) {
				r = (rect){ attr(c, "x"), attr(c, "y"), attr(c, "width"), attr(c, "height") };
				if (is_box) {
					assert_true(nr < 64);
					rects[nr++] = r;
				}
			} else if (!strcmp((const char *)c->name, "text")) {
				xmlChar *t = xmlNodeGetContent(c);
				strncat(alltext, (const char *)t, cap - strlen(alltext) - 2);
				strcat(alltext, " ");
				if (is_box) {
					xmlChar *fw = xmlGetProp(c, (const xmlChar *)"font-weight");
					double x = attr(c, "x"), y = attr(c, "y");
					double w = measure((const char *)t, fw != NULL);
					xmlFree(fw);
					assert_true(y - 13 >= r.y && y + 4 <= r.y + r.h);
					assert_true(x >= r.x && x + w <= r.x + r.w);
				}
				xmlFree(t);
			}
		}
	}
	for (int i = 0; i < nr; i++)
		for (int j = i + 1; j < nr; j++) {
			int apart = rects[i].x + rects[i].w <= rects[j].x ||
				    rects[j].x + rects[j].w <= rects[i].x ||
				    rects[i].y + rects[i].h <= rects[j].y ||
				    rects[j].y + rects[j].h <= rects[i].y;
			assert_true(apart);
		}
	*boxes = nr;
	xmlFreeDoc(doc);
}

static void test_svg_full_variant(void **state)
{
	(void)state;
	qes_error err;
	qes_error_clear(&err);
	qes_prisma p = sample();
	char *svg;
	size_t len;
	assert_int_equal(qes_prisma_svg(&p, &svg, &len, &err), 0);
	static char text[65536];
	int boxes;
	check_svg(svg, len, text, sizeof(text), &boxes);
	/* 8 databases column boxes, 7 other-methods boxes (5 of the template and
	 * the two qes adds: duplicates, title/abstract exclusions), 1 included. */
	assert_int_equal(boxes, 16);
	assert_non_null(strstr(text, "Records excluded on title and abstract\xE2\x80\xA0"));
	assert_non_null(strstr(text, "Identification of studies via other methods"));
	assert_non_null(strstr(text, "PsycINFO (n = 2,311)"));
	assert_non_null(strstr(text, "Databases (n = 11,721)"));
	assert_non_null(strstr(text, "Duplicate records removed (n = 4,200)"));
	assert_non_null(strstr(text, "Records screened (n = 7,521)"));
	assert_non_null(strstr(text, "Records excluded** (n = 7,350)"));
	assert_non_null(strstr(text, "Reports sought for retrieval (n = 171)"));
	assert_non_null(strstr(text, "Reports not retrieved (n = 2)"));
	assert_non_null(strstr(text, "Reports assessed for eligibility (n = 169)"));
	assert_non_null(strstr(text, "Citation searching (n = 14)"));
	assert_non_null(strstr(text, "Studies included in review (n = 41)"));
	assert_non_null(strstr(text, "Reports of included studies (n = 49)"));
	/* Escaped on the way in, whole again once parsed. */
	assert_non_null(strstr(text, "not mixed methods"));
	assert_non_null(strstr(svg, "&amp;"));
	free(svg);
}

static void test_svg_variants(void **state)
{
	(void)state;
	qes_error err;
	qes_error_clear(&err);
	qes_prisma p = sample();
	memset(&p.other, 0, sizeof(p.other));
	p.reports_included = 34;
	p.studies_included = 30;
	char *svg;
	size_t len;
	assert_int_equal(qes_prisma_svg(&p, &svg, &len, &err), 0);
	static char text[65536];
	int boxes;
	check_svg(svg, len, text, sizeof(text), &boxes);
	assert_int_equal(boxes, 9);
	assert_null(strstr(text, "other methods"));
	free(svg);

	p.update = 1;
	p.previous_studies = 12;
	p.previous_reports = 15;
	assert_int_equal(qes_prisma_svg(&p, &svg, &len, &err), 0);
	check_svg(svg, len, text, sizeof(text), &boxes);
	assert_int_equal(boxes, 10);
	assert_non_null(strstr(text, "Total studies included in review (n = 42)"));
	assert_non_null(strstr(text, "Reports of total included studies (n = 49)"));
	free(svg);
}

static void test_write_formats(void **state)
{
	(void)state;
	qes_error err;
	qes_error_clear(&err);
	qes_prisma p = sample();
	const char *files[] = { "/tmp/qes-prisma-test.png", "/tmp/qes-prisma-test.pdf",
				"/tmp/qes-prisma-test.svg" };
	const char *magic[] = { "\x89PNG", "%PDF", "<?xm" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(qes_prisma_write(&p, files[i], NULL, &err), 0);
		FILE *fp = fopen(files[i], "rb");
		assert_non_null(fp);
		char buf[4];
		assert_int_equal(fread(buf, 1, 4, fp), 4);
		fclose(fp);
		assert_memory_equal(buf, magic[i], 4);
		if (getenv("QES_KEEP_PRISMA") == NULL)
			unlink(files[i]);
	}
	assert_int_equal(qes_prisma_write(&p, "/tmp/x.docx", NULL, &err), QES_EINVAL);
	p.db.screened++;
	assert_int_equal(qes_prisma_write(&p, files[0], NULL, &err), QES_ECONFLICT);
	assert_int_equal(access(files[0], F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_relations),
		cmocka_unit_test(test_svg_full_variant),
		cmocka_unit_test(test_svg_variants),
		cmocka_unit_test(test_write_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
