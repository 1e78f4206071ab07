/*
 * clientip.c — see clientip.h.
 *
 * Each proxy appends the address of its peer to X-Forwarded-For, so only the
 * hops to the right of the last proxy we trust were written by someone we
 * trust; everything to the left of it is what the client chose to send.
 */
#include "autoconf.h"
#include "clientip.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insurer.h"
#include "util.h"

#define HOPS_MAX	32
#define SEP		" ,\t"

static int
trusted_has(const char *trusted, const char *addr)
{
	char	*copy, *tok, *save = NULL;
	int	 found = 0;

	copy = xstrdup(trusted);
	for (tok = strtok_r(copy, SEP, &save); tok != NULL && !found;
	    tok = strtok_r(NULL, SEP, &save))
		found = insurer_cidr_match(addr, tok);
	free(copy);
	return found;
}

static int
is_ip(const char *s)
{
	unsigned char	 a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

void
clientip_pick(const char *remote, const char *xff, const char *trusted,
    char *out, size_t outlen)
{
	char		*copy, *tok, *save = NULL, *hops[HOPS_MAX];
	const char	*nearest;
	int		 n = 0, i;

	snprintf(out, outlen, "%s", remote != NULL ? remote : "-");
	if (remote == NULL || trusted == NULL || trusted[0] == '\0' ||
	    xff == NULL || !trusted_has(trusted, remote))
		return;
	copy = xstrdup(xff);
	/* Keep the rightmost HOPS_MAX hops: those are the ones we may trust. */
	for (tok = strtok_r(copy, SEP, &save); tok != NULL;
	    tok = strtok_r(NULL, SEP, &save)) {
		if (n == HOPS_MAX) {
			memmove(hops, hops + 1, sizeof(hops[0]) * (HOPS_MAX - 1));
			n--;
		}
		hops[n++] = tok;
	}
	nearest = NULL;
	for (i = n - 1; i >= 0; i--) {
		if (!is_ip(hops[i]))
			break;
		if (!trusted_has(trusted, hops[i])) {
			snprintf(out, outlen, "%s", hops[i]);
			free(copy);
			return;
		}
		nearest = hops[i];
	}
	/* Every hop trusted, or a garbled hop: the nearest hop a trusted proxy
	 * vouched for (or REMOTE_ADDR, already in out). */
	if (nearest != NULL)
		snprintf(out, outlen, "%s", nearest);
	free(copy);
}

int
clientip_list_valid(const char *trusted)
{
	char	*copy, *tok, *save = NULL, canon[INSURER_CIDR_MAX];
	int	 ok = 1;

	copy = xstrdup(trusted);
	for (tok = strtok_r(copy, SEP, &save); tok != NULL && ok;
	    tok = strtok_r(NULL, SEP, &save))
		ok = insurer_cidr_parse(tok, canon, sizeof(canon)) == 0;
	free(copy);
	return ok;
}
