/*
 * template.h — ClearSilver templates, parsed once per worker (tmpl_load), rendered
 * per request against the request's HDF. The language texts (L.*) and the public
 * configuration (Service.*) live in a per-language global HDF consulted by the
 * renderer when a name is not in the request HDF.
 */
#ifndef KENPO_TEMPLATE_H
#define KENPO_TEMPLATE_H

#include <ClearSilver.h>
#include "util.h"

/* Parse the page and mail templates (pages/NAME.cs, mail/NAME.cs), load lang/LANG.hdf. 0 or -1 (logged). */
int		 tmpl_load(const char *dir);
void		 tmpl_unload(void);
/* 1 if a page template of that name exists. */
int		 tmpl_exists(const char *name);
/* Render page name with data hdf in lang into out. 0 or -1 (logged). HTML-escaped by default. */
int		 tmpl_render(const char *name, HDF *hdf, const char *lang, struct buf *out);
/* Render mail name (no escaping: plain text). 0 or -1. */
int		 tmpl_render_mail(const char *name, HDF *hdf, const char *lang, struct buf *out);
/* The language HDF (contains L.* and Service.*), "ja" when lang is unknown. */
HDF		*tmpl_lang(const char *lang);
/* Text of L.<key> in lang, or NULL. */
const char	*tmpl_text(const char *lang, const char *key);

#endif
