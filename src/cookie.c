/*
 * cookie.c — the Cookie request header (see cookie.h). It replaces the part of
 * ClearSilver's cgi_init that kenpod used: cgi_init also copied some thirty
 * environment variables into the HDF on every request, which nothing read.
 */
#include "autoconf.h"
#include "cookie.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int
name_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* White space around names and values, as isspace() in the C locale. */
static int
blank(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

int
cookie_parse(HDF *hdf, const char *header)
{
	const char	*p, *end, *eq, *ns, *ne, *vs, *ve;
	char		 key[sizeof("Cookie.") + COOKIE_NAME_MAX], *val;
	NEOERR		*err;
	size_t		 i;
	int		 ok;

	if (header == NULL)
		return 0;
	for (p = header; *p != '\0'; p = *end == ';' ? end + 1 : end) {
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(end - p))) == NULL)
			continue;
		for (ns = p; ns < eq && blank(*ns); ns++)
			;
		for (ne = eq; ne > ns && blank(ne[-1]); ne--)
			;
		for (vs = eq + 1; vs < end && blank(*vs); vs++)
			;
		for (ve = end; ve > vs && blank(ve[-1]); ve--)
			;
		if (ne == ns || ve == vs || ne - ns > COOKIE_NAME_MAX)
			continue;
		for (ok = 1, i = 0; ns + i < ne; i++)
			ok &= name_char((unsigned char)ns[i]);
		if (!ok)
			continue;
		snprintf(key, sizeof(key), "Cookie.%.*s", (int)(ne - ns), ns);
		val = xstrndup(vs, (size_t)(ve - vs));
		err = hdf_set_value(hdf, key, val);
		free(val);
		if (err != STATUS_OK) {
			nerr_ignore(&err);
			return -1;
		}
	}
	return 0;
}
