/*
 * redirect.c — see redirect.h. Table-tested in tests/unit/t_redirect.c and
 * fuzzed against a model of the WHATWG parser in tests/fuzz/fuzz_redirect.c.
 */
#include "autoconf.h"
#include "redirect.h"

#include <stddef.h>
#include <string.h>

int
redirect_target_ok(const char *t)
{
	size_t	 i;

	if (t == NULL || t[0] != '/' || t[1] == '/' || t[1] == '\\')
		return 0;
	for (i = 0; t[i] != '\0'; i++) {
		unsigned char c = (unsigned char)t[i];

		if (i >= REDIRECT_TARGET_MAX)
			return 0;
		/* Controls, space, DEL, non-ASCII and '\': a browser may rewrite
		 * them (tab/newline removed, '\' as '/'); none is in our paths. */
		if (c <= 0x20 || c >= 0x7f || c == '\\')
			return 0;
	}
	return 1;
}

const char *
redirect_next(const char *next)
{
	static const char *const refused[] = {
		"/login", "/logout", "/captcha", "/password/reset", "/entry", "/users/",
	};
	size_t		 i, n;

	if (!redirect_target_ok(next) || (n = strlen(next)) > REDIRECT_NEXT_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789/-._~?=&%+", next[i]) == NULL)
			return NULL;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strncmp(next, refused[i], strlen(refused[i])) == 0)
			return NULL;
	return next;
}
