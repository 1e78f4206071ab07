/*
 * fuzz_cidr.c — insurer_cidr_parse and insurer_cidr_match (the allowlist that
 * exempts an insurer's offices from the login CAPTCHA).
 *
 * Input: "cidr \n ip". Invariants: a canonical form parses again to itself; a
 * block contains its own network address; and insurer_cidr_match agrees with a
 * reference that compares the prefix bit by bit (v4-mapped IPv6 addresses
 * count as IPv4, as insurer.h says).
 */
#include "autoconf.h"

#include "fuzz.h"
#include "insurer.h"
#include "ref_cidr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *ip, canon[INSURER_CIDR_MAX], canon2[INSURER_CIDR_MAX];
	char	 net[INSURER_CIDR_MAX], *slash;
	struct ref r;
	int	 rc;

	s = fuzz_str(data, size);
	if ((ip = strchr(s, '\n')) != NULL)
		*ip++ = '\0';

	rc = insurer_cidr_parse(s, canon, sizeof(canon));
	FUZZ_ASSERT(rc == ref_parse(s, 1, 0, &r));
	if (rc == 0) {
		FUZZ_ASSERT(strchr(canon, '/') != NULL);
		FUZZ_ASSERT(insurer_cidr_parse(canon, canon2, sizeof(canon2)) == 0);
		FUZZ_ASSERT(strcmp(canon, canon2) == 0);
		/* Both spellings describe the same block. */
		snprintf(net, sizeof(net), "%s", canon);
		slash = strchr(net, '/');
		*slash = '\0';
		FUZZ_ASSERT(ref_match(net, s) == ref_match(net, canon));
		FUZZ_ASSERT(insurer_cidr_match(net, s) == ref_match(net, s));
		/* A block holds its network address, unless it is a v6 block
		 * written over v4-mapped space (such addresses are matched as
		 * IPv4). */
		if (r.af == AF_INET || memcmp(r.a, mapped, 12) != 0 || r.bits < 96)
			FUZZ_ASSERT(insurer_cidr_match(net, canon) == 1);
	}
	/* A too small buffer is refused, never overrun. */
	FUZZ_ASSERT(insurer_cidr_parse(s, canon2, 4) == -1 || strlen(canon2) < 4);
	if (ip != NULL) {
		FUZZ_ASSERT(insurer_cidr_match(ip, s) == ref_match(ip, s));
		FUZZ_ASSERT(insurer_cidr_match(s, ip) == ref_match(s, ip));
	}
	FUZZ_ASSERT(insurer_cidr_match(NULL, s) == 0);
	free(s);
	return 0;
}
