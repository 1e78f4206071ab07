/*
 * fuzz_header.c — the request headers kenpod reads itself (src/header.c):
 * Accept-Language with the "lang" cookie (header_pick_lang), and the Origin /
 * Referer check of every POST (header_origin_ok).
 *
 * Input: one byte (bit 0: HTTPS; bits 1-6: the field of that number is
 * absent), then the "lang" cookie, Accept-Language, Origin, Referer, Host and
 * Service.BaseURL, separated by NUL bytes (a field the input does not reach is
 * absent too). Invariants: the language is "ja" or "en" and
 * agrees with a reference that splits Accept-Language into its ranges; the
 * Origin check agrees with a reference that builds the site's origins as
 * strings (no fixed buffer) and compares them whole, so a POST is never
 * accepted from an origin that is not exactly this site's (http://site.example
 * .evil, a longer port, a userinfo prefix…).
 *
 * The whole input is also a multipart body for the one-click unsubscribe
 * check (header_oneclick_multipart): it may say yes only when the body holds
 * name="List-Unsubscribe" with One-Click after it, never reads past the input
 * (the copy is exactly size bytes, under ASan), and finds a well-formed part
 * appended to any input.
 */
#include "autoconf.h"

#include <strings.h>

#include "fuzz.h"
#include "header.h"

static const char *
ref_lang(const char *cookie, const char *al)
{
	char	*copy, *el, *save = NULL, *tag;
	const char *lang = "ja";
	size_t	 n;

	if (cookie != NULL && (strcmp(cookie, "ja") == 0 || strcmp(cookie, "en") == 0))
		return strcmp(cookie, "en") == 0 ? "en" : "ja";
	if (al == NULL)
		return "ja";
	copy = xstrdup(al);
	/* Ranges are comma-separated; the first of ja/en (with any subtag) wins. */
	for (el = strtok_r(copy, ",", &save); el != NULL;
	    el = strtok_r(NULL, ",", &save)) {
		tag = el + strspn(el, " ");
		n = strcspn(tag, "-; ");
		if (n == 2 && strncasecmp(tag, "ja", 2) == 0)
			break;
		if (n == 2 && strncasecmp(tag, "en", 2) == 0) {
			lang = "en";
			break;
		}
	}
	free(copy);
	return lang;
}

/* s equals site, or (prefix_only) starts with it followed by '/' or its end. */
static int
same(const char *s, const char *site, int prefix_only)
{
	size_t	 n = strlen(site);

	if (!prefix_only)
		return strcmp(s, site) == 0;
	return strncmp(s, site, n) == 0 && (s[n] == '\0' || s[n] == '/');
}

static int
ref_origin(const char *origin, const char *referer, const char *host, int https,
    const char *base)
{
	char	*b = xstrdup(base != NULL ? base : ""), *self = NULL;
	size_t	 n = strlen(b);
	int	 ok = 1;

	while (n > 0 && b[n - 1] == '/')
		b[--n] = '\0';
	if (host != NULL)
		self = xasprintf("%s://%s", https ? "https" : "http", host);
	if (origin != NULL)
		ok = same(origin, b, 0) || (self != NULL && same(origin, self, 0));
	else if (referer != NULL)
		ok = same(referer, b, 1) || (self != NULL && same(referer, self, 1));
	free(self);
	free(b);
	return ok;
}

static void
check_oneclick(const uint8_t *data, size_t size)
{
	static const char	 part[] = "\r\n--b\r\nContent-Disposition: form-data;"
	    " name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n";
	char			*copy;
	int			 yes;

	copy = xmalloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	yes = header_oneclick_multipart(copy, size);
	FUZZ_ASSERT(yes == 0 || yes == 1);
	if (yes)
		FUZZ_ASSERT(memmem(copy, size, "name=\"List-Unsubscribe\"", 23) !=
		    NULL && memmem(copy, size, "One-Click", 9) != NULL);
	free(copy);
	/* Whatever came before, a proper part after it is found. */
	copy = xmalloc(size + sizeof(part));
	memcpy(copy, data, size);
	memcpy(copy + size, part, sizeof(part));
	FUZZ_ASSERT(header_oneclick_multipart(copy, size + sizeof(part) - 1) == 1 ||
	    memmem(copy, size, "name=\"List-Unsubscribe\"", 23) != NULL);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*f[6];
	const char	*lang;
	int		 https, ok, i;

	if (size < 1)
		return 0;
	https = data[0] & 1;
	fuzz_fields(data + 1, size - 1, f, 6);
	for (i = 0; i < 6; i++)
		if (data[0] & (2 << i)) {
			free(f[i]);
			f[i] = NULL;
		}

	check_oneclick(data, size);
	lang = header_pick_lang(f[0], f[1]);
	FUZZ_ASSERT(strcmp(lang, "ja") == 0 || strcmp(lang, "en") == 0);
	FUZZ_ASSERT(strcmp(lang, ref_lang(f[0], f[1])) == 0);
	/* The cookie set by /lang wins over the header. */
	FUZZ_ASSERT(strcmp(header_pick_lang("en", f[1]), "en") == 0);
	FUZZ_ASSERT(strcmp(header_pick_lang("ja", f[1]), "ja") == 0);

	ok = header_origin_ok(f[2], f[3], f[4], https, f[5]);
	FUZZ_ASSERT(ok == ref_origin(f[2], f[3], f[4], https, f[5]));
	/* A site's own origin always passes. */
	if (f[4] != NULL) {
		char *self = xasprintf("%s://%s", https ? "https" : "http", f[4]);

		FUZZ_ASSERT(header_origin_ok(self, NULL, f[4], https, f[5]) == 1);
		free(self);
	}
	fuzz_fields_free(f, 6);
	return 0;
}
