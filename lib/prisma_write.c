/* prisma_write.c: the diagram to a file: SVG as is, PNG and PDF rendered
 * from that same SVG by librsvg onto a cairo surface, so the three never
 * differ. Written to a temporary name and renamed into place. */
#include "qes/prisma.h"
#include "replace_file.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <errno.h>
#include <librsvg/rsvg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PNG_SCALE 2.0   /* 2x: sharp in a Word document or on a slide */

static int render(const char *svg, size_t len, const char *tmp, const char *format,
		  qes_error *err)
{
	GError *gerr = NULL;
	RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg, len, &gerr);
	if (!h) {
		int rc = qes_error_set(err, QES_EINVAL, "rendering the diagram: %s",
				       gerr ? gerr->message : "?");
		g_clear_error(&gerr);
		return rc;
	}
	gdouble w = 0, hgt = 0;
	rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hgt);
	double scale = !strcmp(format, "png") ? PNG_SCALE : 0.75; /* PDF in points */
	cairo_surface_t *surf = !strcmp(format, "png")
		? cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(w * scale), (int)(hgt * scale))
		: cairo_pdf_surface_create(tmp, w * scale, hgt * scale);
	cairo_t *cr = cairo_create(surf);
	cairo_scale(cr, scale, scale);
	RsvgRectangle vp = { 0, 0, w, hgt };
	int rc = 0;
	if (!rsvg_handle_render_document(h, cr, &vp, &gerr)) {
		rc = qes_error_set(err, QES_EINVAL, "rendering the diagram: %s",
				   gerr ? gerr->message : "?");
		g_clear_error(&gerr);
	}
	cairo_destroy(cr);
	if (!rc && !strcmp(format, "png") &&
	    cairo_surface_write_to_png(surf, tmp) != CAIRO_STATUS_SUCCESS)
		rc = qes_error_set(err, QES_EIO, "cannot write %s", tmp);
	cairo_surface_finish(surf);
	if (!rc && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", tmp,
				   cairo_status_to_string(cairo_surface_status(surf)));
	cairo_surface_destroy(surf);
	g_object_unref(h);
	return rc;
}

int qes_prisma_write(const qes_prisma *p, const char *path, const char *format,
		     qes_error *err)
{
	if (!format) {
		const char *dot = strrchr(path, '.');
		format = dot ? dot + 1 : "";
	}
	if (strcasecmp(format, "svg") && strcasecmp(format, "png") && strcasecmp(format, "pdf"))
		return qes_error_set(err, QES_EINVAL,
				     "cannot draw the diagram as '%s' (svg, png or pdf)", format);
	char fmt[4];
	for (int i = 0; i < 3; i++)
		fmt[i] = (char)(format[i] | 0x20);
	fmt[3] = '\0';
	char *svg = NULL;
	size_t len = 0;
	int rc = qes_prisma_svg(p, &svg, &len, err);
	if (rc)
		return rc;
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp) {
		free(svg);
		return qes_error_set(err, QES_ENOMEM, "out of memory");
	}
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (!strcmp(fmt, "svg")) {
		ssize_t w = write(fd, svg, len);
		if (w != (ssize_t)len || fsync(fd))
			rc = qes_error_set(err, QES_EIO, "cannot write %s: %s", path, strerror(errno));
		close(fd);
	} else {
		close(fd);
		rc = render(svg, len, tmp, fmt, err);
	}
	if (!rc)
		rc = qes__replace_file(tmp, path, err);
	else
		unlink(tmp);
out:
	free(tmp);
	free(svg);
	return rc;
}
