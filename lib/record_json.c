/* record_json.c: see qes/json.h. */
#include "qes/json.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *list(const qes_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

json_t *qes_record_to_json(const qes_record *rec, int with_raw)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "source_key", str_or_null(rec->source_key));
	json_object_set_new(o, "type", str_or_null(rec->type));
	json_object_set_new(o, "type_raw", str_or_null(rec->type_raw));
	json_object_set_new(o, "title", str_or_null(rec->title));
	json_object_set_new(o, "abstract", str_or_null(rec->abstract));
	json_object_set_new(o, "authors", list(&rec->authors));
	json_object_set_new(o, "year", rec->year ? json_integer(rec->year) : json_null());
	json_object_set_new(o, "date", str_or_null(rec->date));
	json_object_set_new(o, "journal", str_or_null(rec->journal));
	json_object_set_new(o, "volume", str_or_null(rec->volume));
	json_object_set_new(o, "issue", str_or_null(rec->issue));
	json_object_set_new(o, "pages", str_or_null(rec->pages));
	json_object_set_new(o, "doi", str_or_null(rec->doi));
	json_object_set_new(o, "pmid", str_or_null(rec->pmid));
	json_object_set_new(o, "issn", str_or_null(rec->issn));
	json_object_set_new(o, "isbn", str_or_null(rec->isbn));
	json_object_set_new(o, "keywords", list(&rec->keywords));
	json_object_set_new(o, "language", str_or_null(rec->language));
	json_object_set_new(o, "url", str_or_null(rec->url));
	json_object_set_new(o, "publisher", str_or_null(rec->publisher));
	json_object_set_new(o, "database", str_or_null(rec->database));
	json_object_set_new(o, "notes", str_or_null(rec->notes));
	json_object_set_new(o, "line", json_integer(rec->line));
	if (with_raw && rec->raw)
		json_object_set_new(o, "raw", json_stringn(rec->raw, rec->raw_len));
	return o;
}
