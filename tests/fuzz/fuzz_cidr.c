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

#include <arpa/inet.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "insurer.h"

struct ref {
	int		 af;
	unsigned char	 a[16];
	int		 bits;
};

static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* Reference parse of "addr[/1-3 digits]"; unmap turns ::ffff:a.b.c.d into v4. */
static int
ref_parse(const char *text, int prefix_ok, int unmap, struct ref *r)
{
	char		 addr[64];
	const char	*slash = prefix_ok ? strchr(text, '/') : NULL;
	size_t		 len = slash ? (size_t)(slash - text) : strlen(text);
	int		 max;

	memset(r, 0, sizeof(*r));
	if (len == 0 || len >= sizeof(addr))
		return -1;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, r->a) == 1) {
		r->af = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, r->a) == 1) {
		r->af = AF_INET6;
		max = 128;
		if (unmap && memcmp(r->a, mapped, 12) == 0) {
			memmove(r->a, r->a + 12, 4);
			memset(r->a + 4, 0, 12);
			r->af = AF_INET;
			max = 32;
		}
	} else
		return -1;
	r->bits = max;
	if (slash != NULL) {
		len = strlen(slash + 1);
		if (len < 1 || len > 3 || strspn(slash + 1, "0123456789") != len)
			return -1;
		r->bits = atoi(slash + 1);
		if (r->bits > max)
			return -1;
	}
	return 0;
}

static int
bit(const unsigned char *a, int i)
{
	return a[i / 8] >> (7 - i % 8) & 1;
}

static int
ref_match(const char *ip, const char *cidr)
{
	struct ref	 a, n;
	int		 i;

	if (ref_parse(ip, 0, 1, &a) != 0 || ref_parse(cidr, 1, 0, &n) != 0 ||
	    a.af != n.af)
		return 0;
	for (i = 0; i < n.bits; i++)
		if (bit(a.a, i) != bit(n.a, i))
			return 0;
	return 1;
}

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
