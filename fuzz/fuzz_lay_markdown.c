/* fuzz_lay_markdown.c: the lay summary's markdown subset (any bytes a team
 * member or the web app may send): rendered to HTML, measured for
 * readability and cut into the PDF/.docx blocks. The HTML must never carry
 * a '<' the renderer did not write (the input's are escaped). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qes/lay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ours(const char *p)
{
	static const char *const tags[] = { "<h1>", "</h1>", "<h2>", "</h2>", "<h3>", "</h3>", "<p>",
					    "</p>", "<ul>", "</ul>", "<li>", "</li>", "<strong>",
					    "</strong>", "<em>", "</em>" };
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (!strncmp(p, tags[i], strlen(tags[i])))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qes_error err;
	qes_error_clear(&err);
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	char *html = NULL;
	if (!qes_lay_markdown_html(text, strlen(text), &html, &err)) {
		for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<'))
			if (!ours(p))
				abort();
		free(html);
	}
	json_decref(qes_lay_readability_json(text, &err));
	free(text);
	return 0;
}
