/*
 * fuzz_cookie.c — cookie_parse (src/cookie.c), the reader of every Cookie header
 * kenpod receives, and kenpo's readers of what it produced (header_pick_lang,
 * entry_cookie_parse, the token shape of sid/pre).
 *
 * Input: the Cookie header and the Accept-Language header, separated by a NUL
 * byte (a missing field is an absent header). Invariants, besides no crash and
 * no leak:
 *   - each cookie kenpo reads (sid, pre, remember, entry, su, lang, with and
 *     without __Host-) has the value of a reference splitter: pairs at ';',
 *     name before the first '=', both trimmed of white space, the last pair of
 *     a name wins, a pair without '=' or with an empty side is ignored; no
 *     other cookie's name (a.b, .sid, sid.) changes it;
 *   - every name stored under Cookie is [A-Za-z0-9_-]{1,64} and its value is
 *     not empty, has no ';' and no white space at either end;
 *   - the language is "ja" or "en".
 */
#include "autoconf.h"

#include <ctype.h>

#include "fuzz.h"
#include "cookie.h"
#include "entry.h"
#include "header.h"

static char *
trim(char *s)
{
	size_t	 n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* The reference splitter: the value of cookie name in header h, or NULL. */
static char *
ref_cookie(const char *h, const char *name)
{
	char	*copy = xstrdup(h), *seg, *next, *eq, *k, *v, *found = NULL;

	for (seg = copy; seg != NULL; seg = next) {
		if ((next = strchr(seg, ';')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(seg, '=')) == NULL)
			continue;
		*eq = '\0';
		k = trim(seg);
		v = trim(eq + 1);
		if (*k != '\0' && *v != '\0' && strcmp(k, name) == 0) {
			free(found);
			found = xstrdup(v);
		}
	}
	free(copy);
	return found;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"sid", "pre", "remember", "entry", "su", "lang",
		"__Host-sid", "__Host-pre", "__Host-remember", "__Host-entry",
		"__Host-su", "__Host-lang",
	};
	char		*f[2], key[64], *want, number[9];
	unsigned char	 raw[64];
	const char	*got, *lang, *name, *v;
	HDF		*hdf = NULL, *c;
	size_t		 i, n;
	int		 s;

	fuzz_setup();
	fuzz_fields(data, size, f, 2);
	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	FUZZ_ASSERT(cookie_parse(hdf, f[0]) == 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(key, sizeof(key), "Cookie.%s", names[i]);
		got = hdf_get_value(hdf, key, NULL);
		want = f[0] != NULL ? ref_cookie(f[0], names[i]) : NULL;
		if (want == NULL)
			FUZZ_ASSERT(got == NULL);
		else
			FUZZ_ASSERT(got != NULL && strcmp(got, want) == 0);
		free(want);
		/* kenpo's readers of these values. */
		if (got != NULL && strcmp(names[i] + (names[i][0] == '_' ? 7 : 0),
		    "entry") == 0)
			FUZZ_ASSERT(entry_cookie_parse(got, 1700000000, number, &s) <= 0);
		if (got != NULL)
			(void)crypto_b64url_decode(got, raw, sizeof(raw));
	}
	for (c = hdf_get_child(hdf, "Cookie"); c != NULL; c = hdf_obj_next(c)) {
		name = hdf_obj_name(c);
		v = hdf_obj_value(c);
		n = strlen(name);
		FUZZ_ASSERT(n >= 1 && n <= COOKIE_NAME_MAX);
		FUZZ_ASSERT(strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789_-") == n);
		FUZZ_ASSERT(hdf_obj_child(c) == NULL);
		FUZZ_ASSERT(v != NULL && v[0] != '\0' && strchr(v, ';') == NULL);
		FUZZ_ASSERT(!isspace((unsigned char)v[0]) &&
		    !isspace((unsigned char)v[strlen(v) - 1]));
	}
	lang = header_pick_lang(hdf_get_value(hdf, "Cookie.lang", NULL), f[1]);
	FUZZ_ASSERT(strcmp(lang, "ja") == 0 || strcmp(lang, "en") == 0);
	hdf_destroy(&hdf);
	fuzz_fields_free(f, 2);
	return 0;
}
