/*
 * header.c — see header.h. Moved out of request.c so that the fuzzer can reach
 * it without a FastCGI request; request.c calls it with the header values.
 */
#include "autoconf.h"
#include "header.h"

#include <string.h>
#include <strings.h>

/* 1 when the language range at p is tag ("ja"/"en") or a subtag of it. */
static int
lang_is(const char *p, const char *tag)
{
	return strncasecmp(p, tag, 2) == 0 &&
	    (p[2] == '\0' || strchr("-;, ", p[2]) != NULL);
}

const char *
header_pick_lang(const char *cookie, const char *al)
{
	const char	*p;

	if (cookie != NULL && strcmp(cookie, "en") == 0)
		return "en";
	if (cookie != NULL && strcmp(cookie, "ja") == 0)
		return "ja";
	if (al == NULL)
		return "ja";
	for (p = al; *p != '\0'; ) {
		while (*p == ' ' || *p == ',')
			p++;
		if (lang_is(p, "ja"))
			return "ja";
		if (lang_is(p, "en"))
			return "en";
		while (*p != '\0' && *p != ',')
			p++;
	}
	return "ja";
}

/*
 * The length of "<scheme>://<host>" when s starts with it, else 0. (No buffer:
 * a long Host header is compared whole, never truncated.)
 */
static size_t
self_prefix(const char *s, const char *scheme, const char *host)
{
	size_t	 n = strlen(scheme), h = strlen(host);

	if (strncmp(s, scheme, n) != 0 || strncmp(s + n, "://", 3) != 0 ||
	    strncmp(s + n + 3, host, h) != 0)
		return 0;
	return n + 3 + h;
}

int
header_origin_ok(const char *origin, const char *referer, const char *host,
    int https, const char *base)
{
	const char	*scheme = https ? "https" : "http";
	size_t		 blen = base != NULL ? strlen(base) : 0, n;

	if (base == NULL)
		base = "";
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	if (origin != NULL) {
		if (strlen(origin) == blen && strncmp(origin, base, blen) == 0)
			return 1;
		return host != NULL &&
		    (n = self_prefix(origin, scheme, host)) > 0 && origin[n] == '\0';
	}
	if (referer != NULL) {
		if (strncmp(referer, base, blen) == 0 &&
		    (referer[blen] == '/' || referer[blen] == '\0'))
			return 1;
		return host != NULL &&
		    (n = self_prefix(referer, scheme, host)) > 0 &&
		    (referer[n] == '/' || referer[n] == '\0');
	}
	return 1;	/* neither header: rely on the CSRF token alone */
}

int
header_oneclick_multipart(const char *body, size_t n)
{
	static const char	 name[] = "name=\"List-Unsubscribe\"";
	static const char	 value[] = "One-Click";
	const char		*p = body, *end = body + n, *v, *q;
	size_t			 vl = sizeof(value) - 1;

	while (p < end && (q = memmem(p, (size_t)(end - p), name,
	    sizeof(name) - 1)) != NULL) {
		p = q + sizeof(name) - 1;
		/* The part's headers end at the first empty line. */
		if ((v = memmem(p, (size_t)(end - p), "\r\n\r\n", 4)) != NULL)
			v += 4;
		else if ((v = memmem(p, (size_t)(end - p), "\n\n", 2)) != NULL)
			v += 2;
		else
			return 0;
		if ((size_t)(end - v) < vl || memcmp(v, value, vl) != 0)
			continue;
		v += vl;
		if (v == end || *v == '\r' || *v == '\n')
			return 1;
	}
	return 0;
}
