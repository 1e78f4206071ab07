/*
 * ref_cidr.h — the reference CIDR parser and matcher of the fuzz targets cidr and
 * clientip: inet_pton plus a bit-by-bit prefix comparison, written apart from
 * src/insurer.c so that the two can be compared. Static: included by one
 * target each.
 */
#ifndef KENPO_FUZZ_REF_CIDR_H
#define KENPO_FUZZ_REF_CIDR_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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

#endif
