/* lay.c: the lay summary (qes lay): versions, the template fed by the
 * review's data, sharing with advisors, what advisors see, and readability.
 * The markdown subset is lay_markdown.c's; the exports lay_export.c's. */
#include "lay_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "embedded_data.h"
#include "qes/advisory.h"
#include "qes/cerqual.h"
#include "qes/limits.h"
#include "qes/screen.h"
#include "qes/study.h"
#include "qes/theme.h"
#include "strbuf.h"
#include "synth_internal.h"

int qes_lay_save(qes_store *st, const char *text, const char *by, long *version,
		 qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (!text || !*text)
		return qes_error_set(err, QES_EINVAL, "the lay summary is empty");
	if (qes__synth_too_long(text, "the lay summary", err))
		return err->code;
	int rc = qes_store_begin(st, err);
	if (rc)
		return rc;
	if ((rc = qes__prep(st, &s, "INSERT INTO lay_versions(text, created_by) VALUES (?1, ?2)", err)))
		goto out;
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, by ? by : "", -1, SQLITE_STATIC);
	if ((rc = qes__synth_step(st, s, "saving the lay summary", err)))
		goto out;
	long long id = sqlite3_last_insert_rowid(qes_store_db(st));
	char target[64];
	snprintf(target, sizeof(target), "lay summary v%lld", id);
	if ((rc = qes__synth_log(st, by ? by : "", "lay save", target, "", err)))
		goto out;
	if (version)
		*version = (long)id;
out:
	if (rc)
		qes_store_rollback(st);
	else
		rc = qes_store_commit(st, err);
	return rc;
}

int qes_lay_get(qes_store *st, long n, char **text, long *version, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	*text = NULL;
	int rc = qes__prep(st, &s, n > 0 ? "SELECT id, text FROM lay_versions WHERE id = ?1"
			   : "SELECT id, text FROM lay_versions ORDER BY id DESC LIMIT 1", err);
	if (rc)
		return rc;
	if (n > 0)
		sqlite3_bind_int64(s, 1, n);
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (version)
			*version = (long)sqlite3_column_int64(s, 0);
		if (!(*text = strdup(qes__col(s, 1))))
			rc = qes_error_set(err, QES_ENOMEM, "out of memory");
	} else if (n > 0) {
		rc = qes_error_set(err, QES_ENOTFOUND, "no version %ld of the lay summary", n);
	} else {
		if (version)
			*version = 0;
		rc = qes_lay_template(st, text, err);
	}
	sqlite3_finalize(s);
	return rc;
}

/* --- The template ------------------------------------------------------- */

static void join_names(qes_strbuf *sb, json_t *arr, const char *key, size_t max)
{
	size_t i, n = json_array_size(arr);
	for (i = 0; i < n && i < max; i++) {
		json_t *o = json_array_get(arr, i);
		qes__strbuf_addf(sb, "%s%s", i ? (i + 1 == n || i + 1 == max ? " and " : ", ") : "",
				 json_string_value(json_object_get(o, key)));
		json_t *c = json_object_get(o, "n");
		if (json_is_integer(c))
			qes__strbuf_addf(sb, " (%lld)", (long long)json_integer_value(c));
	}
}

/* Databases and registers in sb[0], other methods in sb[1]. */
static int on_source(void *ud, const qes_source_info *s)
{
	qes_strbuf *sb = (qes_strbuf *)ud + !strcmp(s->method, "other");
	if (s->imports)
		qes__strbuf_addf(sb, "%s%s", sb->len ? ", " : "", s->name);
	return 0;
}

static int on_concept(void *ud, qes_criterion_kind kind, const char *label, const char *text)
{
	qes_strbuf *sb = ud;
	if (kind == QES_CRIT_CONCEPT)
		qes__strbuf_addf(sb, "- %s%s%s\n", label ? label : "", label ? ": " : "", text);
	return 0;
}

int qes_lay_template(qes_store *st, char **text, qes_error *err)
{
	qes_strbuf sb = QES_STRBUF_INIT(QES_MAX_FIELD);
	qes_strbuf src[2] = { QES_STRBUF_INIT(QES_MAX_FIELD), QES_STRBUF_INIT(QES_MAX_FIELD) };
	qes_strbuf concepts = QES_STRBUF_INIT(QES_MAX_FIELD);
	char *title = NULL, *framework = NULL;
	json_t *sum = NULL, *themes = NULL, *soqf = NULL, *t;
	int rc = qes_store_get_meta(st, "title", &title, err);
	if (rc || (rc = qes_sources_foreach(st, on_source, src, err)) ||
	    (rc = qes_criteria_foreach(st, &framework, on_concept, &concepts, err)))
		goto out;
	if (!(sum = qes_studies_summary_json(st, err)) || !(themes = qes_theme_list_json(st, NULL, err)) ||
	    !(soqf = qes_cerqual_soqf_json(st, err))) {
		rc = err->code ? err->code : QES_ENOMEM;
		goto out;
	}
	size_t studies = json_array_size(json_object_get(sum, "studies"));
	qes__strbuf_addf(&sb, "# %s\n\nA summary in plain words, written with our advisory group.\n\n",
			 title && *title ? title : "Our review");
	qes__strbuf_addstr(&sb, "## Key points\n\n- (Write three or four short points here.)\n\n");
	qes__strbuf_addstr(&sb, "## What did we want to find out?\n\n");
	qes__strbuf_addstr(&sb, "(Say what the review asked, in one or two sentences.)\n\n");
	if (concepts.len)
		qes__strbuf_addf(&sb, "We looked for studies about:\n\n%s\n", qes__strbuf_str(&concepts));
	qes__strbuf_addstr(&sb, "## What did we do?\n\n");
	qes__strbuf_addf(&sb, "We searched %s for studies.", src[0].len ? qes__strbuf_str(&src[0])
			 : "(where you searched)");
	if (src[1].len)
		qes__strbuf_addf(&sb, " We also looked in other ways (%s).", qes__strbuf_str(&src[1]));
	qes__strbuf_addf(&sb, " We found %zu studies that answered our question.", studies);
	if (json_array_size(json_object_get(sum, "by_country"))) {
		qes__strbuf_addstr(&sb, " They came from ");
		join_names(&sb, json_object_get(sum, "by_country"), "country", 6);
		qes__strbuf_addstr(&sb, ".");
	}
	qes__strbuf_addstr(&sb, "\n\n## What did we find?\n\n");
	size_t i, nthemes = 0;
	json_array_foreach(themes, i, t) {
		const char *level = json_string_value(json_object_get(t, "level"));
		if (!level || strcmp(level, "analytical"))
			continue;
		const char *d = json_string_value(json_object_get(t, "description"));
		qes__strbuf_addf(&sb, "- **%s.** %s\n", json_string_value(json_object_get(t, "name")),
				 d && *d ? d : "(Say what this theme means, in plain words.)");
		nthemes++;
	}
	if (!nthemes)
		json_array_foreach(themes, i, t) {
			const char *d = json_string_value(json_object_get(t, "description"));
			qes__strbuf_addf(&sb, "- **%s.** %s\n", json_string_value(json_object_get(t, "name")),
					 d && *d ? d : "(Say what this theme means, in plain words.)");
			nthemes++;
		}
	if (!nthemes)
		qes__strbuf_addstr(&sb, "(The themes will be listed here.)\n");
	qes__strbuf_addstr(&sb, "\n## What does this mean?\n\n");
	json_array_foreach(json_object_get(soqf, "rows"), i, t) {
		const char *conf = json_string_value(json_object_get(t, "confidence"));
		qes__strbuf_addf(&sb, "- %s", json_string_value(json_object_get(t, "statement")));
		if (conf)
			qes__strbuf_addf(&sb, " (%s)", qes_cerqual_level_text(conf, 1));
		qes__strbuf_addstr(&sb, "\n");
	}
	qes__strbuf_addstr(&sb, "\nFor practice: (what services could do differently)\n\n"
			   "For policy: (what decision makers could change)\n\n"
			   "For research: (what we still do not know)\n");
	if (!(*text = qes__strbuf_detach(&sb, NULL)))
		rc = qes_error_set(err, QES_ENOMEM, "out of memory");
out:
	free(title);
	free(framework);
	json_decref(sum);
	json_decref(themes);
	json_decref(soqf);
	qes__strbuf_release(&sb);
	qes__strbuf_release(&src[0]);
	qes__strbuf_release(&src[1]);
	qes__strbuf_release(&concepts);
	return rc;
}

/* --- Sharing ------------------------------------------------------------- */

int qes_lay_shared(qes_store *st, long *version, qes_error *err)
{
	long long n = qes_store_count(st, "SELECT coalesce(max(id), 0) FROM lay_versions WHERE shared = 1",
				      err);
	if (n < 0)
		return err->code;
	*version = (long)n;
	return 0;
}

int qes_lay_share(qes_store *st, long n, const char *by, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	char *text = NULL;
	long v = 0;
	int rc = 0;
	if (n >= 0 && (rc = qes_lay_get(st, n, &text, &v, err)))
		return rc;
	free(text);
	if (n >= 0 && !v)
		return qes_error_set(err, QES_ECONFLICT, "no version of the lay summary saved yet "
				     "(qes lay REVIEW edit)");
	if ((rc = qes_store_begin(st, err)))
		return rc;
	if ((rc = qes_store_exec(st, "UPDATE lay_versions SET shared = 0 WHERE shared = 1", err)))
		goto out;
	if (n >= 0) {
		if ((rc = qes__prep(st, &s, "UPDATE lay_versions SET shared = 1 WHERE id = ?1", err)))
			goto out;
		sqlite3_bind_int64(s, 1, v);
		if ((rc = qes__synth_step(st, s, "sharing the lay summary", err)))
			goto out;
	}
	char target[64];
	snprintf(target, sizeof(target), "lay summary v%ld", v);
	rc = qes__synth_log(st, by ? by : "", n >= 0 ? "share" : "hold back",
			    n >= 0 ? target : "lay summary", "", err);
out:
	if (rc)
		qes_store_rollback(st);
	else
		rc = qes_store_commit(st, err);
	return rc;
}

json_t *qes_lay_versions_json(qes_store *st, qes_error *err)
{
	sqlite3_stmt *s = NULL;
	if (qes__prep(st, &s, "SELECT v.id, v.created_by, v.created_at, v.shared, (SELECT count(*)"
		      " FROM lay_comments c WHERE c.version_id = v.id) FROM lay_versions v ORDER BY v.id",
		      err))
		return NULL;
	json_t *arr = json_array();
	while (arr && sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b, s:I}", "version",
			(json_int_t)sqlite3_column_int64(s, 0), "by", qes__col(s, 1), "at", qes__col(s, 2),
			"shared", sqlite3_column_int(s, 3), "comments",
			(json_int_t)sqlite3_column_int64(s, 4)));
	sqlite3_finalize(s);
	if (!arr)
		qes_error_set(err, QES_ENOMEM, "out of memory");
	return arr;
}

json_t *qes_lay_advisor_json(qes_store *st, qes_error *err)
{
	long v = 0;
	char *text = NULL, *html = NULL;
	sqlite3_stmt *s = NULL;
	json_t *out = NULL;
	if (qes_lay_shared(st, &v, err))
		return NULL;
	if (!v)
		return json_pack("{s:n}", "version");
	if (qes_lay_get(st, v, &text, NULL, err) ||
	    qes_lay_markdown_html(text, strlen(text), &html, err) ||
	    qes__prep(st, &s, "SELECT c.id, coalesce(a.name, 'the group'), c.text, c.status, c.change"
		      " FROM lay_comments l JOIN synth_comments c ON c.id = l.comment_id LEFT JOIN"
		      " synth_advisors a ON a.id = c.advisor_id WHERE l.version_id = ?1 ORDER BY c.id",
		      err))
		goto out;
	sqlite3_bind_int64(s, 1, v);
	json_t *comments = json_array();
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(comments, json_pack("{s:I, s:s, s:s, s:s, s:s}", "comment",
			(json_int_t)sqlite3_column_int64(s, 0), "by", qes__col(s, 1), "text", qes__col(s, 2),
			"status", qes__col(s, 3), "change", qes__col(s, 4)));
	out = json_pack("{s:i, s:s, s:s, s:o}", "version", (int)v, "text", text, "html", html,
			"comments", comments);
out:
	sqlite3_finalize(s);
	free(text);
	free(html);
	return out;
}

/* --- Readability --------------------------------------------------------- */

/* Syllables by vowel groups: each run of vowels (a e i o u y) is one
 * syllable; a final silent "e" is not (but "-le" after a consonant is, as
 * in "table"), nor a final "-es" or "-ed" that adds no sound ("hopes",
 * "hoped"; kept after t/d or s/x/z/ch/sh: "wanted", "boxes"). At least 1.
 * Errs on some words, as every heuristic does; worked examples are in
 * tests/unit/test_lay.c. */
int qes_lay_syllables(const char *word, size_t len)
{
	char w[64];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof(w) - 1; i++)
		if (isalpha((unsigned char)word[i]))
			w[n++] = (char)tolower((unsigned char)word[i]);
	w[n] = 0;
	if (!n)
		return 0;
	int count = 0, prev = 0;
	for (size_t i = 0; i < n; i++) {
		int v = strchr("aeiouy", w[i]) != NULL;
		if (v && !prev)
			count++;
		prev = v;
	}
	if (n > 2 && w[n - 1] == 'e' && !strchr("aeiouy", w[n - 2])) {
		if (!(w[n - 2] == 'l' && n > 3 && !strchr("aeiouy", w[n - 3])))
			count--;
	} else if (n > 3 && w[n - 1] == 's' && w[n - 2] == 'e' && !strchr("aeiouy", w[n - 3])) {
		char c = w[n - 3];
		if (!strchr("sxzh", c) && !(c == 'c' || c == 'g'))
			count--;
	} else if (n > 3 && w[n - 1] == 'd' && w[n - 2] == 'e' && !strchr("aeiouy", w[n - 3])) {
		if (w[n - 3] != 't' && w[n - 3] != 'd')
			count--;
	}
	return count < 1 ? 1 : count;
}

static const char *jargon_plain(const char *w, size_t n)
{
	static const qes__embedded_file *list;
	if (!list)
		for (const qes__embedded_file *f = qes__lay_wordlists; f->name; f++)
			if (!strcmp(f->name, "plain-words"))
				list = f;
	if (!list || !n)
		return NULL;
	const char *p = list->bytes, *end = list->bytes + list->size;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *tab = memchr(p, '\t', (size_t)(eol - p));
		if (*p != '#' && tab) {
			size_t k = (size_t)(tab - p);
			if ((k == n && !strncasecmp(p, w, n)) ||
			    (k + 1 == n && tolower((unsigned char)w[n - 1]) == 's' && !strncasecmp(p, w, k)))
				return tab + 1;
		}
		p = eol + 1;
	}
	return NULL;
}

typedef struct rd {
	long words, sentences, syllables, sent_words;
	qes_strbuf sent;
	json_t *long_words, *long_sentences, *jargon;
} rd;

static void end_sentence(rd *r)
{
	if (r->sent_words) {
		r->sentences++;
		if (r->sent_words > QES_LAY_LONG_SENTENCE)
			json_array_append_new(r->long_sentences, json_pack("{s:s, s:i}", "sentence",
				qes__strbuf_str(&r->sent), "words", (int)r->sent_words));
	}
	r->sent_words = 0;
	qes__strbuf_reset(&r->sent);
}

static int seen(json_t *arr, const char *key, const char *w, size_t n)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *s = json_string_value(key ? json_object_get(o, key) : o);
		if (s && strlen(s) == n && !strncasecmp(s, w, n))
			return 1;
	}
	return 0;
}

static int word_char(unsigned char c)
{
	return isalnum(c) || c == '\'' || c >= 0x80;
}

static int rd_block(void *ud, int kind, const char *text, size_t len)
{
	rd *r = ud;
	(void)kind;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)text[i];
		if (word_char(c) && c != '\'') {
			size_t j = i;
			while (j < len && (word_char((unsigned char)text[j]) ||
					   (text[j] == '-' && j + 1 < len && isalpha((unsigned char)text[j + 1]))))
				j++;
			int letters = 0;
			for (size_t k = i; k < j; k++)
				letters += isalpha((unsigned char)text[k]) || (unsigned char)text[k] >= 0x80;
			if (letters) {
				int syl = qes_lay_syllables(text + i, j - i);
				r->words++;
				r->sent_words++;
				r->syllables += syl;
				if (syl >= QES_LAY_LONG_WORD && !seen(r->long_words, NULL, text + i, j - i))
					json_array_append_new(r->long_words, json_stringn(text + i, j - i));
				const char *plain = jargon_plain(text + i, j - i);
				if (plain && !seen(r->jargon, "word", text + i, j - i)) {
					const char *eol = strchr(plain, '\n');
					json_array_append_new(r->jargon, json_pack("{s:s%, s:s%}", "word",
						text + i, j - i, "plain", plain,
						eol ? (size_t)(eol - plain) : strlen(plain)));
				}
			}
			qes__strbuf_add(&r->sent, text + i, j - i);
			i = j;
			continue;
		}
		if (c != '*')
			qes__strbuf_addch(&r->sent, (char)c);
		i++;
		if ((c == '.' || c == '!' || c == '?') && (i == len || isspace((unsigned char)text[i]) ||
							    text[i] == '"' || text[i] == ')'))
			end_sentence(r);
	}
	end_sentence(r);   /* a heading, list item or paragraph ends a sentence */
	return 0;
}

json_t *qes_lay_readability_json(const char *text, qes_error *err)
{
	rd r = { 0 };
	qes__strbuf_init(&r.sent, QES_MAX_FIELD);
	r.long_words = json_array();
	r.long_sentences = json_array();
	r.jargon = json_array();
	json_t *out = NULL;
	if (!text)
		text = "";
	if (!qes__lay_blocks(text, strlen(text), rd_block, &r, err)) {
		double wps = r.sentences ? (double)r.words / r.sentences : 0;
		double spw = r.words ? (double)r.syllables / r.words : 0;
		out = json_pack("{s:i, s:i, s:i, s:o, s:o, s:O, s:O, s:O}", "words", (int)r.words,
				"sentences", (int)r.sentences, "syllables", (int)r.syllables, "flesch",
				r.words ? json_real(206.835 - 1.015 * wps - 84.6 * spw) : json_null(),
				"mean_sentence_length", r.sentences ? json_real(wps) : json_null(),
				"long_words", r.long_words, "long_sentences", r.long_sentences,
				"jargon", r.jargon);
		if (!out)
			qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	qes__strbuf_release(&r.sent);
	json_decref(r.long_words);
	json_decref(r.long_sentences);
	json_decref(r.jargon);
	return out;
}
