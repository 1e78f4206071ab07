/*
 * fuzz_redirect.c — redirect_target_ok (src/redirect.c), the one judge of every
 * redirect target a request supplies (/lang?back=, /login?next=, Location).
 *
 * Input: the target. The invariant: whenever redirect_target_ok says 1, a model
 * of how a browser's URL parser (WHATWG URL Standard, "basic URL parser" with
 * this site as base) reads the target says "a path on this site", and the
 * browser has nothing to rewrite (what we checked is what it follows). The
 * model: strip leading and trailing C0 controls and spaces; remove every tab,
 * LF and CR; a scheme prefix [A-Za-z][A-Za-z0-9+.-]*: is another site (even
 * http:/x, which some parsers resolve against the base: we never emit it); read
 * '\' as '/'; then "//" starts another host; "/" starts a path; anything else is
 * relative to the current path, which we never emit either.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "redirect.h"

enum model { M_PATH, M_RELATIVE, M_OTHER_SITE };

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The model's view of t; *rewritten is set when the browser would change t. */
static enum model
model(const char *t, int *rewritten)
{
	size_t	 n = strlen(t), a = 0, i, k;
	char	*u;
	enum model m;

	while (a < n && (unsigned char)t[a] <= 0x20)
		a++;
	while (n > a && (unsigned char)t[n - 1] <= 0x20)
		n--;
	u = xmalloc(n - a + 1);
	for (i = a, k = 0; i < n; i++)
		if (t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
			u[k++] = t[i] == '\\' ? '/' : t[i];
	u[k] = '\0';
	*rewritten = strcmp(u, t) != 0;

	m = M_RELATIVE;
	if (is_alpha((unsigned char)u[0])) {
		for (i = 1; is_alpha((unsigned char)u[i]) ||
		    (u[i] >= '0' && u[i] <= '9') || u[i] == '+' || u[i] == '-' ||
		    u[i] == '.'; i++)
			;
		if (u[i] == ':')
			m = M_OTHER_SITE;
	}
	if (m == M_RELATIVE && u[0] == '/')
		m = u[1] == '/' ? M_OTHER_SITE : M_PATH;
	free(u);
	return m;
}

/* Only printable ASCII other than space and a backslash. */
static int
plain(const char *t)
{
	for (; *t != '\0'; t++)
		if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f ||
		    *t == '\\')
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*t = fuzz_str(data, size);
	int	 ok, rewritten;
	enum model m;

	ok = redirect_target_ok(t);
	FUZZ_ASSERT(ok == 0 || ok == 1);
	m = model(t, &rewritten);
	if (ok) {
		FUZZ_ASSERT(m == M_PATH);
		FUZZ_ASSERT(!rewritten);
		FUZZ_ASSERT(strlen(t) <= REDIRECT_TARGET_MAX);
	}
	/* Not stricter than redirect.h says: a plain printable path passes. */
	if (m == M_PATH && !rewritten && strlen(t) <= REDIRECT_TARGET_MAX &&
	    plain(t))
		FUZZ_ASSERT(ok);
	FUZZ_ASSERT(redirect_target_ok(NULL) == 0);
	free(t);
	return 0;
}
