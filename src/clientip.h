/*
 * clientip.h — the client's address behind trusted reverse proxies
 * (Server.TrustedProxies). Untrusted bytes (X-Forwarded-For): fuzzed by
 * tests/fuzz/fuzz_clientip.c.
 */
#ifndef KENPO_CLIENTIP_H
#define KENPO_CLIENTIP_H

#include <stddef.h>

/*
 * Write the client address to out (outlen bytes, at least 2): remote (REMOTE_ADDR,
 * "-" when NULL) unless remote is one of trusted (addresses or CIDR blocks,
 * separated by spaces or commas; matched exactly, as insurer_cidr_match does).
 * Then X-Forwarded-For (xff, may be NULL) is walked from the right: trusted hops
 * are skipped, and the first hop that is not trusted is the client, if it is an
 * IP address; otherwise (a forged or garbled hop) the nearest trusted hop is.
 */
void	 clientip_pick(const char *remote, const char *xff, const char *trusted,
	    char *out, size_t outlen);
/* 1 when every entry of a Server.TrustedProxies value is an address or block. */
int	 clientip_list_valid(const char *trusted);

#endif
