/*
 * form.h — the application/x-www-form-urlencoded parser (query strings and POST
 * bodies). Untrusted bytes: fuzzed by tests/fuzz/fuzz_form.c.
 */
#ifndef KENPO_FORM_H
#define KENPO_FORM_H

#include <stddef.h>
#include <ClearSilver.h>

enum form_status {
	FORM_OK = 0,
	FORM_BAD_ESCAPE,	/* malformed %-escape, or %00 */
	FORM_BAD_NAME,		/* a field name other than [A-Za-z0-9_-]{1,64} */
	FORM_TOO_LONG,		/* a value over maxfield bytes */
	FORM_BAD_TEXT,		/* a value that is not UTF-8 text (control characters) */
	FORM_NOMEM		/* the HDF refused the value */
};

/*
 * Parse data (NUL-terminated, modified in place) into <prefix>.<name> of hdf.
 * "a&b=" and "a" give a = "" (a field without '='); empty pairs ("&&", "=" or
 * "=x": no name) are ignored, as browsers never send them from a form. The first
 * value of a repeated name wins, and
 * Repeated.<name> = "1" records that it was repeated (whatever the prefix).
 * *bad_name, when not NULL, is set to the field
 * name concerned on FORM_TOO_LONG / FORM_BAD_TEXT (it points into data).
 */
enum form_status form_parse(HDF *hdf, const char *prefix, char *data,
		    size_t maxfield, const char **bad_name);
/* Decode one urlencoded component in place; 0, or -1 on a bad escape or %00. */
int		 form_url_decode(char *s, size_t *len);

#endif
