/*
 * fuzz_oidc_claims.c — oidc_acr_claims (src/oidc_acr.c), the parser of the
 * authorization request's claims parameter (JSON, through jansson).
 *
 * Input: the parameter's bytes. The invariants: it returns 0 or -1, never
 * crashes or leaks; *essential is 0 on -1 and otherwise 0, a level 1..3 or
 * OIDC_ACR_UNKNOWN; and the same input always gives the same answer.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "oidc_acr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int	 e, e2, st;

	st = oidc_acr_claims((const char *)data, size, &e);
	FUZZ_ASSERT(st == 0 || st == -1);
	if (st == -1)
		FUZZ_ASSERT(e == 0);
	else
		FUZZ_ASSERT((e >= 0 && e <= 3) || e == OIDC_ACR_UNKNOWN);
	FUZZ_ASSERT(oidc_acr_claims((const char *)data, size, &e2) == st);
	FUZZ_ASSERT(e2 == e);
	return 0;
}
