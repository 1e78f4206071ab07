/*
 * fuzz_clientip.c — clientip_pick and clientip_list_valid (src/clientip.c): the
 * client address behind trusted proxies, from X-Forwarded-For, which anyone can
 * send.
 *
 * Input: REMOTE_ADDR, X-Forwarded-For and Server.TrustedProxies separated by
 * NUL bytes (a missing field is NULL: no header). Invariants:
 *   - the result is REMOTE_ADDR, "-" (no REMOTE_ADDR) or one of the hops of
 *     X-Forwarded-For that is an IP address;
 *   - with no trusted proxies, or an untrusted REMOTE_ADDR, it is REMOTE_ADDR;
 *   - a hop is chosen only when REMOTE_ADDR and every hop to its right are
 *     trusted by a reference matcher (bitwise prefix comparison, exact
 *     addresses), and it is either untrusted itself or the leftmost of the
 *     trusted run (garbled or no hop further left): never a hop to the left of
 *     an untrusted one, whatever spelling; so 10.0.0.1 never trusts 10.0.0.10;
 *   - clientip_list_valid agrees with the reference parser.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "clientip.h"
#include "ref_cidr.h"

#define HOPS_MAX	32	/* as clientip.c: the rightmost 32 hops count */
#define SEP		" ,\t"

/* Split s at SEP into v (at most max tokens; the rest are dropped from the left). */
static size_t
split(char *s, char **v, size_t max, size_t *total)
{
	char	*tok, *save = NULL;
	size_t	 n = 0;

	*total = 0;
	for (tok = strtok_r(s, SEP, &save); tok != NULL;
	    tok = strtok_r(NULL, SEP, &save)) {
		if (n == max) {
			memmove(v, v + 1, sizeof(*v) * (max - 1));
			n--;
		}
		v[n++] = tok;
		(*total)++;
	}
	return n;
}

static int
ref_trusted(const char *list, const char *addr)
{
	char	*copy = xstrdup(list), *v[4096];
	size_t	 n, i, total;
	int	 found = 0;

	n = split(copy, v, sizeof(v) / sizeof(v[0]), &total);
	for (i = 0; i < n && !found; i++)
		found = ref_match(addr, v[i]);
	free(copy);
	return found;
}

static int
is_ip(const char *s)
{
	struct ref	 r;

	return ref_parse(s, 0, 0, &r) == 0;
}

static void
check(const char *remote, const char *xff, const char *trusted)
{
	char	 out[64], *copy = NULL, *hops[HOPS_MAX];
	size_t	 n = 0, total = 0;
	int	 remote_trusted, found, j;

	clientip_pick(remote, xff, trusted, out, sizeof(out));
	remote_trusted = remote != NULL && trusted != NULL &&
	    ref_trusted(trusted, remote);
	if (xff != NULL) {
		copy = xstrdup(xff);
		n = split(copy, hops, HOPS_MAX, &total);
	}
	if (remote == NULL) {
		FUZZ_ASSERT(strcmp(out, "-") == 0);
		goto out;
	}
	if (!remote_trusted || xff == NULL) {
		FUZZ_ASSERT(strncmp(out, remote, sizeof(out) - 1) == 0);
		goto out;
	}
	/* Some hop that the rules allow, or REMOTE_ADDR when none is. */
	found = 0;
	for (j = (int)n - 1; j >= 0 && !found; j--) {
		if (!is_ip(hops[j]))
			break;
		if (strcmp(out, hops[j]) != 0) {
			if (!ref_trusted(trusted, hops[j]))
				break;
			continue;
		}
		/* Every hop right of j is a trusted IP (the loop got here);
		 * j itself is the client, or the leftmost trusted one. */
		if (!ref_trusted(trusted, hops[j]))
			found = 1;
		else
			found = j == 0 || !is_ip(hops[j - 1]);
	}
	if (!found) {
		/* REMOTE_ADDR: only when the nearest hop is garbled or absent. */
		FUZZ_ASSERT(strncmp(out, remote, sizeof(out) - 1) == 0);
		FUZZ_ASSERT(n == 0 || !is_ip(hops[n - 1]));
	}
out:
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*f[3], out[64], *copy, *v[4096];
	size_t	 n, i, total;
	int	 want;

	fuzz_fields(data, size, f, 3);
	check(f[0], f[1], f[2]);
	/* Proxy lists: valid when each entry is an address or a block. */
	if (f[2] != NULL) {
		copy = xstrdup(f[2]);
		n = split(copy, v, sizeof(v) / sizeof(v[0]), &total);
		want = 1;
		for (i = 0; i < n && want; i++) {
			struct ref r;

			want = ref_parse(v[i], 1, 0, &r) == 0;
		}
		if (total <= n)
			FUZZ_ASSERT(clientip_list_valid(f[2]) == want);
		free(copy);
	}
	/* 10.0.0.1 trusted: 10.0.0.10 (and any longer spelling) is not. */
	if (f[1] != NULL) {
		clientip_pick("10.0.0.10", f[1], "10.0.0.1", out, sizeof(out));
		FUZZ_ASSERT(strcmp(out, "10.0.0.10") == 0);
		clientip_pick("10.0.0.1", "10.0.0.10", "10.0.0.1", out, sizeof(out));
		FUZZ_ASSERT(strcmp(out, "10.0.0.10") == 0);
	}
	fuzz_fields_free(f, 3);
	return 0;
}
