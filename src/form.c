/*
 * form.c — application/x-www-form-urlencoded, strictly.
 *
 * Everything here reads bytes an attacker chose. The buffer is split and decoded
 * in place; a value without '=' is the empty string at the end of its own pair
 * (never a shared literal: decoding writes its terminator).
 */
#include "autoconf.h"
#include "form.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int
form_url_decode(char *s, size_t *len)
{
	char	*r = s, *w = s;
	int	 h, l;

	while (*r != '\0') {
		if (*r == '+') {
			*w++ = ' ';
			r++;
		} else if (*r == '%') {
			if ((h = util_hexval((unsigned char)r[1])) < 0 ||
			    (l = util_hexval((unsigned char)r[2])) < 0)
				return -1;
			if (h == 0 && l == 0)
				return -1;
			*w++ = (char)(h << 4 | l);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	*len = (size_t)(w - s);
	return 0;
}

/*
 * A field name: letters, digits, '_' and '-' only (keeps HDF paths flat and
 * predictable; '-' for the reCAPTCHA widget's g-recaptcha-response).
 */
static int
name_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

enum form_status
form_parse(HDF *hdf, const char *prefix, char *data, size_t maxfield,
    const char **bad_name)
{
	char		*pair, *save = NULL, *eq, *name, *val;
	size_t		 nlen, vlen;
	char		 key[96];
	NEOERR		*err;

	if (bad_name != NULL)
		*bad_name = NULL;
	for (pair = strtok_r(data, "&", &save); pair != NULL;
	    pair = strtok_r(NULL, "&", &save)) {
		name = pair;
		if ((eq = strchr(pair, '=')) != NULL) {
			*eq = '\0';
			val = eq + 1;
		} else
			val = pair + strlen(pair);	/* "" inside the buffer */
		if (form_url_decode(name, &nlen) != 0 ||
		    form_url_decode(val, &vlen) != 0)
			return FORM_BAD_ESCAPE;
		if (nlen == 0)
			continue;	/* "=x", "=": no field */
		if (!name_ok(name))
			return FORM_BAD_NAME;
		if (bad_name != NULL)
			*bad_name = name;
		if (vlen > maxfield)
			return FORM_TOO_LONG;
		if (!util_utf8_valid(val, vlen))
			return FORM_BAD_TEXT;
		snprintf(key, sizeof(key), "%s.%s", prefix, name);
		if (hdf_get_value(hdf, key, NULL) != NULL) {
			/* Kept aside for the pages that must refuse a
			 * repeat (OpenID Connect authorize: RFC 6749 §3.1). */
			snprintf(key, sizeof(key), "Repeated.%s", name);
			if ((err = hdf_set_value(hdf, key, "1")) != STATUS_OK) {
				nerr_ignore(&err);
				return FORM_NOMEM;
			}
			continue;
		}
		if ((err = hdf_set_value(hdf, key, val)) != STATUS_OK) {
			nerr_ignore(&err);
			return FORM_NOMEM;
		}
	}
	if (bad_name != NULL)
		*bad_name = NULL;
	return FORM_OK;
}
